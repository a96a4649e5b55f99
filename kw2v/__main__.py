"""``python -m kw2v``: see :mod:`kw2v.cli`."""

import sys

from kw2v.cli import main

sys.exit(main())
