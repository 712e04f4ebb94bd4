"""dossier-monitor: watch a Kamerstuk dossier and report how the government's positions change."""

from pathlib import Path

# The packaged lexicons and rules, read as files: the package is installed as a folder, and
# importlib.resources would add some 7 ms (zipfile and all) to every command that compares.
DATA = Path(__file__).parent / "data"


def __getattr__(name: str) -> str:
    # ``__version__`` is looked up on first use: importlib.metadata costs more than a whole
    # `--help`, and most commands never show the version
    if name != "__version__":
        raise AttributeError(f"module 'monitor' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("dossier-monitor")
    except PackageNotFoundError:  # running from a source tree without an install
        value = "0.0.0"
    globals()["__version__"] = value
    return value
