"""The words of the site in Dutch (default) and English; templates hold no language-specific text.

>>> words("nl")["stance"]["support"], words("en")["stance"]["support"]
('steunt', 'supports')
>>> words("de")
Traceback (most recent call last):
...
monitor.errors.BadInput: unknown language 'de' (choose nl or en)
"""

from __future__ import annotations

from typing import Any

from monitor.vocabulary import in_language, with_shared_words

_OWN: dict[str, dict[str, Any]] = {
    "nl": {
        "site_title": "Dossiermonitor NAVO",
        "skip": "Naar de inhoud",
        "nav_label": "Hoofdmenu",
        "nav_letters": "Brieven",
        "nav_agendas": "Agenda's",
        "nav_topics": "Onderwerpen",
        "nav_feed": "Atom-feed",
        "index_intro": "Alle brieven in de gevolgde dossiers, nieuwste eerst, met een kopie van elke versie "
                       "zoals die is opgehaald. Voor de geannoteerde agenda's van de NAVO-ministers van "
                       "Buitenlandse Zaken (FMM) staan de Nederlandse standpunten per werksessie en onderwerp, "
                       "en wat er veranderde ten opzichte van de vorige agenda.",
        "dossier": "Dossier",
        "letters": "brieven",
        "no_letters": "Nog geen brieven opgeslagen.",
        "original": "origineel",
        "original_long": "Origineel op officielebekendmakingen.nl",
        "our_copy": "onze kopie",
        "positions_page": "standpunten",
        "version": "versie",
        "versions": "Versies",
        "fetched": "opgehaald",
        "letter_date": "Datum brief",
        "meeting": "Vergadering",
        "identifier": "Kenmerk",
        "series": "Reeks",
        "latest": "nieuwste",
        "this_version": "deze versie",
        "compare_previous_version": "vergelijk met versie {version}",
        "opening": "(begin van de brief)",
        "unreadable": "De tekst van deze versie kon niet worden gelezen: {reason}",
        "text": "Tekst",
        "agendas_title": "Geannoteerde agenda's FMM",
        "agendas_intro": "De geannoteerde agenda's voor de bijeenkomsten van NAVO-ministers van Buitenlandse "
                         "Zaken, op volgorde van vergaderdatum, met de Nederlandse standpunten en de "
                         "wijzigingen ten opzichte van de agenda ervoor.",
        "no_agendas": "Nog geen geannoteerde agenda's opgeslagen.",
        "agenda_title": "Geannoteerde agenda FMM {meeting}",
        "positions": "standpunten",
        "positions_title": "Standpunten per werksessie",
        "no_positions": "Geen standpunten van het kabinet herkend.",
        "other_topics": "Overige",
        "comparison_title": "Vergelijking met de vorige agenda",
        "compared_with": "Vergeleken met",
        "first_agenda": "Dit is de eerste opgeslagen agenda: er is geen vorige om mee te vergelijken.",
        "full_report": "Volledig vergelijkingsrapport",
        "position_changes": "Gewijzigde, nieuwe en vervallen standpunten",
        "no_position_changes": "Geen standpunten gewijzigd.",
        "letter_text": "Volledige tekst",
        "topics_title": "Onderwerpen",
        "topics_intro": "Per onderwerp hoe de Nederlandse standpunten zich over de geannoteerde agenda's "
                        "ontwikkelden.",
        "topic_title": "Onderwerp: {topic}",
        "topic_intro": "De standpunten van het kabinet over {topic} in elke geannoteerde agenda, op volgorde "
                       "van vergaderdatum. Bij elke stap staat wat er veranderde ten opzichte van de stap "
                       "ervoor: doorgehaald is geschrapt, onderstreept is toegevoegd.",
        "latest_count": "in laatste agenda",
        "total_count": "in alle agenda's",
        "timeline": "Tijdlijn",
        "chart_title": "Standpunten over {topic} per vergadering",
        "chart_desc": "Gestapelde staven: per vergadering het aantal standpunten over {topic}, "
                      "verdeeld naar houding.",
        "chart_table": "De cijfers van de grafiek",
        "chart_legend": "Legenda",
        "count": "aantal",
        "total": "totaal",
        "step_positions": "Standpunten in deze agenda ({count})",
        "step_none": "Geen standpunten over dit onderwerp in deze agenda.",
        "step_changes": "Veranderd ten opzichte van {previous}",
        "step_first": "Eerste agenda in de tijdlijn.",
        "unchanged_count": "{count} ongewijzigd",
        "no_changes": "Geen veranderingen.",
        "stance": {"support": "steunt", "oppose": "is tegen", "emphasis": "benadrukt",
                   "acquiesce": "aanvaardt", "neutral": "neutraal"},
        "stance_long": {"support": "Steun", "oppose": "Verzet", "emphasis": "Nadruk",
                        "acquiesce": "Aanvaarding", "neutral": "Neutraal"},
        "badge": {"fmm-agenda": "FMM-agenda", "fmm-verslag": "FMM-verslag", "dmm-agenda": "DMM-agenda",
                  "summit": "NAVO-top", "other": "Overig"},
        "feed_title": "{title}: nieuwe brieven en vergelijkingen",
        "feed_new_letter": "Nieuwe brief: {title}",
        "feed_new_version": "Nieuwe versie ({version}): {title}",
        "feed_comparison": "Vergelijking: {new} met {old}",
        "feed_letter_summary": "{id}, {date}. {series}.",
        "footer": "Gemaakt door dossier-monitor uit de brieven zelf; de originelen staan op "
                  "officielebekendmakingen.nl.",
        "back_to_site": "Terug naar de site",
    },
    "en": {
        "site_title": "Dossier monitor NATO",
        "skip": "Skip to content",
        "nav_label": "Main menu",
        "nav_letters": "Letters",
        "nav_agendas": "Agendas",
        "nav_topics": "Topics",
        "nav_feed": "Atom feed",
        "index_intro": "Every letter in the watched dossiers, newest first, with a copy of every version as it "
                       "was fetched. For the annotated agendas of the NATO Foreign Ministers Meetings (FMM) the "
                       "Dutch positions are listed by working session and topic, with what changed since the "
                       "previous agenda.",
        "dossier": "Dossier",
        "letters": "letters",
        "no_letters": "No letters stored yet.",
        "original": "original",
        "original_long": "Original on officielebekendmakingen.nl",
        "our_copy": "our copy",
        "positions_page": "positions",
        "version": "version",
        "versions": "Versions",
        "fetched": "fetched",
        "letter_date": "Letter date",
        "meeting": "Meeting",
        "identifier": "Identifier",
        "series": "Series",
        "latest": "latest",
        "this_version": "this version",
        "compare_previous_version": "compare with version {version}",
        "opening": "(opening of the letter)",
        "unreadable": "The text of this version could not be read: {reason}",
        "text": "Text",
        "agendas_title": "Annotated agendas FMM",
        "agendas_intro": "The annotated agendas for the meetings of NATO Foreign Ministers, by meeting date, "
                         "with the Dutch positions and the changes since the agenda before.",
        "no_agendas": "No annotated agendas stored yet.",
        "agenda_title": "Annotated agenda FMM {meeting}",
        "positions": "positions",
        "positions_title": "Positions by working session",
        "no_positions": "No government positions recognised.",
        "other_topics": "Other",
        "comparison_title": "Comparison with the previous agenda",
        "compared_with": "Compared with",
        "first_agenda": "This is the first stored agenda: there is no previous one to compare with.",
        "full_report": "Full comparison report",
        "position_changes": "Changed, new and dropped positions",
        "no_position_changes": "No positions changed.",
        "letter_text": "Full text",
        "topics_title": "Topics",
        "topics_intro": "For each topic, how the Dutch positions developed over the annotated agendas.",
        "topic_title": "Topic: {topic}",
        "topic_intro": "The government's positions on {topic} in every annotated agenda, by meeting date. Each "
                       "step shows what changed since the step before: struck through is deleted, underlined "
                       "is inserted.",
        "latest_count": "in latest agenda",
        "total_count": "in all agendas",
        "timeline": "Timeline",
        "chart_title": "Positions on {topic} per meeting",
        "chart_desc": "Stacked bars: for each meeting the number of positions on {topic}, split by stance.",
        "chart_table": "The figures of the chart",
        "chart_legend": "Legend",
        "count": "count",
        "total": "total",
        "step_positions": "Positions in this agenda ({count})",
        "step_none": "No positions on this topic in this agenda.",
        "step_changes": "Changed since {previous}",
        "step_first": "First agenda in the timeline.",
        "unchanged_count": "{count} unchanged",
        "no_changes": "No changes.",
        "stance": {"support": "supports", "oppose": "opposes", "emphasis": "stresses",
                   "acquiesce": "accepts", "neutral": "neutral"},
        "stance_long": {"support": "Support", "oppose": "Opposition", "emphasis": "Emphasis",
                        "acquiesce": "Acceptance", "neutral": "Neutral"},
        "badge": {"fmm-agenda": "FMM agenda", "fmm-verslag": "FMM report", "dmm-agenda": "DMM agenda",
                  "summit": "NATO summit", "other": "Other"},
        "feed_title": "{title}: new letters and comparisons",
        "feed_new_letter": "New letter: {title}",
        "feed_new_version": "New version ({version}): {title}",
        "feed_comparison": "Comparison: {new} with {old}",
        "feed_letter_summary": "{id}, {date}. {series}.",
        "footer": "Made by dossier-monitor from the letters themselves; the originals are on "
                  "officielebekendmakingen.nl.",
        "back_to_site": "Back to the site",
    },
}

_WORDS = with_shared_words(_OWN)


def words(language: str) -> dict[str, Any]:
    return in_language(_WORDS, language)
