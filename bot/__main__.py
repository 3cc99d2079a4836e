"""`python -m bot [run|console|check PATH]`."""

from bot.cli import main

raise SystemExit(main())
