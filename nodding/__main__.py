"""`python -m nodding`: the `nodding` command without its console script."""
from nodding.cli import main

raise SystemExit(main())
