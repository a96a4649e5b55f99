"""The course as a website: Sphinx + myst-nb + sphinx-book-theme, built offline.

Build from the repository root (the sources are the repository's own files; this folder holds
only the configuration):

    .venv/bin/sphinx-build -W -c site -b html . site/_build/html

Notebooks are rendered from their committed outputs (nothing is executed). Every file a page
loads is served by the site itself, MathJax included, so the site works without a network.
"""

import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from repository import BLOB, BRANCH, RAW, REPOSITORY  # noqa: E402

project = "kw2v"
author = "the kw2v authors"
copyright = "the kw2v authors, MIT licence"

root_doc = "README"  # the README is the landing page (copied to index.html after the build)
include_patterns = [
    "README.md",
    "notebooks/[0-9][0-9]_*.ipynb",
    "notebooks/solutions/[0-9][0-9]_*.ipynb",
    "docs/*.md",
    "data/README.md",
    "benchmarks/*.md",
]
# Folders never read (include_patterns alone would still walk them).
exclude_patterns = [
    ".venv",
    ".git",
    "site/_build",
    "data/cache",
    "**/runs",
    "**/.ipynb_checkpoints",
]

extensions = ["myst_nb", "sphinx-mathjax-offline"]  # MathJax 3.2.2 copied into the site
nb_execution_mode = "off"  # the committed outputs of a full run
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3  # README links such as (#reliability)

mathjax_path = "mathjax/tex-chtml.js"
# An unknown command must show as a TeX error, not as red text, so the browser test sees it.
mathjax3_config = {"tex": {"packages": {"[-]": ["noundefined"]}}}

html_theme = "sphinx_book_theme"
html_title = "kw2v: word2vec in Keras"
# The theme's colour mode must be named, or its script logs a console error on a first visit.
html_context = {"default_mode": "auto"}
html_theme_options = {
    "repository_url": REPOSITORY,
    "repository_branch": BRANCH,
    "path_to_docs": "",
    "use_repository_button": True,
    "use_source_button": True,  # "view source" on every page
    "use_download_button": True,
    "launch_buttons": {"colab_url": "https://colab.research.google.com"},
}

# The README has no table of contents of its own; the site adds one. Globs pick up notebooks
# added later (09_..., 10_...) without touching this file.
TOCTREE = """

```{toctree}
:hidden:
:caption: Course
:glob:

notebooks/[0-9][0-9]_*
```

```{toctree}
:hidden:
:caption: Solutions
:glob:

notebooks/solutions/[0-9][0-9]_*
```

```{toctree}
:hidden:
:caption: Reference
:glob:

docs/notation
docs/distributed
data/README
benchmarks/*
```
"""


def _local_links(app, docname, source):
    """Point the notebooks' absolute repository links (which Colab needs) back into the site.

    A figure at ``RAW/images/x.png`` is the site's own ``images/x.png`` (no request leaves the
    site), and ``BLOB/docs/notation.md`` is the site's page; links to other files stay absolute.
    """
    if docname == root_doc:
        source[0] += TOCTREE
        return
    up = "../" * docname.count("/")

    def local(match):
        path = match.group(2)
        on_site = (Path(app.srcdir) / path).is_file() and not path.endswith(".py")
        return up + path if on_site else match.group(0)

    pattern = rf"({re.escape(RAW)}|{re.escape(BLOB)})/([\w./-]+)"
    source[0] = re.sub(pattern, local, source[0])


def _index(app, exception):
    if exception is None and app.builder.format == "html":
        shutil.copyfile(Path(app.outdir) / "README.html", Path(app.outdir) / "index.html")


def setup(app):
    app.connect("source-read", _local_links)
    app.connect("build-finished", _index)
