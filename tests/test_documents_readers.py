"""Readers: the same letter in XML, HTML, PDF and OCR'd text becomes the same Document."""

import dataclasses
import datetime as dt
import io
import random
import re
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from monitor.compare import compare
from monitor.documents import load_document, read_document
from monitor.errors import BadInput, NotAnAgenda

FIXTURES = Path(__file__).parent / "fixtures"
LETTERS = FIXTURES / "letters"
CORPUS = FIXTURES / "corpus"
TITLE = "Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024"
HEADINGS = [
    "BRIEF VAN DE MINISTER VAN BUITENLANDSE ZAKEN",
    TITLE,
    "Werksessie Strategische uitdagingen",
    "Werkdiner NATO-Ukraine Council",
    "Werksessie Bijeenkomst met Zuidelijke buurlanden",
    "Voortzetting Nederlandse bijdrage operatie Interflex",
]


# --- a PDF with a real text layer, typeset from the letter ----------------------------------

_LETTERHEAD = ["Tweede Kamer der Staten-Generaal", "Vergaderjaar 2024–2025", "", "28 676", "NAVO", "", "Nr. 474",
               "kst-28676-474", "ISSN 0921 - 7371", "'s-Gravenhage 2024", ""]
_VOWELS = set("aeiou")


def _wrap(text: str, width: int) -> list[str]:
    """Fill lines to ``width``, hyphenating long words the way a typesetter would."""
    lines, line = [], ""
    for word in text.split():
        while True:
            candidate = f"{line} {word}" if line else word
            if len(candidate) <= width:
                line = candidate
                break
            head, tail = _hyphenate(word, width - len(line) - 1)
            lines.append(f"{line} {head}".strip() if head else line)
            line, word = "", tail
    return lines + [line] if line else lines


def _hyphenate(word: str, room: int) -> tuple[str | None, str]:
    if "-" in word[1:-1] and word.index("-", 1) + 1 <= room:  # break a compound at its own hyphen
        cut = word.index("-", 1) + 1
        return word[:cut], word[cut:]
    if len(word) >= 8 and word.isalpha() and word.islower():
        for k in range(min(room - 1, len(word) - 3), 2, -1):
            if not (word[k - 1] in _VOWELS and word[k] in _VOWELS):  # between syllables, not inside a vowel
                return word[:k] + "-", word[k:]
    return None, word


def letter_pdf(doc, *, width: int = 78, lines_per_page: int = 52, heading_width: int = 100,
               gap_before_headings: bool = True) -> bytes:
    lines = list(_LETTERHEAD)
    for i, section in enumerate(doc.sections):
        if not gap_before_headings and lines[-1] == "" and i > 1:
            lines.pop()  # the heading right under the paragraph before it, as some layouts set it
        lines += [*_wrap(section.heading, heading_width), ""]
        if i == 0:
            lines += ["Aan de Voorzitter van de Tweede Kamer der Staten-Generaal", "Den Haag, 22 november 2024", ""]
        for paragraph in section.paragraphs:
            lines += _wrap(" ".join(s.text for s in paragraph.sentences), width) + [""]
        if i == 0:
            lines += ["De Minister van Buitenlandse Zaken,", "C.C.J. Veldkamp", ""]
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True)
    for page, start in enumerate(range(0, len(lines), lines_per_page), 1):
        y = 800
        for line in lines[start : start + lines_per_page]:
            canvas.drawString(60, y, line)
            y -= 14
        canvas.drawString(60, 40, f"Tweede Kamer, vergaderjaar 2024–2025, 28 676, nr. 474 {page}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


@pytest.fixture(scope="module")
def xml_doc():
    return load_document(LETTERS / "kst-28676-474.xml")


@pytest.fixture(scope="module")
def pdf_bytes(xml_doc):
    return letter_pdf(xml_doc)


@pytest.fixture(scope="module")
def readings(xml_doc, pdf_bytes):
    return {
        "xml": xml_doc,
        "html": load_document(LETTERS / "kst-28676-474.html"),
        "ocr": load_document(CORPUS / "kst-28676-474.ocr.txt"),
        "pdf": read_document(pdf_bytes, source="kst-28676-474.pdf"),
    }


# --- the same letter in four formats --------------------------------------------------------


def test_the_pdf_fixture_really_has_wrapped_hyphenated_lines_and_page_footers(pdf_bytes):
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages)
    assert re.search(r"[a-z]-\n[a-z]", text), "some word must be hyphenated at a line end"
    assert "NAVO-\n" in text or "Noord-\n" in text or "Midden-\n" in text, "and some compound broken at its hyphen"
    assert text.count("Tweede Kamer, vergaderjaar 2024–2025, 28 676, nr. 474") >= 2


