"""`python -m model` is kept as an alias of the `nodding` command (the launcher only:
no module of the simulation imports the application layer)."""
from nodding.cli import main

raise SystemExit(main())
