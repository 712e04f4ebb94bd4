"""The web front door: people subscribe, confirm, change and leave on their own, and read the site.

``create_app(config)`` (``monitor.web.app``) builds the Starlette app that ``dossier-monitor serve``
runs under uvicorn.
"""

from monitor.web.app import create_app

__all__ = ["create_app"]
