"""Start-up time of the real bot process to its first getUpdates, per programme.

Starts `python -m bot` against the local Bot API served over HTTP on 127.0.0.1 and reports the time
from process launch to the first getUpdates call, and to the answer of a /start sent right then.
Run: .venv/bin/python bench/startup.py [PROGRAMME ...]
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.bot_api_server import FakeBotApiServer  # noqa: E402

RUNS = 5
DEFAULT_PROGRAMMES = [ROOT / "data" / "programme.yaml", ROOT.parent / "shared" / "schedules" / "camp2019-frab.json"]


async def one_run(programme: Path) -> tuple[float, float]:
    server = await FakeBotApiServer().start()
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
        env.update(
            TELEGRAM_BOT_TOKEN="1:BENCH",
            TELEGRAM_API_BASE_URL=server.base_url,
            PYTHONPATH=str(ROOT),
            DATABASE_PATH=f"{tmp}/b.sqlite3",
            PROGRAMME_PATH=str(programme),
            LOG_LEVEL="WARNING",
        )
        launched = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            env=env,
            cwd=tmp,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        await server.api.wait_for_first_poll(timeout=60)
        assert server.api.first_poll_at is not None
        first_poll = server.api.first_poll_at - launched
        start = len(server.api.calls)
        sent = time.monotonic()
        server.api.send_text(1, "/start")
        await server.api.wait_for(lambda c: c.method == "sendMessage", timeout=30, start=start)
        answered = time.monotonic() - sent
        proc.terminate()
        await proc.wait()
    await server.stop()
    return first_poll, answered


async def main(paths: list[Path]) -> None:
    for path in paths:
        if not path.exists():
            print(f"{path}: absent, skipped")
            continue
        runs = [await one_run(path) for _ in range(RUNS)]
        polls = [r[0] for r in runs]
        answers = [r[1] for r in runs]
        print(
            f"{path.name}: start-up to first getUpdates median {statistics.median(polls):.2f} s "
            f"(min {min(polls):.2f}, max {max(polls):.2f}); /start answered in median "
            f"{statistics.median(answers) * 1000:.0f} ms over {RUNS} runs"
        )


if __name__ == "__main__":
    asyncio.run(main([Path(p) for p in sys.argv[1:]] or DEFAULT_PROGRAMMES))
