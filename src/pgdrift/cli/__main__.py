"""``python -m pgdrift.cli``: the command line."""

import sys

from pgdrift.cli import main

if __name__ == "__main__":
    sys.exit(main())
