"""Publications for the test peer: real fixtures where we have them, synthetic ones in the real format.

Every fixture file the peer serves is named here (``FIXTURE_FILES``), so a real capture replaces
a RECONSTRUCTED one by changing one line. Synthetic Kamerstukken follow the byte conventions of
real OP XML (UTF-8 BOM, CRLF, two-space indent, ``officiele-publicatie`` root, no namespace);
their ``metadata.xml``, ``metadata_owms.xml`` and XHTML page follow the captured kst-32545-143
(``tests/fixtures/koop/captured``), which wins where a reconstruction said otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
from dataclasses import dataclass, field, replace
from email.utils import format_datetime
from html import escape as html_escape
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
AMSTERDAM = dt.timezone(dt.timedelta(hours=1))  # CET; the peer need not model DST


def _first_existing(*candidates: Path) -> Path:
    return next((p for p in candidates if p.exists()), candidates[-1])


# The real agenda text (another helper writes letters/…) wins over the reconstruction.
FIXTURE_FILES = {
    "kst-28676-474.xml": _first_existing(
        FIXTURES / "letters" / "kst-28676-474.xml", FIXTURES / "koop" / "kst-28676-474.RECONSTRUCTED.xml"
    ),
    "kst-28676-474.html": FIXTURES / "letters" / "kst-28676-474.html",  # generated when absent
    "sru-response": FIXTURES / "koop" / "captured" / "sru-response-plooi-10-records.xml",
    # the publisher's real answers: KOOP's own test resources, and what `doctor --live --save` adds
    "captured": FIXTURES / "koop" / "captured",
    "kst-32545-143": FIXTURES / "koop" / "captured" / "kst-32545-143",  # xml, html, pdf, metadata(_owms).xml
}

DUTCH_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                "september", "oktober", "november", "december")


@dataclass
class PeerDoc:
    """One publication as the peer knows it: record fields and the bytes of each manifestation."""

    identifier: str
    dossier: str
    number: str
    title: str  # documenttitel
    date: dt.date  # the letter's date
    available: dt.date  # publication date
    modified: dt.datetime  # tz-aware; a correction moves it
    files: dict[str, bytes] = field(default_factory=dict)  # "xml" | "html" | "metadata" | "pdf"
    document_type: str = "Brief"
    dossier_title: str = "NAVO"
    publicatienaam: str = "Kamerstuk"
    dcterms_type: str = "Kamerstuk"
    expression: int = 1  # the FRBR expression in the item URLs: …/<identifier>/1/xml/…
    has_version: int = 1  # dcterms:hasVersion
    # the other change signals; None: the same moment as ``modified``
    timestamp: dt.datetime | None = None  # gzd:timestamp
    changed_expression: dt.datetime | None = None  # cd:datumTijdstipWijzigingExpression
    changed_work: dt.datetime | None = None  # cd:datumTijdstipWijzigingWork
    host: str | None = None  # record URLs on this host instead of the peer's (foreign-host tests)

    def etag(self, kind: str) -> str:
        return f'"{hashlib.sha256(self.files.get(kind, b"")).hexdigest()[:20]}"'

    @property
    def last_modified(self) -> str:
        return format_datetime(self.modified.astimezone(dt.UTC), usegmt=True)

    @property
    def frbr_dir(self) -> str:
        return f"/frbr/officielepublicaties/kst/{self.dossier}/{self.identifier}/{self.expression}"

    def path(self, kind: str) -> str:
        name = {"metadata": "metadata.xml", "metadataowms": "metadata_owms.xml"}.get(kind, f"{self.identifier}.{kind}")
        return f"{self.frbr_dir}/{kind}/{name}"

    def stamp(self, signal: str) -> str:
        """The record's value of a change signal (the names of ``monitor.source.sru.SIGNALS``)."""
        moment = {"gzd:timestamp": self.timestamp, "cd:datumTijdstipWijzigingExpression": self.changed_expression,
                  "cd:datumTijdstipWijzigingWork": self.changed_work}.get(signal) or self.modified
        return moment.date().isoformat() if signal == "dcterms:modified" else moment.isoformat()

    @property
    def session_year(self) -> str:
        first = self.date.year if self.date.month >= 9 else self.date.year - 1
        return f"{first}-{first + 1}"


