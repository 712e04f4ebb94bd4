"""The web face: the sign-up pages with double opt-in, the subscriber's own pages, the site, and
the JSON API (``api``) beside them.

``create_app(config)`` (``monitor.web.app``) builds the Starlette app that ``dossier-monitor serve``
runs under uvicorn.
"""

from monitor.web.app import create_app

__all__ = ["create_app"]
