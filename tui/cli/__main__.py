"""`python -m tui.cli` runs the command line (the `postroom` script without installing it)."""

import sys

from . import main

sys.exit(main())