# --- byte builders --------------------------------------------------------------------------


def _crlf(lines: list[str]) -> bytes:
    return "\r\n".join(lines).encode("utf-8") + b"\r\n"


def dutch_date(day: dt.date) -> str:
    return f"{day.day} {DUTCH_MONTHS[day.month - 1]} {day.year}"


def kst_xml(identifier: str, dossier: str, number: str, date: dt.date, paragraphs: list[str],
            *, dossier_title: str = "NAVO", herdruk: bool = False) -> bytes:
    """A small Kamerstuk: elements and schema as the captured kst-32545-143, bytes (BOM, CRLF) as
    the verbatim Staatsblad and Handelingen siblings (the captured files were likely re-saved)."""
    spaced = f"{dossier[:2]} {dossier[2:]}" if dossier.isdigit() and len(dossier) == 5 else dossier
    year = date.year if date.month >= 9 else date.year - 1
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<officiele-publicatie xsi:noNamespaceSchemaLocation="http://technische-documentatie.oep.overheid.nl/'
        'repository/schemas/op-consolidated/op-consolidated_2014-05-15/xsd/op-xsd-2014-05-15.xsd" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
        "  <metadata>",
        f'    <meta name="OVERHEIDop.externMetadataRecord" scheme="" '
        f'content="https://zoek.officielebekendmakingen.nl/{identifier}/metadata.xml" />',
        "  </metadata>",
        "  <kamerstuk>",
        "    <kamerstukkop>",
        f'      <tekstregel inhoud="vergaderjaar">Vergaderjaar {year}-{year + 1}</tekstregel>',
        '      <tekstregel inhoud="kameraanduiding">Tweede Kamer der Staten-Generaal</tekstregel>',
        '      <tekstregel inhoud="kamernummer">2</tekstregel>',
        '      <tekstregel inhoud="documenttype">Kamerstukken</tekstregel>',
        "    </kamerstukkop>",
        "    <dossier>",
        "      <dossiernummer>",
        f"        <dossiernr>{escape(spaced)}</dossiernr>",
        "      </dossiernummer>",
        f"      <titel>{escape(dossier_title)}</titel>",
        "    </dossier>",
        "    <stuk>",
        f'      <stuknr>Nr. <ondernummer kamer="2">{escape(number)}</ondernummer>'
        + ("<herdruk>HERDRUK</herdruk>" if herdruk else "") + "</stuknr>",
        "      <titel>BRIEF VAN DE MINISTER VAN BUITENLANDSE ZAKEN</titel>",
        f'      <datumtekst>Den Haag, <datum isodatum="{date.isoformat()}">{dutch_date(date)}</datum></datumtekst>',
        "      <algemeen>",
        "        <vrije-tekst>",
        '          <tekst status="goed">',
        "            <al>Aan de Voorzitter van de Tweede Kamer der Staten-Generaal</al>",
        *(f"            <al>{escape(p)}</al>" for p in paragraphs),
        "          </tekst>",
        "        </vrije-tekst>",
        "        <tekst-sluiting>",
        "          <ondertekening>",
        "            <functie>De Minister van Buitenlandse Zaken,</functie>",
        "            <naam>",
        "              <voornaam>C.C.J.</voornaam> <achternaam>Veldkamp</achternaam></naam>",
        "          </ondertekening>",
        "        </tekst-sluiting>",
        "      </algemeen>",
        "    </stuk>",
        "  </kamerstuk>",
        "</officiele-publicatie>",
    ]
    return b"\xef\xbb\xbf" + _crlf(lines)


