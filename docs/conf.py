"""Sphinx configuration for the layered-config documentation.

The build must pass with ``-W -n`` and without network access, so there is no
intersphinx: references to other projects' objects are listed in
``nitpick_ignore_regex`` below instead of being resolved.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

from layered_config import __version__

project = "layered-config"
author = "The layered-config developers"
copyright = "the layered-config developers"
release = __version__
version = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "lc_sphinx",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "_ext", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True
autoclass_content = "class"
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# Without intersphinx, types of the standard library and of yarl cannot be
# resolved, and nitpicky mode would flag each one. Private names that public
# docstrings mention are not part of the API, so they have no page either.
nitpick_ignore_regex = [
    ("py:class", r"(collections\.abc|typing)\.\w+"),
    ("py:class", r"os\.PathLike"),
    ("py:class", r"(yarl\.)?URL"),
    ("py:class", r"(c\.Converter|Converter|Deferred)"),
    ("py:data", r"STATUSES"),
]

html_theme = "furo"
html_title = f"layered-config {__version__}"
html_static_path: list[str] = []