@pytest.mark.parametrize("fmt", ["html", "ocr", "pdf"])
def test_every_reader_yields_the_sentence_keys_of_the_xml(readings, fmt):
    assert [s.key for s in readings[fmt].sentences] == [s.key for s in readings["xml"].sentences]


@pytest.mark.parametrize("fmt", ["xml", "html", "ocr", "pdf"])
def test_every_reader_finds_the_same_sections_and_paragraphs(readings, fmt):
    doc = readings[fmt]
    assert [s.heading for s in doc.sections] == HEADINGS
    assert [len(s.paragraphs) for s in doc.sections] == [1, 3, 4, 2, 4, 1]


@pytest.mark.parametrize("fmt", ["xml", "html", "ocr", "pdf"])
def test_every_reader_reads_the_letters_identity_and_dates(readings, fmt):
    doc = readings[fmt]
    assert (doc.identifier, doc.dossier, doc.number) == ("kst-28676-474", "28676", "474")
    assert doc.title == TITLE
    assert doc.date == dt.date(2024, 11, 22)
    assert doc.meeting_dates == (dt.date(2024, 12, 3), dt.date(2024, 12, 4))


@pytest.mark.parametrize("fmt", ["xml", "html", "ocr", "pdf"])
def test_letterhead_addressee_and_signature_are_no_body_sentences(readings, fmt):
    keys = " | ".join(s.key for s in readings[fmt].sentences)
    for fixed in ("tweede kamer der staten-generaal", "vergaderjaar", "issn", "'s-gravenhage", "kst-28676-474",
                  "nr. 474", "aan de voorzitter", "den haag, 22 november", "veldkamp", "de minister van buitenlandse zaken,"):
        assert fixed not in keys
    assert readings[fmt].sentences[0].text.startswith("Hierbij bied ik u de geannoteerde agenda aan")


@pytest.mark.parametrize("fmt", ["ocr", "pdf"])
def test_wrapped_text_comes_out_without_hyphenation_or_page_break_artefacts(readings, fmt):
    texts = [s.text for s in readings[fmt].sentences]
    joined = " ".join(texts)
    assert not re.search(r"[a-zë]- (?!en |of )", joined)
    assert "bondgenootschap voor staat" in joined and "verantwoordelijkheid" in joined
    assert "NAVO-bondgenoten" in joined and "Noord-Korea" in joined and "VN-Handvest" in joined
    assert "vergaderjaar" not in joined
    assert any(t.endswith("de effectiviteit van de Oekraïense strijdkrachten.")
               or t.endswith("de effectiviteit van de Oekraiense strijdkrachten.") for t in texts)


# --- wrapped headings ------------------------------------------------------------------------

LONG_HEADING = "Voortzetting Nederlandse bijdrage operatie Interflex en vooruitblik"


@pytest.fixture(scope="module")
def long_heading_doc(xml_doc):
    last = dataclasses.replace(xml_doc.sections[-1], heading=LONG_HEADING)
    return dataclasses.replace(xml_doc, sections=(*xml_doc.sections[:-1], last))


@pytest.mark.parametrize("gap_before_headings", [True, False], ids=["blank-line-before", "at-block-end"])
def test_a_heading_wrapped_over_two_lines_of_a_pdf_is_one_heading(long_heading_doc, gap_before_headings):
    before = read_document(letter_pdf(long_heading_doc), source="one-line-heading.pdf")
    after = read_document(letter_pdf(long_heading_doc, heading_width=56, gap_before_headings=gap_before_headings),
                          source="wrapped-heading.pdf")
    text = after.sections[-1].paragraphs[0].sentences[0].text
    assert [s.heading for s in after.sections] == [*HEADINGS[:-1], LONG_HEADING]
    assert text.startswith("Mede namens de Minister van Defensie")  # not glued to the heading
    assert after.sections[-2].paragraphs[-1].sentences[-1].text.endswith("van de VN-Veiligheidsraad.")
    cmp = compare(before, after)
    assert cmp.changes == () and all(m.status == "same" for m in cmp.sections)


