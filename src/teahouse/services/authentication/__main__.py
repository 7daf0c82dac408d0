import sys

from teahouse.services.authentication.app import main

sys.exit(main())
