"""Exceptions: for misuse, unreadable input and strict mode only. Checks never raise.

Every exception of ogi-report derives from :class:`OgiReportError` and from the builtin
it resembles, so ``except ValueError`` keeps working.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if sys.version_info < (3, 11):  # pragma: no cover
    from exceptiongroup import ExceptionGroup  # type: ignore[import-not-found, unused-ignore]

if TYPE_CHECKING:
    from .findings import Finding

__all__ = ["InputError", "OgiReportError", "ReportErrors", "RuleViolation"]


def __dir__() -> list[str]:
    return __all__


class OgiReportError(Exception):
    """Root of every exception this library raises."""


class InputError(OgiReportError, ValueError):
    """An input could not be read: says which file and what is wrong, in plain words."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(f"{source}: {message}" if source else message)
        self.source = source
        self.reason = message


class RuleViolation(OgiReportError, ValueError):
    """One error finding, raised inside :class:`ReportErrors` in strict mode."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(f"{finding.code}: {finding.message_en}")
        self.finding = finding


class ReportErrors(ExceptionGroup[RuleViolation], OgiReportError):  # type: ignore[misc, unused-ignore]
    """All error findings of a strict check, as one exception group."""

    @property
    def exceptions(self) -> tuple[RuleViolation, ...]:
        """One :class:`RuleViolation` per error finding (never a nested group)."""
        return super().exceptions  # type: ignore[return-value, no-any-return, unused-ignore]