def metadata_xml(doc: PeerDoc) -> bytes:
    """``metadata.xml`` as captured: an XML declaration, LF, one ``<metadata name scheme content/>`` a line."""
    rows = [
        ("OVERHEIDop.documentStatus", "", "Opgemaakt na onopgemaakt"),
        ("DC.title", "", f"{doc.dossier_title}; {doc.document_type}; {doc.title}"),
        ("OVERHEIDop.doctype", "", "Officiële Publicaties, versie 1.1"),
        ("OVERHEIDop.documenttitel", "", doc.title),
        ("OVERHEIDop.dossiernummer", "", doc.dossier),
        ("OVERHEIDop.dossiertitel", "", doc.dossier_title),
        ("OVERHEIDop.ondernummer", "", doc.number),
        ("OVERHEIDop.publicationName", "", doc.publicatienaam),
        ("OVERHEIDop.vergaderjaar", "", doc.session_year),
        ("DCTERMS.language", "DCTERMS.RFC4646", "nl"),
        ("DCTERMS.available", "DCTERMS.W3CDTF", doc.available.isoformat()),
        ("DCTERMS.issued", "DCTERMS.W3CDTF", doc.date.isoformat()),
        ("DC.creator", "OVERHEID.StatenGeneraal", "Tweede Kamer der Staten-Generaal"),
        ("DC.type", "OVERHEIDop.KamerstukTypen", doc.document_type),
        ("DC.type", "OVERHEIDop.Parlementair", doc.dcterms_type),
        ("DC.identifier", "OVERHEIDop.ParlID", doc.identifier),
    ]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<metadata_gegevens>"] + [
        f"<metadata name={quoteattr(n)} scheme={quoteattr(s)} content={quoteattr(c)}/>" for n, s, c in rows
    ]
    return ("\n".join(lines) + "\n</metadata_gegevens>").encode("utf-8")


def metadata_owms_xml(doc: PeerDoc) -> bytes:
    """``metadata_owms.xml`` as captured: namespaced ``owms-metadata`` with ``owmskern`` and ``owmsmantel``."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<owms-metadata xmlns:dcterms="http://purl.org/dc/terms/" xmlns:overheid="http://standaarden.overheid.nl/owms/terms/" xmlns:overheidop="http://standaarden.overheid.nl/oep/meta/">
   <owmskern>
      <dcterms:identifier>{escape(doc.identifier)}</dcterms:identifier>
      <dcterms:title>{escape(doc.dossier_title)}; {escape(doc.document_type)}; {escape(doc.title)}</dcterms:title>
      <dcterms:language>nl</dcterms:language>
      <dcterms:type scheme="overheid:Informatietype">officiële publicatie</dcterms:type>
      <dcterms:creator scheme="overheid:StatenGeneraal">Tweede Kamer der Staten-Generaal</dcterms:creator>
      <dcterms:modified>{doc.stamp("dcterms:modified")}</dcterms:modified>
   </owmskern>
   <owmsmantel>
      <dcterms:available>{doc.available.isoformat()}</dcterms:available>
      <dcterms:issued>{doc.date.isoformat()}</dcterms:issued>
   </owmsmantel>
</owms-metadata>
""".encode("utf-8")


def paragraphs_of(xml: bytes) -> list[str]:
    """The ``<al>`` texts of a kst XML, tags dropped (enough for an HTML or PDF rendering)."""
    text = xml.decode("utf-8-sig", "replace")
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r"<al>(.*?)</al>", text, re.S)]


def stuk_title(xml: bytes | None) -> str:
    """The stuk's own title in a kst XML ("BRIEF VAN DE MINISTER …"), as the page shows it."""
    found = re.search(rb"<stuk>.*?<titel>(.*?)</titel>", xml or b"", re.S)
    return found.group(1).decode("utf-8") if found else "BRIEF VAN DE MINISTER VAN BUITENLANDSE ZAKEN"


