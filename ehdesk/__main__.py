"""``python -m ehdesk`` is the same as the ``ehdesk`` command."""

import sys

from ehdesk.cli import main

sys.exit(main())
