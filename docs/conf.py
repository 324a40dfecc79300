"""Sphinx configuration of the ogi-report documentation (Markdown pages through MyST)."""

from __future__ import annotations

from importlib.metadata import version as _version

project = "ogi-report"
author = "The ogi-report developers"
copyright = "The ogi-report developers"
release = _version("ogi-report")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]
language = "en"

# Markdown (MyST): heading anchors so pages can link to each other's sections.
myst_heading_anchors = 3

# API reference: Google-style docstrings, type hints in the descriptions.
napoleon_google_docstring = True
napoleon_numpy_docstring = False
autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": False}

html_theme = "alabaster"
html_title = f"ogi-report {release}"
html_static_path: list[str] = []
