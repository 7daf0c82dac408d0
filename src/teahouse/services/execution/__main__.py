"""An execution node: pulls tasks from the scheduler and runs them in sandboxed executors."""

import sys

from teahouse.services.execution.app import main

sys.exit(main())
