"""The subscription form: what it offers, and reading what was sent back into ``Settings``.

Every value must be one the form offered; anything else (an unknown topic, a severity as a
number, a second address, a line break) is an error named in the page's language, and nothing
is stored. Severity is offered in words; the names map onto the levels of ``compare``.

>>> form = SubscriptionForm.read({"email": ["Lezer@Example.org"], "topics": ["Oekraïne"],
...                               "severity": ["positions"], "delivery": ["daily"]}, "nl")
>>> form.errors, form.email, form.settings().topics, form.settings().min_severity, form.settings().digest
([], 'Lezer@example.org', ('Oekraïne',), 2, 'daily')
>>> SubscriptionForm.read({"email": ["x@example.org"], "topics": ["Mars"]}, "en").errors
['Unknown topic: Mars.']

Early alerts are one checkbox: ticked sends ``early=yes``, unticked sends nothing at all.

>>> SubscriptionForm.read({"email": ["x@example.org"], "early": ["yes"]}, "nl").settings().early
True
>>> SubscriptionForm.read({"email": ["x@example.org"]}, "nl").settings().early
False

With ``[tk]`` off the box is not offered (nothing would ever be sent for it): a posted ``early``
is ignored, and the choice the subscriber already has is kept as it is, not turned off.

>>> SubscriptionForm.read({"email": ["x@example.org"], "early": ["yes"]}, "nl", early_kept=False).early
False
>>> SubscriptionForm.read({"email": ["x@example.org"]}, "nl", early_kept=True).early
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from monitor.alerts.addresses import normalise
from monitor.errors import BadInput
from monitor.model import SERIES
from monitor.positions.lexicon import topics as topic_lexicon
from monitor.site.labels import words
from monitor.store.outbox import Subscriber
from monitor.store.subscriptions import Settings
from monitor.vocabulary import LANGUAGES

SEVERITIES = ("wording", "strength", "positions", "stance")  # min_severity 0 … 3
DELIVERIES = ("immediately", "daily")


def choices(language: str, *, early: bool = False) -> dict:
    """What the form offers; ``early``: the early-alerts box, only when ``[tk]`` is on."""
    w = words(language)
    return {"series": [("all", w["series_all"])] + [(s, w["badge"][s]) for s in SERIES],
            "topics": list(topic_lexicon().names), "severities": SEVERITIES, "deliveries": DELIVERIES,
            "languages": LANGUAGES, "early": early}


@dataclass
class SubscriptionForm:
    """The form's values as the page shows them, and what was wrong with them."""

    email: str = ""
    series: str = "all"
    topics: tuple[str, ...] = ()
    severity: str = SEVERITIES[0]
    delivery: str = DELIVERIES[0]
    language: str = "nl"
    early: bool = False
    dossier: str | None = None  # not on the form: a subscription keeps the one it has
    errors: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, sub: Subscriber, default_language: str) -> SubscriptionForm:
        return cls(email=sub.email, series=sub.series, topics=sub.topics,
                   severity=SEVERITIES[min(max(sub.min_severity, 0), 3)],
                   delivery="daily" if sub.digest == "daily" else "immediately",
                   language=sub.language or default_language, early=sub.early, dossier=sub.dossier)

    @classmethod
    def read(cls, data: Mapping[str, Sequence[str]], language: str, *, with_email: bool = True,
             dossier: str | None = None, early_kept: bool | None = None) -> SubscriptionForm:
        """The form from the posted fields (each a list of values, as a form may repeat a name).

        ``early_kept`` is given when the early-alerts box was not offered: the value kept instead
        of whatever was posted for it."""
        w = words(language)
        form = cls(language=language, dossier=dossier)
        form.errors = []

        def one(name: str, offered: Sequence[str], default: str, legend: str) -> str:
            values = data.get(name) or [default]
            if len(values) != 1 or values[0] not in offered:
                form.errors.append(w["error_choice"].format(field=w[legend]))
                return default
            return values[0]

        if with_email:
            given = data.get("email") or [""]
            form.email = given[0][:320] if len(given) == 1 else ""
            try:
                if len(given) != 1:
                    raise BadInput("one address")
                form.email = normalise(given[0].strip())
            except BadInput as exc:
                form.errors.append(w["error_email"].format(reason=_reason(str(exc))))
        form.series = one("series", [v for v, _ in choices(language)["series"]], "all", "series_legend")
        form.severity = one("severity", SEVERITIES, SEVERITIES[0], "severity_legend")
        form.delivery = one("delivery", DELIVERIES, DELIVERIES[0], "delivery_legend")
        form.language = one("language", LANGUAGES, language, "language_legend")
        if early_kept is None:
            form.early = one("early", ("yes", "no"), "no", "early_legend") == "yes"
        else:
            form.early = early_kept
        known = set(topic_lexicon().names)
        wanted = []
        for topic in data.get("topics", []):
            if topic in known:
                wanted.append(topic)
            else:
                form.errors.append(w["error_topic"].format(topic=topic[:80]))
        form.topics = tuple(dict.fromkeys(wanted))
        return form

    def settings(self) -> Settings:
        return Settings(dossier=self.dossier, series=self.series, topics=self.topics,
                        min_severity=SEVERITIES.index(self.severity),
                        digest="daily" if self.delivery == "daily" else None, language=self.language,
                        early=self.early)


def _reason(message: str) -> str:
    # email_validator's own words ("An email address must have an @-sign."), without our prefix
    return message.rpartition("(")[2].rstrip(")") if "(" in message else message
