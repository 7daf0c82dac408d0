import sys

from teahouse.services.access_control.app import main

sys.exit(main())