def test_the_wrapped_heading_pdf_really_wraps_it(long_heading_doc):
    from pypdf import PdfReader

    pdf = letter_pdf(long_heading_doc, heading_width=56, gap_before_headings=False)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "VN-Veiligheidsraad.\nVoortzetting Nederlandse bijdrage operatie Interflex en\nvooruitblik\n" in text


def test_plain_text_heading_at_the_end_of_a_block_before_a_blank_line():
    text = ("Den Haag, 22 november 2024\n\nWerksessie Zuidflank\n\nNederland steunt de partners in het zuiden.\n"
            "Voortzetting Nederlandse bijdrage operatie Interflex en\nvooruitblik\n\n"
            "Mede namens de Minister van Defensie informeer ik uw Kamer.\n")
    doc = read_document(text.encode(), source="brief.txt")
    assert [s.heading for s in doc.sections] == ["Werksessie Zuidflank", LONG_HEADING]
    assert [s.text for s in doc.sentences] == ["Nederland steunt de partners in het zuiden.",
                                               "Mede namens de Minister van Defensie informeer ik uw Kamer."]


def test_a_page_break_after_a_paragraphs_first_line_makes_no_heading():
    text = ("Werksessie Zuidflank\n\nTijdens deze werksessie spreken de ministers van Buitenlandse Zaken\n\n"
            "Tweede Kamer, vergaderjaar 2024–2025, 28 676, nr. 474 1\n\nover de partners in het zuiden.\n")
    doc = read_document(text.encode(), source="brief.txt")
    assert [s.heading for s in doc.sections] == ["Werksessie Zuidflank"]
    assert [s.text for s in doc.sentences] == [
        "Tijdens deze werksessie spreken de ministers van Buitenlandse Zaken over de partners in het zuiden."]


def test_html_and_xml_paragraphs_that_end_in_a_wrapped_heading_are_split():
    page = ("<html><body><div id='broodtekst'><h2>Werksessie Zuidflank</h2>"
            "<p>Nederland steunt de partners in het zuiden.<br>Voortzetting Nederlandse bijdrage operatie Interflex en"
            "<br>vooruitblik</p><p>Mede namens de Minister van Defensie informeer ik uw Kamer.</p></div></body></html>")
    xml = ("<officiele-publicatie><kamerstuk><stuk><tussenkop>Werksessie Zuidflank</tussenkop>"
           "<al>Nederland steunt de partners in het zuiden.\nVoortzetting Nederlandse bijdrage operatie Interflex en\n"
           "vooruitblik</al><al>Mede namens de Minister van Defensie informeer ik uw Kamer.</al></stuk></kamerstuk>"
           "</officiele-publicatie>")
    for data, name in ((page, "brief.html"), (xml, "brief.xml")):
        doc = read_document(data.encode(), source=name)
        assert [s.heading for s in doc.sections] == ["Werksessie Zuidflank", LONG_HEADING], name
        assert [len(s.paragraphs) for s in doc.sections] == [1, 1], name


def test_display_text_keeps_what_the_source_wrote(readings):
    assert "Oekraïne" in readings["xml"].sentences[3].text
    ocr = " ".join(s.text for s in readings["ocr"].sentences)
    assert "Oekraine" in ocr and "Jordanié" in ocr  # shown as scanned; only the keys fold accents
    assert "Abdullah II" in ocr  # but OCR misreadings that folding cannot absorb are repaired


