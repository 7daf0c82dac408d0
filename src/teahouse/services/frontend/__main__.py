import sys

from teahouse.services.frontend.app import main

sys.exit(main())
