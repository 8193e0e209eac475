"""`python -m autograder` is the `nnkit` command."""

import sys

from .cli import main

sys.exit(main())
