import sys

from teahouse.services.management.app import main

sys.exit(main())
