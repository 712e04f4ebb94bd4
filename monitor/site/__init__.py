"""The static site: letters, agendas with their positions, topic timelines, and an Atom feed.

``build_site(store, out_dir)`` writes plain files (HTML, one stylesheet, ``feed.atom``) that
need no server code and no external asset, and link to each other relatively, so the
folder works from ``file://`` and behind any web server. Rebuilding renders only the pages
whose inputs changed and swaps the new folder in whole (see ``monitor.site.build``).
"""

from __future__ import annotations

from pathlib import Path

from monitor.config import Config
from monitor.errors import BadInput, ConfigError
from monitor.site.build import BuildReport, build_site
from monitor.store import Store

__all__ = ["BuildReport", "build_configured_site", "build_site", "site_folder"]


def site_folder(config: Config, out_dir: str | Path | None = None) -> Path:
    """Where the site goes: ``out_dir``, else ``[site] path`` (a ``ConfigError`` when neither is set)."""
    if out_dir is not None:
        return Path(out_dir)
    if not config.site.path:
        raise ConfigError("config key site.path: not set (or give an output folder)")
    return config.resolve(config.site.path)


def build_configured_site(store: Store, config: Config, out_dir: str | Path | None = None) -> BuildReport:
    """``build_site`` with the ``[site]`` settings; into ``out_dir``, else ``[site] path``."""
    out_dir = site_folder(config, out_dir)
    try:
        return build_site(store, out_dir, language=config.site.language, base_url=config.site.base_url,
                          title=config.site.title)
    except OSError as exc:  # a folder that cannot be made or written: the snapshots are untouched
        raise BadInput(f"{out_dir}: cannot write the site ({exc.strerror or exc})") from None
