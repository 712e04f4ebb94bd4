"""The publisher (KOOP, behind officielebekendmakingen.nl): find a dossier's publications, fetch them.

Knows nothing of the store, diffs or mail. Use::

    with SourceClient(config.source) as client:
        for pub in search_dossier(client, config.source, "28676", since):
            fetched = fetch_publication(client, pub, validators=..., want_pdf=config.source.fetch_pdf)
"""

from monitor.source.fetch import decode_text, fetch_publication
from monitor.source.http import HttpResponse, SourceClient
from monitor.source.sru import search_dossier

__all__ = ["HttpResponse", "SourceClient", "decode_text", "fetch_publication", "search_dossier"]