def html_page(doc: PeerDoc, xml: bytes | None) -> bytes:
    """The site's XHTML page as captured: an XML declaration before the DOCTYPE, meta tags,
    ``div#broodtekst`` > ``div.stuk`` > ``div.algemeen`` with one ``<p>`` per paragraph."""
    e = html_escape
    spaced = f"{doc.dossier[:2]} {doc.dossier[2:]}" if doc.dossier.isdigit() and len(doc.dossier) == 5 else doc.dossier
    body = "\n".join(f"               <p>{e(p)}</p>" for p in (paragraphs_of(xml) if xml else [doc.title]))
    page = f"""<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html
  PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="nl">
   <head>
      <meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
      <meta name="DC.identifier" scheme="OVERHEIDop.ParlID" content="{e(doc.identifier)}" />
      <meta name="OVERHEIDop.ondernummer" content="{e(doc.number)}" />
      <meta name="OVERHEIDop.dossiernummer" content="{e(doc.dossier)}" />
      <meta name="DC.title" scheme="" content="{e(doc.dossier_title)}; {e(doc.document_type)}; {e(doc.title)}" />
      <title></title>
   </head>
   <body onload="enablePopup()">
      <div id="broodtekst">
         <h1 class="dossiertitel"><span class="dossiernummer">{e(spaced)}</span> {e(doc.dossier_title)}</h1>
         <div class="stuk">
            <h1 class="stuktitel"><span class="stuknummer">Nr. {e(doc.number)}</span> {e(stuk_title(xml))}</h1>
            <p class="kamerstukdatum">Den Haag, <span class="datum">{dutch_date(doc.date)}</span></p>
            <div class="algemeen">
{body}
            </div>
         </div>
      </div>
   </body>
</html>"""
    return page.encode("utf-8")


def pdf_bytes(lines: list[str]) -> bytes:
    """A small valid one-page PDF with ``lines`` as text (Latin-1 only; other characters become '?')."""
    def pdf_string(s: str) -> str:
        raw = s.encode("latin-1", "replace").decode("latin-1")
        return "(" + raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"

    stream = "BT /F1 10 Tf 50 800 Td 12 TL " + " ".join(f"{pdf_string(s[:90])} '" for s in lines[:60]) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def render(doc: PeerDoc, xml: bytes | None) -> PeerDoc:
    """``doc`` with every manifestation built from ``xml`` (None: an HTML-only publication)."""
    files = {"html": html_page(doc, xml), "metadata": metadata_xml(doc), "metadataowms": metadata_owms_xml(doc),
             "pdf": pdf_bytes([doc.title, *(paragraphs_of(xml) if xml else [])])}
    if xml is not None:
        files["xml"] = xml
    return replace(doc, files=files)


# --- documents ------------------------------------------------------------------------------


def make_doc(identifier: str, title: str, *, dossier: str | None = None, number: str | None = None,
             date: dt.date | None = None, available: dt.date | None = None,
             modified: dt.datetime | None = None, xml: bytes | None = None, paragraphs: list[str] | None = None,
             html_only: bool = False, **fields) -> PeerDoc:
    """A publication with all manifestations; the XML is synthesised unless given."""
    parts = re.match(r"[a-z]+-(\d+(?:-[0-9A-Z]{2})?)-(\w+)", identifier)
    dossier = dossier or (parts.group(1) if parts else "28676")
    number = number or (parts.group(2) if parts else "1")
    available = available or dt.date.today()
    date = date or available - dt.timedelta(days=2)
    modified = modified or dt.datetime.combine(available, dt.time(10, 0), AMSTERDAM)
    if xml is None and not html_only:
        xml = kst_xml(identifier, dossier, number, date, paragraphs or default_paragraphs(title, int_or(number, 1)),
                      dossier_title=fields.get("dossier_title", "NAVO"), herdruk=identifier.endswith("-n1"))
    doc = PeerDoc(identifier=identifier, dossier=dossier, number=number, title=title, date=date,
                  available=available, modified=modified, **fields)
    return render(doc, xml)


def int_or(text: str, default: int) -> int:
    return int(text) if text.isdigit() else default


def default_paragraphs(title: str, n: int) -> list[str]:
    """A few sentences in the register of the real letters, with figures that vary by ``n``."""
    return [
        f"Hierbij bied ik u, mede namens de Minister van Defensie, de {title[0].lower() + title[1:]} aan.",
        f"Nederland blijft Oekraïne onverminderd steunen; het kabinet stelt in {2020 + n % 8} "
        f"EUR {n % 9 + 1},{n % 10} miljard beschikbaar voor militaire steun.",
        f"Het kabinet zet zich in voor coördinatie binnen de NAVO en levert circa {(n * 37) % 900 + 100} "
        "militairen aan de versterkte voorwaartse aanwezigheid – in Litouwen en Roemenië.",
    ]