# --- other letters of the dossier -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "identifier", "date", "meeting", "title_start"),
    [
        ("kst-28676-406.txt", "kst-28676-406", dt.date(2022, 5, 23), (dt.date(2022, 5, 14), dt.date(2022, 5, 15)),
         "VERSLAG VAN DE INFORMELE NAVO MINISTERIËLE BIJEENKOMST"),
        ("kst-28676-446.txt", "kst-28676-446", dt.date(2023, 11, 20), (dt.date(2023, 11, 28), dt.date(2023, 11, 29)),
         "NAVO Foreign Ministers Meeting 28–29 november"),
        ("kst-28676-448.txt", "kst-28676-448", dt.date(2023, 12, 18), (dt.date(2023, 11, 28), dt.date(2023, 11, 29)),
         "Verslag van de NAVO Foreign Ministers Meeting (FMM)"),
        ("2024D50160.txt", None, None, (dt.date(2024, 12, 3), dt.date(2024, 12, 4)),
         "Verslag NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024"),
    ],
)
def test_identity_dates_and_title_of_other_letters(name, identifier, date, meeting, title_start):
    doc = load_document(CORPUS / name)
    assert doc.identifier == identifier
    assert doc.date == date
    assert doc.meeting_dates == meeting
    assert doc.title.startswith(title_start)


def test_plain_text_headings_become_sections_even_without_text_of_their_own():
    doc = load_document(CORPUS / "kst-28676-446.txt")
    assert [s.heading for s in doc.sections][-2:] == ["Sessie 1: Voorbespreking NAVO-top Washington juli 2024", "Oekraïne"]
    assert doc.sections[-2].paragraphs == ()


def test_headings_are_found_in_text_extracted_without_blank_lines():
    doc = load_document(CORPUS / "kst-28676-554.txt")
    assert [s.heading for s in doc.sections] == [
        "BRIEF VAN DE MINISTER VAN DEFENSIE", "NAVO Defensie Ministeriële bijeenkomst", "Afschrikking en verdediging"]
    assert "H.G.J." not in " ".join(s.text for s in load_document(CORPUS / "kst-28676-448.txt").sentences)


# --- encodings and format hints -------------------------------------------------------------


def test_text_in_cp1252_with_bom_free_crlf_reads_like_utf8(readings):
    text = (CORPUS / "kst-28676-474.ocr.txt").read_text(encoding="utf-8").replace("—", "-")
    doc = read_document(text.replace("\n", "\r\n").encode("cp1252"), source="474.txt")
    assert [s.key for s in doc.sentences] == [s.key for s in readings["xml"].sentences]


def test_xml_is_decoded_by_its_declaration(readings):
    text = (LETTERS / "kst-28676-474.xml").read_text(encoding="utf-8-sig")
    latin = text.replace('encoding="utf-8"', 'encoding="ISO-8859-1"').encode("iso-8859-1", "xmlcharrefreplace")
    doc = read_document(latin, source="474-latin1.xml")
    assert [s.text for s in doc.sentences] == [s.text for s in readings["xml"].sentences]


def test_content_decides_the_format_not_the_name(readings):
    html = (LETTERS / "kst-28676-474.html").read_bytes()
    doc = read_document(html, source="saved-as.xml", name="saved-as.xml", media_type="application/xml")
    assert [s.key for s in doc.sentences] == [s.key for s in readings["xml"].sentences]


# --- bad input ------------------------------------------------------------------------------


def _one_line_error(exc_info, path) -> str:
    message = str(exc_info.value)
    assert "\n" not in message and str(path) in message
    return message


def test_a_missing_file_is_bad_input(tmp_path):
    path = tmp_path / "kst-28676-999.xml"
    with pytest.raises(BadInput) as exc_info:
        load_document(path)
    assert "no such file" in _one_line_error(exc_info, path)


@pytest.mark.parametrize("content", [b"", b"  \r\n\t\n"])
def test_an_empty_file_is_bad_input(tmp_path, content):
    path = tmp_path / "leeg.txt"
    path.write_bytes(content)
    with pytest.raises(BadInput) as exc_info:
        load_document(path)
    assert "empty" in _one_line_error(exc_info, path)


