"""This process's right to send a database's outbox: taken when free or when its holder is dead, renewed."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time

import aiosqlite

from bot.storage import outbox_lease

logger = logging.getLogger(__name__)

LEASE_SECONDS = 15.0  # a holder that stops renewing (another host, hung) is replaced after this
RENEW_SECONDS = 3.0

# Holders alive in this process: a holder with our pid that is not here is an earlier, dead run.
_LIVE_HOLDERS: set[str] = set()


class OutboxLease:
    """Holds the outbox lease for one outbox sender; `hold()` says whether it may send now."""

    def __init__(self) -> None:
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.held = False
        self.inherited = False  # taken over from a holder that did not give it up
        self._checked = 0.0
        _LIVE_HOLDERS.add(self.holder)

    async def hold(self, db: aiosqlite.Connection) -> tuple[bool, bool]:
        """(held, just taken): take or renew the lease; a dead holder's is taken over at once."""
        if self.held and time.monotonic() - self._checked < RENEW_SECONDS:
            return True, False
        lease = await outbox_lease.current(db)
        dead = lease.holder if lease and lease.holder != self.holder and holder_is_dead(lease.holder) else None
        held = await outbox_lease.take(db, self.holder, LEASE_SECONDS, replacing=dead)
        if not held and (self.held or not self._checked):
            logger.warning("Another process (%s) sends this outbox; standing by", lease.holder if lease else "?")
        taken = held and not self.held
        if taken:
            # A lease row left behind (a clean stop deletes it) means its holder died or hung while sending.
            self.inherited = lease is not None and lease.holder != self.holder
        self.held, self._checked = held, time.monotonic()
        return held, taken

    async def release(self, db: aiosqlite.Connection) -> None:
        if self.held:
            await outbox_lease.release(db, self.holder)
            self.held = False
        _LIVE_HOLDERS.discard(self.holder)


def holder_is_dead(holder: str) -> bool:
    """True when `holder` (host:pid:token) is a process of this host that no longer runs."""
    host, _, rest = holder.partition(":")
    pid_text, _, _token = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False  # another machine's, or unreadable: wait for the lease to expire
    pid = int(pid_text)
    if pid == os.getpid():
        return holder not in _LIVE_HOLDERS  # e.g. pid 1 again after a container restart
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, someone else's
    return False