_CITIES = ("Brussel", "Vilnius", "Washington D.C.", "Den Haag", "Madrid", "Londen")
_PLACES = ("Litouwen", "Roemenië", "Irak", "de Baltische staten", "Kosovo")


def _title_for(rng: random.Random, meeting: dt.date) -> tuple[str, str]:
    """A (title, document type) in the mix seen in dossier 28676."""
    days = f"{meeting.day} en {(meeting + dt.timedelta(days=1)).day} {DUTCH_MONTHS[meeting.month - 1]} {meeting.year}"
    roll = rng.random()
    if roll < 0.22:
        return f"Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) {days}", "Brief"
    if roll < 0.40:
        return f"Verslag NAVO Foreign Ministers Meeting (FMM) {days}", "Brief"
    if roll < 0.52:
        return f"Geannoteerde agenda NAVO Defensie ministeriële bijeenkomst {days}", "Brief"
    if roll < 0.57:
        return f"Geannoteerde agenda informele NAVO Foreign Ministers Meeting {days}", "Brief"
    if roll < 0.64:
        return f"Verslag van de NAVO-top in {rng.choice(_CITIES)} van {days}", "Brief"
    if roll < 0.72:
        return f"Motie van het lid Van der Lee over de Nederlandse bijdrage in {rng.choice(_PLACES)}", "Motie"
    return rng.choice([
        f"Reactie op verzoek commissie over de Nederlandse bijdrage aan de NAVO-missie in {rng.choice(_PLACES)}",
        "Antwoord op vragen van de commissie over de voorbereiding van de NAVO-top",
        "Stand van zaken Nederlandse defensie-uitgaven en de NAVO-norm van 2%",
        "Lijst van vragen en antwoorden over de Nederlandse inzet in de NAVO",
    ]), "Brief"


def agenda_474() -> PeerDoc:
    """kst-28676-474, the geannoteerde agenda FMM 3–4 December 2024, from the fixture files."""
    doc = make_doc("kst-28676-474", "Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024",
                   date=dt.date(2024, 11, 22), available=dt.date(2024, 11, 25),
                   modified=dt.datetime(2024, 11, 25, 10, 35, 38, tzinfo=AMSTERDAM),
                   xml=FIXTURE_FILES["kst-28676-474.xml"].read_bytes())
    if FIXTURE_FILES["kst-28676-474.html"].exists():
        doc.files["html"] = FIXTURE_FILES["kst-28676-474.html"].read_bytes()
    return doc


def captured_motie() -> PeerDoc:
    """kst-32545-143 as captured: every manifestation byte for byte, record fields from its metadata."""
    folder = FIXTURE_FILES["kst-32545-143"]
    doc = make_doc("kst-32545-143", "Motie van de leden Inge van Dijk en Grinwis over het definiëren van een "
                   "grensspaarsaldo voor negatieve spaarrente", date=dt.date(2021, 7, 6),
                   available=dt.date(2021, 7, 7), modified=dt.datetime(2021, 7, 9, 11, 23, 39, tzinfo=AMSTERDAM),
                   document_type="Motie", dossier_title="Wet- en regelgeving financiële markten")
    doc.files = {kind: (folder / name).read_bytes() for kind, name in (
        ("xml", "kst-32545-143.xml"), ("html", "kst-32545-143.html"), ("pdf", "kst-32545-143.pdf"),
        ("metadata", "metadata.xml"), ("metadataowms", "metadata_owms.xml"))}
    return doc


# kst-28676-490: the agenda of the next FMM, edited by hand from kst-28676-474 (not a real letter)
NEXT_AGENDA_DROPPED = ("Nederland zal tijdens deze werksessie daarom onderstrepen dat het faciliteren van Russische "
                       "agressie door derde landen consequenties moet hebben.")
