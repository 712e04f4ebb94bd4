"""Configuration files for tests that run the real command line or daemon as another process.

Such a test talks to peers on loopback and wants the daemon quick; these are the settings they
all share, so a test's own file says only what is particular to it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# the test publisher on loopback, asked without pacing, and an outage is an outage at once
PEER_SOURCE = {"allowed_hosts": ["127.0.0.1"], "interval_seconds": 1, "min_request_interval_seconds": 0,
               "max_retries": 0}
QUICK_DAEMON = {"jitter_seconds": 0, "delivery_interval_seconds": 1, "stop_grace_seconds": 2}


def loopback_mail(port: int, **more: Any) -> dict[str, Any]:
    """The ``[mail]`` table for an SMTP test server on loopback, without TLS."""
    return {"smtp_host": "127.0.0.1", "smtp_port": port, "security": "none",
            "from": "dossier-monitor <alerts@example.org>", **more}


def write_config(path: Path, **tables: dict[str, Any]) -> Path:
    """``tables`` (name -> {key: value}) as a TOML file at ``path``.

    >>> import tempfile, tomllib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = write_config(Path(folder) / "m.toml", source={"sru_url": "http://127.0.0.1:9/sru", **PEER_SOURCE},
    ...                            mail=loopback_mail(2525, retry_seconds=[1]))
    ...     tomllib.loads(written.read_text(encoding="utf-8"))["mail"]["retry_seconds"]
    [1]
    """
    lines = []
    for name, values in tables.items():
        lines.append(f"[{name}]")
        # a JSON string, number, boolean or list of them is the same value in TOML
        lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
