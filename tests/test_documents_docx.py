"""Word letters (.docx, as the Tweede Kamer serves them): headings, paragraphs, and files we refuse."""

from __future__ import annotations

import io
import zipfile

import pytest

from monitor.compare import compare
from monitor.documents import read_document
from monitor.documents.docx_reader import MAX_PART_BYTES
from monitor.errors import BadInput
from tests.peer.corpus import FIXTURE_FILES, next_agenda_xml
from tests.peer.tk import docx_bytes, word_letter

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def word(body: str, *, part: str = "word/document.xml", container: str = "w:body") -> bytes:
    """A Word package whose main part holds ``body`` (raw WordprocessingML inside w:body)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><{container}>{body}'
                               f"</{container}></w:document>")
    return buffer.getvalue()


def read(data: bytes):
    return read_document(data, source="brief.docx", name="brief.docx")


def test_headings_and_paragraphs_become_sections_and_sentences():
    doc = read(docx_bytes([
        ("paragraph", "Hierbij bied ik u de geannoteerde agenda aan."),
        ("heading", "Werksessie Strategische uitdagingen"),
        ("paragraph", "Nederland blijft Oekraïne steunen. Het kabinet zet zich in voor coördinatie."),
    ]))
    assert [s.heading for s in doc.sections] == [None, "Werksessie Strategische uitdagingen"]
    assert [s.text for s in doc.sections[1].sentences] == [
        "Nederland blijft Oekraïne steunen.", "Het kabinet zet zich in voor coördinatie."]


@pytest.mark.parametrize("style", ["Heading2", "Kop1", "Title", "kop 3"])
def test_a_heading_is_known_by_its_style_in_english_or_dutch_word(style):
    doc = read(word(f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>Inzet</w:t></w:r></w:p>'
                    "<w:p><w:r><w:t>Nederland steunt het voorstel.</w:t></w:r></w:p>"))
    assert doc.sections[-1].heading == "Inzet"


def test_a_paragraph_with_an_outline_level_is_a_heading():
    doc = read(word('<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>Inzet</w:t></w:r></w:p>'
                    "<w:p><w:r><w:t>Nederland steunt het voorstel.</w:t></w:r></w:p>"))
    assert doc.sections[-1].heading == "Inzet"


def test_runs_join_tabs_and_breaks_are_spaces_and_tracked_deletions_are_left_out():
    doc = read(word("<w:p><w:r><w:t>Nederland </w:t></w:r><w:r><w:t>steunt</w:t></w:r><w:r><w:tab/></w:r>"
                    "<w:r><w:t>het</w:t><w:br/><w:t>voorstel</w:t></w:r>"
                    "<w:del><w:r><w:delText> niet</w:delText></w:r></w:del><w:r><w:t>.</w:t></w:r></w:p>"))
    assert [s.text for s in doc.sentences] == ["Nederland steunt het voorstel."]


def test_text_in_table_cells_is_read_in_order():
    doc = read(word("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Nederland steunt het voorstel.</w:t></w:r></w:p></w:tc>"
                    "</w:tr></w:tbl><w:p><w:r><w:t>Het kabinet is tevreden.</w:t></w:r></w:p>"))
    assert [s.text for s in doc.sentences] == ["Nederland steunt het voorstel.", "Het kabinet is tevreden."]


def test_the_word_file_of_an_agenda_reads_to_the_same_sentences_as_its_kamerstuk_xml():
    for xml in (FIXTURE_FILES["kst-28676-474.xml"].read_bytes(), next_agenda_xml()):
        official = read_document(xml, source="kst.xml")
        early = read(word_letter(xml))
        assert compare(early, official).is_empty
        assert [s.key for s in early.sentences] == [s.key for s in official.sentences]


@pytest.mark.parametrize("data, message", [
    (b"PK\x03\x04 not really a zip", "unreadable Word file"),
    (word("<w:p/>", part="word/other.xml"), "no word/document.xml"),
    (word("<w:p><w:r><w:t>open"), "not well-formed XML"),
    (word("</w:p>"), "not well-formed XML"),
    (word("<w:p/>", container="w:bodx"), "no w:document/w:body"),
    (b"PK\x03\x04" + word("<w:p/>")[4:].replace(b"<w:p/>", b"<w:q/>"), "unreadable Word file"),
    (docx_bytes([]), "Word file without text"),
])
def test_a_word_file_we_cannot_read_is_one_clear_error(data, message):
    with pytest.raises(BadInput, match=message):
        read(data)


def test_a_word_file_with_entity_declarations_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM '
                                              f'"file:///etc/passwd">]><w:document {W}><w:body><w:p><w:r><w:t>&x;'
                                              "</w:t></w:r></w:p></w:body></w:document>")
    with pytest.raises(BadInput, match="declares entities"):
        read(buffer.getvalue())


def test_a_word_file_whose_text_unpacks_to_too_much_is_refused_without_unpacking_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (MAX_PART_BYTES + 1))
    assert len(buffer.getvalue()) < 200_000  # a zip bomb: small on the wire
    with pytest.raises(BadInput, match="unpacks to"):
        read(buffer.getvalue())


def test_html_named_docx_is_not_taken_for_a_word_file():
    with pytest.raises(BadInput, match="not a Word file"):
        read_document(b"<html><title>Fout</title></html>", source="x", name="brief.docx")
