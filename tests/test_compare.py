"""compare(old, new): alignment of sections and sentences, and how each difference is classified.

Documents are built directly from the model, so each test shows the exact text it compares.
"""

from __future__ import annotations

import datetime as dt

from monitor.compare import compare
from monitor.compare.sentences import SAME_SECTION_MATCH
from monitor.compare.similarity import jaccard, words
from monitor.documents import load_document, match_key
from monitor.model import Document, Paragraph, Section, Sentence
from tests.conftest import FIXTURES

INTRO = "De FMM vindt op 3 en 4 december plaats in Brussel."
RUSSIA = [
    "De Russische agressie vormt de meest acute en directe dreiging voor de NAVO.",
    "Nederland zal benadrukken dat Rusland de belangrijkste dreiging blijft voor de bondgenoten.",
    "Er zal tevens aandacht zijn voor de toenemende hybride aanvallen van Rusland op bondgenoten.",
]
UKRAINE = [
    "In de sessie staan bondgenoten stil bij de actuele situatie in Oekraïne.",
    "Nederland zal Oekraïne daarom voor zolang als nodig blijven steunen.",
    "Het werkdiner behelst de NATO-Ukraine Council met de Oekraïense minister.",
]
SOUTH = [
    "Daarnaast zal de FMM aandacht besteden aan de Zuidelijke buurlanden.",
    "Nederland steunt een actiegerichte aanpak met nadruk op maritieme veiligheid.",
]


def doc(*sections: tuple[str | None, list[str]], **info) -> Document:
    return Document(
        sections=tuple(
            Section(heading, (Paragraph(tuple(Sentence(t, match_key(t)) for t in texts)),))
            for heading, texts in sections
        ),
        source=info.pop("source", "test"),
        **info,
    )


def base(**replace: list[str]) -> Document:
    parts = {"intro": [INTRO], "russia": RUSSIA, "ukraine": UKRAINE, "south": SOUTH, **replace}
    return doc(
        (None, parts["intro"]),
        ("Werksessie Strategische uitdagingen", parts["russia"]),
        ("Werkdiner NATO-Ukraine Council", parts["ukraine"]),
        ("Werksessie Zuidelijke buurlanden", parts["south"]),
    )


def statuses(cmp):
    return [(c.status, c.kinds) for c in cmp.changes]


def test_identical_documents_have_no_changes_and_only_same_sections():
    cmp = compare(base(), base())
    assert cmp.is_empty
    assert cmp.summary.unchanged == 1 + 3 + 3 + 2
    assert {m.status for m in cmp.sections} == {"same"}


def test_accents_and_spacing_alone_are_no_change():
    ocr = base(ukraine=[t.replace("Oekraïne", "Oekraine").replace("Oekraïense", "Oekraiense") for t in UKRAINE])
    assert compare(base(), ocr).is_empty


def test_a_changed_figure_is_a_quantity_change_with_a_word_redline():
    new = base(south=[SOUTH[0], "Nederland steunt een actiegerichte aanpak met nadruk op maritieme veiligheid en 3,5% van het bbp."])
    old = base(south=[SOUTH[0], "Nederland steunt een actiegerichte aanpak met nadruk op maritieme veiligheid en 2% van het bbp."])
    (change,) = compare(old, new).changes
    assert (change.status, change.kinds, change.severity) == ("changed", ("quantity",), 2)
    assert [(s.op, s.text) for s in change.redline if s.op != "equal"] == [("delete", "2"), ("insert", "3,5")]
    assert change.position and change.old.section == change.new.section == "Werksessie Zuidelijke buurlanden"


def test_a_reworded_sentence_without_other_differences_is_wording_of_severity_zero():
    new = base(russia=[RUSSIA[0], RUSSIA[1], "Er zal ook aandacht zijn voor de toenemende hybride aanvallen van Rusland op bondgenoten."])
    (change,) = compare(base(), new).changes
    assert (change.status, change.kinds, change.severity) == ("changed", ("wording",), 0)


