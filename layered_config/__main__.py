"""Run the command line: ``python -m layered_config``."""

from ._cli import main

raise SystemExit(main())
