"""Errors the user can act on, kept apart from bugs."""


class KnownError(Exception):
    """A fault of the environment or the input, reported to the user as one plain sentence.

    Anything else that escapes is a bug and deserves a traceback in the log.
    """


class MigrationError(KnownError):
    """Upgrading a database failed; the original file was left as it was."""


class InputError(KnownError):
    """Input that is wrong: the message says which field and why.

    `field` names the input it concerns (an attribute or option name such as "name" or
    "term_end"), so that a form can show the refusal next to that field; empty when it concerns
    the whole.
    """

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# SQLite's primary result codes for the faults of the machine rather than of r2pdesk
# (https://www.sqlite.org/rescode.html); an extended code keeps its primary code in its low byte.
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


def sqlite_error_code(exc: BaseException) -> int | None:
    """SQLite's primary result code behind an exception, or None when SQLite raised nothing.

    Looks at the exception, the driver's exception that SQLAlchemy wraps (`.orig`), and what it
    was raised from; Python 3.11's `sqlite3` (and SQLCipher's driver) give `sqlite_errorcode`.
    """
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        code = getattr(current, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF
        orig = getattr(current, "orig", None)
        pending.extend([orig if isinstance(orig, BaseException) else None,
                        current.__cause__, current.__context__])
    return None
