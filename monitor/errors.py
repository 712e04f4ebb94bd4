"""One hierarchy of expected failures; ``exit_code`` is the only mapping to process exit codes.

Anything that is not a ``MonitorError`` is a bug and may show a traceback; every
``MonitorError`` becomes one line on stderr and its exit code (see ``monitor.cli``).
"""


class MonitorError(Exception):
    """An expected failure with a message meant for the user."""

    exit_code = 1


class BadInput(MonitorError):
    """The user gave something we cannot use: a missing file, garbage, an unknown id."""

    exit_code = 2


class ConfigError(BadInput):
    """The configuration names an unknown key, has a wrong type, or cannot be read."""


class DatabaseUnusable(BadInput):
    """The configured database cannot be opened: not a database, unreachable, login refused."""


class SchemaMismatch(DatabaseUnusable):
    """The database is at a schema revision this code cannot work with as it is (older or newer)."""


class NotAnAgenda(BadInput):
    """The input reads fine but holds no letter text to compare."""


class SourceError(MonitorError):
    """The publisher could not be reached or answered with something we refuse to store."""


class DeliveryError(MonitorError):
    """The SMTP server could not be reached or refused the message."""


class StorageError(MonitorError):
    """The data folder or the database cannot be written at run time (disk full, gone read-only, …)."""


class Unhealthy(MonitorError):
    """``doctor`` found a check that fails."""


class Stale(MonitorError):
    """The last successful poll is too old (health check)."""


class LockHeld(MonitorError):
    """Another instance holds the data folder."""

    exit_code = 3
