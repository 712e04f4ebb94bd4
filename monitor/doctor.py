"""Is this installation ready? The checks behind ``dossier-monitor doctor``.

Local checks (configuration, data folder, database, mail server, the early warning's settings)
change nothing but what the monitor creates anyway (the data folder, the tables). With ``live``
the publisher is asked too (``monitor.source.selfcheck``), and with ``[tk]`` on the Tweede
Kamer's OData service (``monitor.source.tk_selfcheck``); their answers can be saved in the layout
the tests take as fixtures.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from monitor.config import Config
from monitor.errors import MonitorError
from monitor.model import Check

_PLACEHOLDER_CONTACT = "(+contact)"
_MIN_FREE_BYTES = 200 * 1024 * 1024  # a few hundred snapshots and a site, with room to spare


def check_installation(config: Config) -> list[Check]:
    return [_configuration(config), _data_folder(config), _database(config), _mail(config), _early_warning(config)]


def check_live(config: Config, save: Path | None = None) -> list[Check]:
    """The publisher (and with ``[tk]`` on the Tweede Kamer), asked as the poll asks them; with
    ``save`` their answers kept there, byte for byte."""
    from monitor.source import tk
    from monitor.source.http import SourceClient
    from monitor.source.selfcheck import Saved, check_publisher, provenance
    from monitor.source.tk_selfcheck import check_tk

    saved = Saved(save)
    with SourceClient(config.source) as client:
        checks = check_publisher(client, config.source, saved)
    if config.tk.enabled:
        with tk.client_for(config) as client:
            checks += check_tk(client, config.tk, config.source.dossiers, saved)
    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
        (save / "PROVENANCE.md").write_text(provenance(saved, checks), encoding="utf-8")
    return checks


def _configuration(config: Config) -> Check:
    where = str(config.path) if config.path else "built-in defaults"
    evidence = f"{where}; dossiers {', '.join(config.source.dossiers)}; {config.source.sru_url}"
    if _PLACEHOLDER_CONTACT in config.source.user_agent:
        return Check("configuration", "warn", f"{evidence}; source.user_agent still says {_PLACEHOLDER_CONTACT}: "
                     "name a contact the publisher can reach")
    return Check("configuration", "ok", evidence)


def _data_folder(config: Config) -> Check:
    from monitor.store.places import data_folder  # the same rule every command applies

    try:
        folder = data_folder(config.data_dir)
        free = shutil.disk_usage(folder).free
    except MonitorError as exc:
        return Check("data folder", "fail", str(exc))
    evidence = f"{folder}: writable, {free // (1024 * 1024)} MB free"
    return Check("data folder", "ok" if free >= _MIN_FREE_BYTES else "warn", evidence)


def _database(config: Config) -> Check:
    """Opens as the commands open it: an older schema is named with its remedy (``db upgrade``)."""
    from monitor.store import Store, migrate
    from monitor.store.db import safe_url
    from monitor.store.schema import publications, versions

    try:
        with Store.open(config) as store, store.engine.connect() as conn:
            counts = [conn.execute(select(func.count()).select_from(t)).scalar_one() for t in (publications, versions)]
            where, revision = safe_url(store.engine.url), migrate.revision_of(store.engine)
    except (MonitorError, SQLAlchemyError, OSError) as exc:
        return Check("database", "fail", " ".join(str(exc).split())[:300])
    return Check("database", "ok", f"{where}, schema revision {revision}: {counts[0]} publications, "
                 f"{counts[1]} versions")


def _mail(config: Config) -> Check:
    from monitor.alerts.delivery import open_transport
    from monitor.alerts.transport import FolderTransport, Unreachable

    try:
        transport = open_transport(config)
        if isinstance(transport, FolderTransport):
            folder = transport.folder
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
                pass
            return Check("mail", "ok", f"no mail.smtp_host: alerts are written as .eml files to {folder}")
        return Check("mail", "ok", transport.probe())
    except Unreachable as exc:
        return Check("mail", "fail", str(exc))
    except (MonitorError, OSError) as exc:
        return Check("mail", "fail", getattr(exc, "strerror", None) or str(exc))


def _early_warning(config: Config) -> Check:
    """``[tk]``: off is said in one line; on, its service must be on a host it may ask."""
    from monitor.source import tk
    from monitor.source.errors import ForeignHost

    if not config.tk.enabled:
        return Check("Tweede Kamer", "ok", "[tk] is off: no early warning, the Tweede Kamer is not checked")
    try:
        with tk.client_for(config) as client:
            client.check_host(config.tk.odata_url)
    except ForeignHost as exc:
        return Check("Tweede Kamer", "fail", f"tk.odata_url {config.tk.odata_url}: host {exc.host or '(none)'} is "
                     f"not in tk.allowed_hosts ({', '.join(config.tk.allowed_hosts) or 'none'}), so it is never asked")
    kinds = ", ".join(config.tk.document_types) or "every kind"
    return Check("Tweede Kamer", "ok", f"[tk] is on: {config.tk.odata_url}, {kinds}; asked with --live")