def test_a_sentence_moved_to_another_section_is_moved_not_removed_and_added():
    new = base(russia=RUSSIA[:2], south=[*SOUTH, RUSSIA[2]])
    cmp = compare(base(), new)
    assert statuses(cmp) == [("moved", ())]
    (change,) = cmp.changes
    assert change.old.section == "Werksessie Strategische uitdagingen"
    assert change.new.section == "Werksessie Zuidelijke buurlanden"
    assert cmp.summary.moved == 1 and cmp.summary.added == cmp.summary.removed == 0


def test_a_sentence_moved_within_its_section_is_moved():
    new = base(russia=[RUSSIA[2], RUSSIA[0], RUSSIA[1]])
    assert statuses(compare(base(), new)) == [("moved", ())]


def test_a_moved_and_edited_sentence_is_changed_with_both_sections():
    edited = RUSSIA[2].replace("toenemende", "sterk toenemende")
    (change,) = compare(base(), base(russia=RUSSIA[:2], south=[*SOUTH, edited])).changes
    assert change.status == "changed"
    assert (change.old.section, change.new.section) == ("Werksessie Strategische uitdagingen", "Werksessie Zuidelijke buurlanden")


def test_unrelated_replacement_is_removed_plus_added_not_changed():
    new = base(south=[SOUTH[0], "Het eerste NAVO Liaison Office in de regio opent binnenkort in Amman."])
    cmp = compare(base(), new)
    assert sorted(c.status for c in cmp.changes) == ["added", "removed"]
    assert jaccard(words(match_key(SOUTH[1])), words(match_key(new.sections[3].sentences[1].text))) < SAME_SECTION_MATCH


def test_added_and_removed_sentences_carry_one_redline_segment_and_their_section():
    new = base(ukraine=[*UKRAINE, "Nederland levert EUR 5 miljoen voor trainingen."], russia=RUSSIA[1:])
    cmp = compare(base(), new)
    added = next(c for c in cmp.changes if c.status == "added")
    removed = next(c for c in cmp.changes if c.status == "removed")
    assert [s.op for s in added.redline] == ["insert"] and added.old is None
    assert added.new.section == "Werkdiner NATO-Ukraine Council"
    assert [s.op for s in removed.redline] == ["delete"] and removed.new is None
    assert removed.old.section == "Werksessie Strategische uitdagingen"


def test_sentence_pairs_are_assigned_optimally_not_greedily():
    # o1 resembles n1 best, but n1 is o2's only match; greedy pairing o1-n1 would leave o2 removed
    o1 = "alfa bravo charlie delta echo foxtrot golf hotel india juliet"
    o2 = "alfa bravo charlie delta echo foxtrot golf hotel kilo lima"
    n1 = "alfa bravo charlie delta echo foxtrot golf hotel india kilo"
    n2 = "alfa bravo charlie delta echo foxtrot india juliet mike november"
    sim = lambda a, b: jaccard(words(a), words(b))  # noqa: E731
    assert sim(o1, n1) > sim(o1, n2) >= SAME_SECTION_MATCH > sim(o2, n2)
    assert sim(o2, n1) >= SAME_SECTION_MATCH
    cmp = compare(doc(("S", [o1, o2])), doc(("S", [n1, n2])))
    pairs = {(c.old.text, c.new.text) for c in cmp.changes if c.status == "changed"}
    assert pairs == {(o1, n2), (o2, n1)}
    assert cmp.summary.added == cmp.summary.removed == 0


def test_repeated_sentences_pair_within_their_own_section():
    twice = "Nederland zal dit benadrukken."
    old = doc(("A", [twice, "Eerste sessie."]), ("B", ["Tweede sessie.", twice]))
    assert compare(old, old).is_empty


