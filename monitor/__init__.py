"""dossier-monitor: watch a Kamerstuk dossier and report how the government's positions change."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("dossier-monitor")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"
