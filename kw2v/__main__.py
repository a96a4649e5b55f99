"""``python -m kw2v``: see :mod:`kw2v.cli`."""

from kw2v.cli import run

run()