NEXT_AGENDA_NEW = ("Nederland pleit daarnaast voor een gezamenlijke NAVO-aanpak tegen sabotage van onderzeese "
                   "infrastructuur.")
NEXT_AGENDA_TITLE = "Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 april 2025"


def next_agenda_xml() -> bytes:
    """kst-28676-490: one position changed (a figure), one new, one dropped; new dates."""
    text = FIXTURE_FILES["kst-28676-474.xml"].read_bytes().decode("utf-8")
    edits = [
        ("3 en 4 december 2024", "3 en 4 april 2025"),
        ("3 en 4 december aanstaande", "3 en 4 april aanstaande"),
        ("Den Haag, 22 november 2024", "Den Haag, 24 maart 2025"),
        ("<ondernummer kamer=\"2\">474</ondernummer>", "<ondernummer kamer=\"2\">490</ondernummer>"),
        ("kst-28676-474", "kst-28676-490"),
        ("minimaal 2% van het bbp aan defensie besteden", "minimaal 3,5% van het bbp aan defensie besteden"),
        (" " + NEXT_AGENDA_DROPPED, ""),
        ("de NAVO-hybride strategie te herzien.", "de NAVO-hybride strategie te herzien. " + NEXT_AGENDA_NEW),
    ]
    for old, new in edits:
        if old not in text:
            raise ValueError(f"the agenda fixture no longer contains {old!r}")
        text = text.replace(old, new)
    return text.encode("utf-8")


def synthesise(count: int, dossier: str = "28676", *, first_number: int = 1,
               start: dt.date = dt.date(2014, 1, 6), seed: int = 0) -> list[PeerDoc]:
    """``count`` publications numbered from ``first_number``, two a day every nine days.

    Pairs share a publication date, so sorting must break ties on the identifier. For dossier
    28676 number 474 is the real agenda (fixture), with its real dates moved into sequence.
    """
    docs = []
    for i in range(count):
        number = first_number + i
        available = start + dt.timedelta(days=(i // 2) * 9)
        modified = dt.datetime.combine(available, dt.time(9, 0), AMSTERDAM) + dt.timedelta(minutes=i % 2)
        if dossier == "28676" and number == 474:
            docs.append(replace(agenda_474(), available=available, modified=modified))
            continue
        rng = random.Random(f"{seed}:{dossier}:{number}")
        title, kind = _title_for(rng, available + dt.timedelta(days=rng.randint(7, 14)))
        docs.append(make_doc(f"kst-{dossier}-{number}", title, dossier=dossier, number=str(number),
                             available=available, modified=modified, document_type=kind))
    return docs


# --- a directory of publications (the standalone peer) -----------------------------------------


def write_directory(folder: Path, docs: list[PeerDoc]) -> None:
    """``<id>.xml`` plus ``<id>.json`` (the record fields) per publication."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (folder / f"{doc.identifier}.xml").write_bytes(doc.files["xml"])
        (folder / f"{doc.identifier}.json").write_text(json.dumps({
            "title": doc.title, "dossier": doc.dossier, "number": doc.number, "date": doc.date.isoformat(),
            "available": doc.available.isoformat(), "modified": doc.modified.isoformat(),
            "document_type": doc.document_type,
        }, ensure_ascii=False, indent=1), encoding="utf-8")


def load_directory(folder: Path) -> list[PeerDoc]:
    """Publications from ``folder``: every ``<id>.xml``, fields from ``<id>.json`` when present."""
    docs = []
    for xml_path in sorted(folder.glob("*.xml")):
        identifier = xml_path.stem
        sidecar = xml_path.with_suffix(".json")
        meta = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
        xml = xml_path.read_bytes()
        title = meta.pop("title", None) or (paragraphs_of(xml)[1:2] or [identifier])[0][:120]
        dates = {k: dt.date.fromisoformat(meta.pop(k)) for k in ("date", "available") if k in meta}
        modified = dt.datetime.fromisoformat(meta.pop("modified")) if "modified" in meta else None
        docs.append(make_doc(identifier, title, xml=xml, modified=modified, **dates, **meta))
    return docs