def test_section_renamed_moved_added_and_removed():
    old = base()
    new = doc(
        (None, [INTRO]),
        ("Werkdiner NATO-Ukraine Council", UKRAINE),
        ("Werksessie Strategische uitdagingen en Rusland", RUSSIA),
        ("Werksessie Indo-Pacific", ["De partners uit de Indo-Pacific zijn uitgenodigd voor overleg."]),
    )
    sections = [(m.status, m.old, m.new) for m in compare(old, new).sections]
    # in new order; a removed section follows the section its old predecessor became
    assert sections == [
        ("same", None, None),
        ("moved", "Werkdiner NATO-Ukraine Council", "Werkdiner NATO-Ukraine Council"),
        ("removed", "Werksessie Zuidelijke buurlanden", None),
        ("renamed", "Werksessie Strategische uitdagingen", "Werksessie Strategische uitdagingen en Rusland"),
        ("added", None, "Werksessie Indo-Pacific"),
    ]


def test_a_renamed_heading_over_the_same_body_changes_no_sentence():
    new = doc((None, [INTRO]), ("Werksessie Rusland", RUSSIA), ("Werkdiner NATO-Ukraine Council", UKRAINE),
              ("Werksessie Zuidelijke buurlanden", SOUTH))
    cmp = compare(base(), new)
    assert cmp.is_empty
    assert [m.status for m in cmp.sections] == ["same", "renamed", "same", "same"]


def test_sessions_of_unrelated_letters_are_not_paired_on_their_common_words():
    """A report of the defence ministers against an agenda of the foreign ministers: both bodies are
    full of ``de``, ``het``, ``NAVO``, yet no session of the one became a session of the other."""
    report = load_document(FIXTURES / "corpus" / "kst-28676-554.txt")
    agenda = load_document(FIXTURES / "corpus" / "kst-28676-474.ocr.txt")
    paired = [(m.old, m.new) for m in compare(report, agenda).sections if m.status not in ("added", "removed")]
    # only the letters' openings pair, on their headings
    assert paired == [("BRIEF VAN DE MINISTER VAN DEFENSIE", "BRIEF VAN DE MINISTER VAN BUITENLANDSE ZAKEN")]


def test_changes_are_ordered_by_severity_then_place():
    new = base(
        russia=[RUSSIA[0], RUSSIA[1].replace("Rusland", "Rusland op termijn"), RUSSIA[2]],  # wording, early
        south=[SOUTH[0], "Nederland steunt geen actiegerichte aanpak met nadruk op maritieme veiligheid."],
        ukraine=[UKRAINE[0], UKRAINE[1], UKRAINE[2], "De ministers spreken over 45.000 militairen."],
    )
    order = [(c.severity, c.status, (c.new or c.old).section) for c in compare(base(), new).changes]
    # the stance first; then, of equal severity, the earlier place in the letter first
    assert order == [(3, "changed", "Werksessie Zuidelijke buurlanden"),
                     (1, "changed", "Werksessie Strategische uitdagingen"),
                     (1, "added", "Werkdiner NATO-Ukraine Council")]


def test_document_identity_is_carried_into_the_comparison():
    old = doc(("S", ["Een zin."]), identifier="kst-28676-474", title="NAVO", date=dt.date(2024, 11, 22), source="a.txt")
    cmp = compare(old, doc(("S", ["Een zin."]), source="b.txt"))
    assert (cmp.old.id, cmp.old.date, cmp.old.source, cmp.new.id, cmp.new.source) == (
        "kst-28676-474", dt.date(2024, 11, 22), "a.txt", None, "b.txt")


def test_compare_is_deterministic():
    new = base(russia=RUSSIA[::-1], south=[SOUTH[1], "Nieuwe zin over de Sahel en Noord-Afrika."])
    assert compare(base(), new) == compare(base(), new)


def test_empty_documents_compare_to_nothing():
    empty = Document(sections=(), source="empty")
    assert compare(empty, empty).is_empty
    cmp = compare(empty, base())
    assert cmp.summary.added == 9 and cmp.summary.unchanged == 0
