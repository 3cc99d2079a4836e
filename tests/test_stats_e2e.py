"""End to end: /stats sends the figures, the chart as a PNG photo and the CSV as a document."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bot.storage import bookmarks, users
from bot.storage.audit import entries as audit_entries
from tests.support.organisers import ORGANISER, delegates, organiser_harness


async def test_stats_sends_figures_png_and_csv(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path) as h:
        await delegates(h, 11, 12, 13)
        db, now = h.services.database, h.services.clock.now()
        for uid in (11, 12, 13):
            await bookmarks.add_bookmark(db, uid, "cmc24-connecting-missions", now)
        await bookmarks.add_bookmark(db, 11, "cmc24-d1-inaugural", now)
        await users.mark_blocked(db, 13)
        await h.say("/stats", user_id=ORGANISER)
        start = 0  # the only photo and document of this test
        photo = await h.api.wait_for(lambda c: c.method == "sendPhoto" and not c.error, timeout=10, start=start)
        document = await h.api.wait_for(lambda c: c.method == "sendDocument" and not c.error, timeout=10, start=start)
        text = next(c for c in h.api.sent(ORGANISER) if "Demand figures" in c.shown).shown
        assert "Delegates: 3 active, 1 blocked the bot" in text
        assert "3 / 417 · Connecting Missions: climate neutrality and adaptation (Sala Joaquín Rodrigo)" in text
        ((name, png, _),) = photo.files.values()
        assert name == "demand.png" and png.startswith(b"\x89PNG")
        ((name, data, _),) = document.files.values()
        assert name == "demand.csv"
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0]["session_id"] == "cmc24-connecting-missions" and rows[0]["bookmarks"] == "3"
        (audit,) = [a for a in await audit_entries(db) if a.action == "stats.view"]
        assert audit.organiser_id == ORGANISER
