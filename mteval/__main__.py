import sys

from mteval.cli.command import main

sys.exit(main())
