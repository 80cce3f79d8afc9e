"""Errors a user can cause, each naming the input and the fix.

BasewatchError
 +-- WorkspaceError
 |    +-- WorkspaceNotFoundError (FileNotFoundError)
 |    +-- WorkspaceExistsError (FileExistsError)
 |    +-- SchemaVersionError: the database was written by a newer basewatch
 +-- InputFileError (ValueError): a missing, unreadable, empty or wrong-kind file
 +-- UnknownIdError (LookupError)
 |    +-- UnknownSiteError, UnknownEquipmentError, UnknownSourceError, UnknownEvidenceError, UnknownZoneError
 +-- InvalidValueError (ValueError): a malformed date, state, grade or option value
 +-- ScenarioError (ValueError): an invalid synthetic scenario, with its line

The CLI maps every BasewatchError to one line on stderr and exit code 1, without a traceback.
"""

from __future__ import annotations


class BasewatchError(Exception):
    """Root of every error basewatch raises on purpose."""


class WorkspaceError(BasewatchError):
    """Something is wrong with the investigation workspace itself."""


class WorkspaceNotFoundError(WorkspaceError, FileNotFoundError):
    """No workspace at the given directory."""


class WorkspaceExistsError(WorkspaceError, FileExistsError):
    """`init` was asked to create a workspace where one already exists."""


class SchemaVersionError(WorkspaceError):
    """The workspace database has a schema this version of basewatch does not know."""


class InputFileError(BasewatchError, ValueError):
    """A file given by the user is missing, unreadable, empty or not of the expected kind."""


class UnknownIdError(BasewatchError, LookupError):
    """An id or name that resolves to nothing in the workspace."""

    kind = "item"

    def __init__(self, value: str, hint: str = "", suggestions: list[str] | None = None):
        self.value = value
        near = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {self.kind} {value!r}.{near} {hint}".strip())


class UnknownSiteError(UnknownIdError):
    kind = "site"


class UnknownZoneError(UnknownIdError):
    kind = "zone"


class UnknownEquipmentError(UnknownIdError):
    kind = "equipment type"


class UnknownSourceError(UnknownIdError):
    kind = "source"


class UnknownEvidenceError(UnknownIdError):
    kind = "evidence"


class InvalidValueError(BasewatchError, ValueError):
    """A value given by the user (date, state, grade...) is malformed."""


class ScenarioError(BasewatchError, ValueError):
    """A synthetic scenario file is invalid; the message names the file and line."""
