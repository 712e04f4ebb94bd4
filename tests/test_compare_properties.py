"""Properties of compare() on versions of the real 474 agenda mutated like real revisions:
sentences dropped, inserted, swapped (also across sessions) and words edited."""

from __future__ import annotations

from unittest.mock import patch

from hypothesis import example, given, settings
from hypothesis import strategies as st

from monitor.compare import compare, similarity
from monitor.compare.redline import rebuild
from monitor.compare.similarity import content_words, tfidf_cosines
from monitor.documents import load_document, match_key
from monitor.model import Document, Paragraph, Section, Sentence
from tests.conftest import FIXTURES

LETTER = load_document(FIXTURES / "corpus" / "kst-28676-474.ocr.txt")
SENTENCES = [s.text for s in LETTER.sentences]
NEW_WORDS = ["niet", "in beginsel", "3,5%", "50.000", "mits de EU instemt", "krachtig", "Oekraïne", "China"]
INVENTED = [
    "Nederland zal pleiten voor nauwere samenwerking tussen de EU en de NAVO.",
    "Het kabinet verwelkomt het nieuwe actieplan voor de Zuidflank.",
    "De ministers spreken over de steun aan Oekraïne in 2026.",
]

mutation = st.one_of(
    st.tuples(st.just("drop"), st.integers(0, 999)),
    st.tuples(st.just("insert"), st.integers(0, 999), st.sampled_from(SENTENCES + INVENTED)),
    st.tuples(st.just("swap"), st.integers(0, 999), st.integers(0, 999)),
    st.tuples(st.just("edit"), st.integers(0, 999), st.integers(0, 99), st.sampled_from(NEW_WORDS)),
)


def mutate(doc: Document, mutations: list[tuple]) -> Document:
    sections = [(s.heading, [x.text for x in s.sentences]) for s in doc.sections]
    places = lambda: [(k, i) for k, (_, texts) in enumerate(sections) for i in range(len(texts))]  # noqa: E731
    for m in mutations:
        spots = places()
        if not spots:
            break
        k, i = spots[m[1] % len(spots)]
        texts = sections[k][1]
        if m[0] == "drop":
            del texts[i]
        elif m[0] == "insert":
            texts.insert(i, m[2])
        elif m[0] == "swap":
            k2, i2 = spots[m[2] % len(spots)]
            texts[i], sections[k2][1][i2] = sections[k2][1][i2], texts[i]
        else:
            words = texts[i].split(" ")
            words[m[2] % len(words)] = m[3]
            texts[i] = " ".join(words)
    return Document(
        sections=tuple(Section(h, (Paragraph(tuple(Sentence(t, match_key(t)) for t in texts)),))
                       for h, texts in sections),
        source="mutated",
    )


versions = st.lists(mutation, max_size=8).map(lambda ms: mutate(LETTER, ms))


@settings(max_examples=40, deadline=None)
@given(versions)
def test_a_version_compared_with_itself_has_no_changes(doc):
    cmp = compare(doc, doc)
    assert cmp.is_empty
    assert cmp.summary.unchanged == len(doc.sentences)


@settings(max_examples=60, deadline=None)
@given(versions, versions)
def test_every_redline_rebuilds_both_sentences(a, b):
    for change in compare(a, b).changes:
        assert rebuild(change.redline, "old") == (change.old.text if change.old else "")
        assert rebuild(change.redline, "new") == (change.new.text if change.new else "")


REPEATED = "Voor deze FMM zijn, naast de 32 NAVO-bondgenoten, ook Oekraine, de EU en Jordanié uitgenodigd."


@settings(max_examples=60, deadline=None)
@given(versions, versions)
# found by hypothesis: a repeated sentence must pair with the copy that keeps the order, both ways
@example(mutate(LETTER, [("drop", 0)] * 5 + [("insert", 0, REPEATED)]), mutate(LETTER, [("insert", 8, REPEATED)]))
def test_counts_mirror_when_old_and_new_swap(a, b):
    forward, backward = compare(a, b).summary, compare(b, a).summary
    assert (backward.added, backward.removed) == (forward.removed, forward.added)
    assert (backward.changed, backward.moved, backward.unchanged) == (forward.changed, forward.moved, forward.unchanged)


@settings(max_examples=60, deadline=None)
@given(versions)
def test_every_sentence_is_accounted_for_once(b):
    s = compare(LETTER, b).summary
    assert s.unchanged + s.changed + s.moved + s.removed == len(LETTER.sentences)
    assert s.unchanged + s.changed + s.moved + s.added == len(b.sentences)


BODIES = [content_words(s.key) for s in LETTER.sentences]
bodies = st.lists(st.sampled_from(range(len(BODIES))), max_size=30).map(lambda ks: [BODIES[k] for k in ks])


@settings(max_examples=60, deadline=None)
@given(bodies, bodies, st.sampled_from([0.1, 0.3, 0.5, 0.9]))
def test_prefix_filtered_cosines_are_those_of_all_pairs(old, new, at_least):
    all_pairs = tfidf_cosines(old, new, at_least)
    with patch.object(similarity, "ALL_PAIRS_UP_TO", 0):
        assert tfidf_cosines(old, new, at_least) == all_pairs