@pytest.mark.parametrize("name", ["garbage.bin", "garbage.txt", "garbage.html", "garbage.pdf", "garbage.xml"])
def test_binary_garbage_is_bad_input(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(random.Random(474).randbytes(8192))
    with pytest.raises(BadInput) as exc_info:
        load_document(path)
    _one_line_error(exc_info, path)


def test_a_broken_pdf_is_bad_input(tmp_path):
    path = tmp_path / "kapot.pdf"
    path.write_bytes(b"%PDF-1.7\n" + random.Random(1).randbytes(2000))
    with pytest.raises(BadInput) as exc_info:
        load_document(path)
    _one_line_error(exc_info, path)


def test_a_pdf_without_text_layer_is_not_an_agenda(tmp_path):
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.rect(50, 50, 200, 200)  # a "scan": graphics, no text
    canvas.showPage()
    canvas.save()
    path = tmp_path / "scan.pdf"
    path.write_bytes(out.getvalue())
    with pytest.raises(NotAnAgenda) as exc_info:
        load_document(path)
    assert "text layer" in _one_line_error(exc_info, path)


@pytest.mark.parametrize(
    "page",
    [
        "<!DOCTYPE html><html><head><title>Pagina niet gevonden</title></head><body><header>Overheid.nl</header>"
        "<main><h1>Pagina niet gevonden</h1><p>De pagina die u zocht bestaat niet. Ga terug naar de homepage.</p>"
        "</main><footer>Over deze site</footer></body></html>",
        "<!DOCTYPE html><html><body><nav><a href='/'>Home</a></nav><h1>Zoekresultaten</h1><ul>"
        "<li>Kamerstuk 28676, nr. 474. Brief regering.</li><li>Kamerstuk 28676, nr. 475. Motie.</li></ul></body></html>",
        "<html><body><div id='broodtekst' class='stuk'><p class='kamerstukkop'>Tweede Kamer der Staten-Generaal</p>"
        "</div></body></html>",
    ],
)
def test_an_html_page_without_letter_text_is_not_an_agenda(tmp_path, page):
    path = tmp_path / "pagina.html"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(NotAnAgenda) as exc_info:
        load_document(path)
    _one_line_error(exc_info, path)


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b'<?xml version="1.0"?><officiele-publicatie><kamerstuk><al>Half', BadInput),
        (b'<?xml version="1.0"?><searchRetrieveResponse><records/></searchRetrieveResponse>', NotAnAgenda),
    ],
)
def test_broken_or_foreign_xml_is_refused(tmp_path, content, error):
    path = tmp_path / "stuk.xml"
    path.write_bytes(content)
    with pytest.raises(error) as exc_info:
        load_document(path)
    _one_line_error(exc_info, path)


def _xml_with_entity(declaration: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f"<!DOCTYPE officiele-publicatie [\n{declaration}\n]>\n"
        "<officiele-publicatie><kamerstuk><stuk><algemeen><vrije-tekst><tekst>"
        "<al>Nederland steunt &x; Oekraïne.</al></tekst></vrije-tekst></algemeen></stuk></kamerstuk>"
        "</officiele-publicatie>"
    ).encode()


def test_an_external_entity_is_never_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM-WACHTWOORD", encoding="utf-8")
    data = _xml_with_entity(f'<!ENTITY x SYSTEM "{secret.as_uri()}">')
    try:
        doc = read_document(data, source="xxe.xml")
    except BadInput as exc:
        assert "\n" not in str(exc)
    else:
        assert "GEHEIM" not in " ".join(s.text for s in doc.sentences)


def test_entity_expansion_bombs_are_refused():
    lol = "\n".join(
        ['<!ENTITY a "lollollollollollollollollollol">']
        + [f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)]
        + ['<!ENTITY x "&i;">']
    )
    with pytest.raises(BadInput):
        read_document(_xml_with_entity(lol), source="bomb.xml")


def test_html_headings_by_class_and_letters_outside_broodtekst_are_read():
    page = (
        "<html><body><nav>Menu</nav><main><p>Den Haag, 22 november 2024</p>"
        "<p class='kop'><span class='nr'>1.</span> <span class='titel'>Oekraïne</span></p>"
        "<p>Nederland steunt Oekraïne<sup class='nootnum'>1</sup> <em>onverminderd</em>.<br>Het kabinet ook.</p>"
        "<div class='voetnoten'><p>1 Zie Kamerstuk 28 676, nr. 474.</p></div></main><footer>Over</footer></body></html>"
    )
    doc = read_document(page.encode(), source="brief.html")
    assert [s.heading for s in doc.sections] == ["1. Oekraïne"]
    assert [s.text for s in doc.sentences] == ["Nederland steunt Oekraïne onverminderd.", "Het kabinet ook."]
    assert doc.date == dt.date(2024, 11, 22)
