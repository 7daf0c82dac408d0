import sys

from teahouse.services.storage.app import main

sys.exit(main())
