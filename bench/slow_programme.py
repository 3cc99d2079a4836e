"""An organiser's /reload against a hostile programme server, and a delegate asking /now meanwhile.

Each scenario runs the real Application (the fake Bot API in process, as the end-to-end tests do) in a fresh
process, so that its peak RSS is its own; the server runs in another process on 127.0.0.1:
- trickle: the programme one byte every --every seconds (the reload ends at PROGRAMME_FETCH_TIMEOUT);
- 49mb / 1gb: an answer of that size, as fast as the loopback carries it;
- parse: a 19 MB programme of 4,000 sessions sent as a file (within the limits: parsed, then compared).
Printed: the organiser's reply time and its first line, the delegate's /now latency (median and worst of
answers asked back to back meanwhile), and the bot's peak RSS.
Run: .venv/bin/python bench/slow_programme.py [--deadline 10] [--every 1] [--root CHECKOUT]
(--root runs the bot of another checkout, e.g. an older commit, with this script.)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN, DELEGATE = 1, 101
SCENARIOS = ("trickle", "49mb", "1gb", "parse")
GIVE_UP = 60.0  # seconds past the deadline after which a reload still running is reported as such


# --- the server process ---------------------------------------------------------------------------------------
async def serve(kind: str, every: float) -> None:
    body = (ROOT / "data" / "programme.yaml").read_bytes()

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            if kind == "trickle":
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/yaml\r\n\r\n")
                for byte in body:
                    writer.write(bytes([byte]))
                    await writer.drain()
                    await asyncio.sleep(every)
            else:
                size = 49 * 2**20 if kind == "49mb" else 2**30
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/yaml\r\n\r\n")
                chunk = b"# filler line of a programme that never ends\n" * 1400
                for _ in range(size // len(chunk)):
                    writer.write(chunk)
                    await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


# --- the bot process ------------------------------------------------------------------------------------------
def big_programme(sessions: int = 4000) -> bytes:
    text = "x" * 4500
    lines = ["conference: {name: Big, timezone: Europe/Madrid, days: [2024-06-25]}\nvenue: {name: V}\nrooms:\n"]
    lines += [f"  - {{id: r{i}, name: Room {i}}}\n" for i in range(100)]
    lines.append("sessions:\n")
    lines += [
        f'  - {{id: s{i}, title: Talk {i}, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: r{i % 100},'
        f' description: "{text}"}}\n'
        for i in range(sessions)
    ]
    return "".join(lines).encode()


async def measure(kind: str, url: str, deadline: float) -> dict[str, object]:
    from datetime import datetime

    from bot.clock import Clock
    from bot.console.api import LocalBotApi
    from bot.console.request import LocalRequest
    from bot.runtime.lifecycle import running
    from bot.services import build_services
    from bot.settings import Settings
    from handlers.application import build_application

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_path=Path(tmp) / "bot.sqlite3",
            programme_path=ROOT / "data" / "programme.yaml",
            programme_url=url,
            programme_fetch_timeout=deadline,
            admin_ids=frozenset({ADMIN}),
        )
        clock = Clock.frozen_at(datetime.fromisoformat("2024-06-01T10:00:00+02:00"))
        api = LocalBotApi()
        app = build_application(build_services(settings, clock=clock), request=LocalRequest(api))
        async with running(app):
            loop = asyncio.get_running_loop()
            for user in (ADMIN, DELEGATE):
                await ask(api, user, "/start")
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            start = len(api.calls)
            began = loop.time()
            if kind == "parse":
                api.send_document(ADMIN, "big.yaml", big_programme())
            else:
                api.send_text(ADMIN, "/reload")
            latencies = []
            while not [c for c in api.calls[start:] if c.chat_id == ADMIN and c.method == "sendMessage"]:
                asked = loop.time()
                await ask(api, DELEGATE, "/now")
                latencies.append(loop.time() - asked)
                if loop.time() - began > deadline + GIVE_UP:
                    break
            reply = next((c for c in api.calls[start:] if c.chat_id == ADMIN and c.method == "sendMessage"), None)
            shown = reply.shown if reply else "(no reply yet)"
            result = {
                "reply_s": round(loop.time() - began, 2),
                "reply": shown.split("\n")[2 if shown.startswith("⚠️") else 0][:90],
                "now_answers": len(latencies),
                "now_median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
                "now_max_ms": round(max(latencies) * 1000, 1) if latencies else None,
                "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "rss_before_mb": round(rss_before / 1024),
            }
            print(json.dumps(result), flush=True)
            if reply is None:
                os._exit(0)  # the shutdown would wait for the reload, as long as the server trickles
            return result


async def ask(api: object, user: int, text: str) -> None:
    start = len(api.calls)  # type: ignore[attr-defined]
    api.send_text(user, text)  # type: ignore[attr-defined]
    await api.wait_for(lambda c: c.chat_id == user and c.method == "sendMessage", 120, start)  # type: ignore[attr-defined]


# --- the orchestra --------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deadline", type=float, default=10.0, help="PROGRAMME_FETCH_TIMEOUT for the bot")
    parser.add_argument("--every", type=float, default=1.0, help="seconds between the trickle's bytes")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose bot is measured")
    parser.add_argument("--scenario", choices=SCENARIOS, action="append")
    parser.add_argument("--serve", choices=SCENARIOS, help=argparse.SUPPRESS)
    parser.add_argument("--bot", nargs=2, metavar=("KIND", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve, args.every))
        return 0
    if args.bot:
        sys.path.insert(0, str(args.root))
        asyncio.run(measure(args.bot[0], args.bot[1], args.deadline))
        return 0
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    print(f"bot: {args.root}; PROGRAMME_FETCH_TIMEOUT={args.deadline:g} s")
    for kind in args.scenario or SCENARIOS:
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", kind, "--every", str(args.every)], stdout=subprocess.PIPE, text=True
        )
        try:
            assert server.stdout is not None
            url = f"http://127.0.0.1:{server.stdout.readline().strip()}/programme.yaml"
            started = time.monotonic()
            bot = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--bot",
                    kind,
                    url,
                    "--deadline",
                    f"{args.deadline}",
                    "--root",
                    f"{args.root}",
                ],
                capture_output=True,
                text=True,
                env=env,
                cwd=tempfile.gettempdir(),
                timeout=args.deadline + 600,
            )
            result = json.loads(bot.stdout.strip().splitlines()[-1]) if bot.returncode == 0 else bot.stderr[-500:]
            print(f"{kind:8} ({time.monotonic() - started:.0f} s): {result}", flush=True)
        finally:
            server.terminate()
            server.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
