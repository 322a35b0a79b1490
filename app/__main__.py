"""`python -m app` runs the same CLI as the `netzwerkstatt` script."""

import sys

from app.cli import main

sys.exit(main())
