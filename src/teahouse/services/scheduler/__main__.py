"""The scheduler service: hands staged tasks to execution nodes, tracks them, applies cancels."""

import sys

from teahouse.services.scheduler.app import main

sys.exit(main())
