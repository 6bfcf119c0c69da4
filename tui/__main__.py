"""`python -m tui` runs the same command line as `noc-console`."""

from tui.cli import main

raise SystemExit(main())
