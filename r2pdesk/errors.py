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
