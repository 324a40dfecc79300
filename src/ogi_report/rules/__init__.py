"""Rules as data and their evaluation: :func:`check` one report, :func:`check_pair` two years."""

from __future__ import annotations

from .catalogue import RULES, Rule
from .evaluate import CheckOptions, check, check_pair

__all__ = ["RULES", "CheckOptions", "Rule", "check", "check_pair"]


def __dir__() -> list[str]:
    return __all__
