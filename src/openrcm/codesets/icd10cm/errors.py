"""Errors of the ICD-10-CM code set, each with a stable code the CLI and API can match on.

A lookup that cannot be answered raises; ``validate`` turns the same conditions into a result
instead, because a claim scrubber wants every bad code reported, not the first one.
"""

from __future__ import annotations


class CodeSetError(ValueError):
    """Base of every ICD-10-CM error: ``code`` is stable, the message says what and where."""

    code = "ICD10CM-ERROR"

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class MalformedCode(CodeSetError):
    """The text cannot be an ICD-10-CM code at all (wrong letters, digits or length)."""

    code = "ICD10CM-MALFORMED"


class UnknownCode(CodeSetError):
    """The code is well formed but absent from the release in force on the date asked."""

    code = "ICD10CM-UNKNOWN"


class DateOutsideReleases(CodeSetError):
    """No loaded release covers the date of service."""

    code = "ICD10CM-DATE-OUTSIDE-RELEASES"


class EmptyQuery(CodeSetError):
    """A search was asked with nothing to search for."""

    code = "ICD10CM-EMPTY-QUERY"


class SourceFormatError(CodeSetError):
    """A release file (tabular XML, index XML or CSV) is not in the expected format."""

    code = "ICD10CM-SOURCE-FORMAT"
