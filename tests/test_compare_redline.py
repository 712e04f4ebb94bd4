"""Word redlines: they always rebuild both sentences, and they read word by word."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.compare.redline import rebuild, tokens, word_redline
from monitor.documents import load_document
from tests.conftest import FIXTURES

LETTER = [s.text for s in load_document(FIXTURES / "corpus" / "kst-28676-474.ocr.txt").sentences]


def ops(old: str, new: str) -> list[tuple[str, str]]:
    return [(s.op, s.text) for s in word_redline(old, new)]


def test_whole_words_are_replaced_not_letters():
    assert ops("Nederland steunt het voorstel.", "Nederland steunde het voorstel.") == [
        ("equal", "Nederland "), ("delete", "steunt"), ("insert", "steunde"), ("equal", " het voorstel.")]


def test_a_figure_is_one_token():
    assert tokens("circa 45.000 militairen, 3,5% en EUR 5 miljoen.") == [
        "circa", " ", "45.000", " ", "militairen", ",", " ", "3,5", "%", " ", "en", " ", "EUR", " ", "5", " ",
        "miljoen", "."]
    assert ops("circa 45.000 militairen", "circa 50.000 militairen") == [
        ("equal", "circa "), ("delete", "45.000"), ("insert", "50.000"), ("equal", " militairen")]


def test_semantic_cleanup_merges_scattered_small_equalities():
    old = "het kabinet roept op tot een staakt-het-vuren"
    new = "de regering pleit voor een wapenstilstand"
    segments = word_redline(old, new)
    # no one-word islands like " " between long replacements: the change reads as a whole
    assert [s.op for s in segments].count("equal") <= 2


def test_identical_and_empty_texts():
    assert ops("Zelfde zin.", "Zelfde zin.") == [("equal", "Zelfde zin.")]
    assert ops("", "Nieuwe zin.") == [("insert", "Nieuwe zin.")]
    assert ops("Oude zin.", "") == [("delete", "Oude zin.")]
    assert ops("", "") == []


def test_long_rewrites_do_not_degrade_with_a_timeout():
    old = " ".join(LETTER)
    new = " ".join(reversed(LETTER))
    segments = word_redline(old, new)
    assert rebuild(segments, "old") == old and rebuild(segments, "new") == new
    assert any(s.op == "equal" and len(s.text) > 200 for s in segments)


@settings(max_examples=150, deadline=None)
@given(st.text(), st.text())
def test_any_texts_are_rebuilt_exactly(old, new):
    segments = word_redline(old, new)
    assert rebuild(segments, "old") == old
    assert rebuild(segments, "new") == new
    assert all(s.text for s in segments)
    assert all(a.op != b.op for a, b in zip(segments, segments[1:]))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(LETTER), st.sampled_from(LETTER), st.data())
def test_real_sentences_and_their_edits_are_rebuilt_exactly(a, b, data):
    words = a.split(" ")
    k = data.draw(st.integers(0, len(words) - 1))
    edited = " ".join(words[:k] + [data.draw(st.sampled_from(["niet", "3,5%", "in beginsel", "Oekraïne"]))] + words[k + 1:])
    for old, new in ((a, b), (a, edited), (edited, a)):
        segments = word_redline(old, new)
        assert (rebuild(segments, "old"), rebuild(segments, "new")) == (old, new)
