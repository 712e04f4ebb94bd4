"""The sentences of an alert in Dutch (default) and English.

Templates never hold language-specific text: they get ``t`` (one of ``STRINGS``) and labels
made with ``monitor.vocabulary``, so both languages share one layout.

>>> sorted(STRINGS["nl"]) == sorted(STRINGS["en"])
True
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "nl": {
        "new_letter": "Nieuwe brief",
        "correction": "Gecorrigeerde versie",
        "digest": "Dagoverzicht",
        "alerts_one": "melding",
        "alerts_many": "meldingen",
        "severity_3": "Ander standpunt",
        "severity_2": "Nieuwe en vervallen standpunten, cijfers, toezeggingen",
        "severity_1": "Sterkte, voorbehoud, voorwaarde en overige tekst",
        "severity_0": "Herformuleerd, formulering en volgorde",
        "context": "Overige tekst (geen standpunt)",
        "position": "positie",
        "section": "Onderdeel",
        "moved_from": "verplaatst van",
        "compared_with": "Vergeleken met",
        "version": "versie",
        "previous_version": "vorige versie",
        "dated": "brief van",
        "legend": "Legenda: [-geschrapt-] {+toegevoegd+}",
        "legend_html": "Doorgehaald is geschrapt, onderstreept is toegevoegd.",
        "open_document": "Lees het document op officielebekendmakingen.nl",
        "site": "Alle wijzigingen op de site",
        "truncated": "Dit bericht toont de {shown} belangrijkste van {total} wijzigingen; "
                     "het volledige verslag zit als bijlage bij dit bericht.",
        "new_letter_intro": "Er is een nieuwe brief verschenen in dossier {dossier}.",
        "correction_intro": "Er is een nieuwe versie verschenen van een brief die al bekend was.",
        "comparison_intro": "De nieuwe geannoteerde agenda is vergeleken met de vorige.",
        "why": "U ontvangt dit bericht omdat {email} is aangemeld voor {filters}.",
        "why_all": "alle meldingen",
        "filter_dossier": "dossier {value}",
        "filter_series": "reeks {value}",
        "filter_topics": "onderwerpen {value}",
        "filter_severity": "zwaarte vanaf {value}",
        "unsubscribe": "Afmelden",
        "operator_failing": "Bron faalt: {count} polls op rij mislukt",
        "operator_recovered": "Bron weer bereikbaar",
        "operator_failing_intro": "De laatste {count} polls van de bron zijn mislukt. Er worden geen nieuwe "
                                  "brieven opgehaald tot de bron weer werkt.",
        "operator_recovered_intro": "De bron werkt weer; de polls slagen sinds {since}.",
        "operator_alerts_failing": "Meldingen mislukt: {count} niet afgeleverd",
        "operator_alerts_failing_intro": "Deze meldingen konden niet worden afgeleverd en worden niet opnieuw "
                                         "geprobeerd; de andere gaan gewoon door. Zie `dossier-monitor alerts list "
                                         "--failed`; na herstel van de oorzaak: `dossier-monitor alerts retry`, of "
                                         "meld het adres af.",
        "operator_alert_note": "melding {id} aan {to}: {error}",
        "digest_intro": "{count} {alerts} van de afgelopen dag.",
        "attachment_name": "volledig-verslag",
        "early": "Vroeg, nog niet officieel",
        "early_intro": "Deze brief staat in de open data van de Tweede Kamer, maar is nog niet officieel "
                       "gepubliceerd op officielebekendmakingen.nl. De officiële tekst kan nog afwijken.",
        "early_kamerstuk": "Wordt gepubliceerd als {kamerstuk}.",
        "open_early": "Lees het document bij de Tweede Kamer",
        "early_version": "de vroege versie van de Tweede Kamer",
        "official": "Officieel gepubliceerd",
        "official_same_intro": "De brief waarover u vooraf bericht kreeg, is nu officieel gepubliceerd op "
                               "officielebekendmakingen.nl. De tekst is gelijk aan de vroege versie.",
        "official_changed_intro": "De brief waarover u vooraf bericht kreeg, is nu officieel gepubliceerd op "
                                  "officielebekendmakingen.nl. De officiële tekst wijkt af van de vroege versie:",
    },
    "en": {
        "new_letter": "New letter",
        "correction": "Corrected version",
        "digest": "Daily digest",
        "alerts_one": "alert",
        "alerts_many": "alerts",
        "severity_3": "Different stance",
        "severity_2": "New and dropped positions, figures, commitments",
        "severity_1": "Strength, hedges, conditions and other text",
        "severity_0": "Restated, wording and order",
        "context": "Other text (no position)",
        "position": "position",
        "section": "Section",
        "moved_from": "moved from",
        "compared_with": "Compared with",
        "version": "version",
        "previous_version": "previous version",
        "dated": "letter of",
        "legend": "Legend: [-deleted-] {+inserted+}",
        "legend_html": "Struck through is deleted, underlined is inserted.",
        "open_document": "Read the document on officielebekendmakingen.nl",
        "site": "All changes on the site",
        "truncated": "This message shows the {shown} most important of {total} changes; "
                     "the full report is attached to this message.",
        "new_letter_intro": "A new letter appeared in dossier {dossier}.",
        "correction_intro": "A new version appeared of a letter that was already known.",
        "comparison_intro": "The new annotated agenda was compared with the previous one.",
        "why": "You receive this message because {email} subscribed to {filters}.",
        "why_all": "all alerts",
        "filter_dossier": "dossier {value}",
        "filter_series": "series {value}",
        "filter_topics": "topics {value}",
        "filter_severity": "severity from {value}",
        "unsubscribe": "Unsubscribe",
        "operator_failing": "Source failing: {count} polls in a row failed",
        "operator_recovered": "Source reachable again",
        "operator_failing_intro": "The last {count} polls of the source failed. No new letters are fetched "
                                  "until the source works again.",
        "operator_recovered_intro": "The source works again; polls succeed since {since}.",
        "operator_alerts_failing": "Alerts failed: {count} not delivered",
        "operator_alerts_failing_intro": "These alerts could not be delivered and are not tried again; the "
                                         "others go on as usual. See `dossier-monitor alerts list --failed`; once "
                                         "the cause is fixed: `dossier-monitor alerts retry`, or unsubscribe the "
                                         "address.",
        "operator_alert_note": "alert {id} to {to}: {error}",
        "digest_intro": "{count} {alerts} of the past day.",
        "attachment_name": "full-report",
        "early": "Early, not yet official",
        "early_intro": "This letter is in the Tweede Kamer's open data but not yet officially published on "
                       "officielebekendmakingen.nl. The official text may still differ.",
        "early_kamerstuk": "To be published as {kamerstuk}.",
        "open_early": "Read the document at the Tweede Kamer",
        "early_version": "the Tweede Kamer's early version",
        "official": "Officially published",
        "official_same_intro": "The letter you were told about in advance is now officially published on "
                               "officielebekendmakingen.nl. The text is the same as the early version.",
        "official_changed_intro": "The letter you were told about in advance is now officially published on "
                                  "officielebekendmakingen.nl. The official text differs from the early version:",
    },
}
