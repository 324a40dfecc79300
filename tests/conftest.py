"""Shared fixtures: both formats, the corpus beside the repository, hypothesis profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

#: ../shared beside the repository (CI lays it there); OGI_SHARED overrides.
SHARED = Path(os.environ.get("OGI_SHARED", Path(__file__).resolve().parents[2] / "shared"))
CORPUS = SHARED / "corpus"
SPEC = SHARED / "spec"


def truth_files() -> list[Path]:
    """Every hand-checked truth file of the corpus (empty when ../shared is absent)."""
    return sorted(CORPUS.rglob("*.truth.json")) if CORPUS.is_dir() else []


@pytest.fixture(params=["2019", "2021"])
def template(request: pytest.FixtureRequest) -> str:
    """Each test that takes it runs once per format."""
    return str(request.param)


@pytest.fixture
def spec_dir() -> Path:
    """The spec folder, or a clean skip when ../shared is not beside the repository."""
    if not SPEC.is_dir():
        pytest.skip("../shared/spec is not beside the repository")
    return SPEC
