"""The documentation in ``docs/`` builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

DOCS = Path(__file__).resolve().parent.parent / "docs"


# Sphinx 9's own napoleon extension triggers this deprecation inside Sphinx; nothing here to fix.
@pytest.mark.filterwarnings("ignore:The mapping interface for autodoc options objects")
def test_docs_build(tmp_path: Path) -> None:
    """The docs build to HTML with every Sphinx warning an error, including the API pages.

    A warning anywhere (a broken reference, a docstring autodoc cannot parse, a page left
    out of the toctree) fails the build, so the published docs cannot silently degrade.
    """
    status = build_main(["-W", "--keep-going", "-b", "html", str(DOCS), str(tmp_path)])

    assert status == 0
    assert (tmp_path / "index.html").is_file()
    assert (tmp_path / "api.html").is_file()


def _public_modules() -> list[str]:
    """Every importable module of the package whose path has no part starting with ``_``."""
    source = DOCS.parent / "src"
    names = []
    for path in sorted((source / "ogi_report").rglob("*.py")):
        parts = path.relative_to(source).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not any(part.startswith("_") for part in parts):
            names.append(".".join(parts))
    return names


def test_every_public_module_is_in_the_api_reference() -> None:
    """Each public module has an ``automodule`` block in docs/api.md."""
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    documented = {
        line.split("::")[1].strip() for line in api.splitlines() if "automodule::" in line
    }
    assert [name for name in _public_modules() if name not in documented] == []
