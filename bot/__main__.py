"""`python -m bot [run|console|check PATH|import|broadcast|eval|purge|backup DEST|restore SRC]`: the entry point.

The one place where the domain's command line meets the Telegram glue: it hands the command line the
composition root (handlers/application.py), imported only by the commands that build the bot.
"""

from types import ModuleType

from bot.cli import main


def composition_root() -> ModuleType:
    """handlers.application, imported when a command builds the bot (checks and imports never do)."""
    import handlers.application

    return handlers.application


if __name__ == "__main__":  # not when a child process (multiprocessing's spawn) imports this module
    raise SystemExit(main(root=composition_root))
