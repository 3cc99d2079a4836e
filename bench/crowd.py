"""The crowd benchmark (issue #11): the real bot process under many delegates at once, sequential beside concurrent.

    .venv/bin/python bench/crowd.py [--mode polling|webhook|both] [--delegates 2000] [--rate 100] [--seconds 60]
        [--latency 50] [--bookmarks 3] [--poisson] [--send-rate N] [--programme PATH | --generated]
    .venv/bin/python bench/crowd.py --latency 0 --find-max   # step the rate: the highest with p95 <= 50 ms
        [--floor]   # ... and for a PTB bot on the same client and concurrency that answers "ok" to everything
    .venv/bin/python bench/crowd.py --during-broadcast       # 10,000 delegates, questions at 5/s during a broadcast
    .venv/bin/python bench/crowd.py --big                    # 20,000 delegates, 200,000 bookmarks: RSS, /my, start-up
    .venv/bin/python bench/crowd.py --big --at 07:58         # ... with the morning message queued during the traffic
    .venv/bin/python bench/crowd.py --crash                  # SIGKILL half-way, restart: the updates a crash loses
    .venv/bin/python bench/crowd.py --backup                 # `python -m bot backup` half-way; the copy restored

`python -m bot` runs in its own process against the fake Bot API served over HTTP on 127.0.0.1 (every request
answered after --latency ms); the fake and the load generator (tests/support/crowd.py) share this process.
Programme: FOSDEM 2025 from ../shared/schedules (a generated one of the same size when absent); the bot's
clock at 11:00 on its first day; run-up messages off (an empty plan). The reminder tick is run on the
seeded database first and timed, and what it queues (the day's digests, reminders due) is marked sent, as
if the bot had run since the morning; later reminders go out as they would, and are not taken for replies.
With --at HH:MM the bot's clock starts at that time of the first day instead and nothing is marked sent: a
time shortly before DIGEST_TIME (08:00) has the bot queue every delegate's morning message during the
traffic. The morning tick is then also timed on the seeded database in a process of its own (time, peak RSS).
Each delegate has started the bot and has at most one update outstanding; traffic is open loop at the
offered rate: questions in five languages, /now, /next, /my, presses of buttons the bot sent them, bookmark
toggles. Every run is made twice, with UPDATE_CONCURRENCY=1 (sequential) and without (the bot's default),
printed side by side: latency from the moment an update is available (queued for getUpdates, or its webhook
POST sent) to the moment its reply reaches the fake (p50/p95/p99/max of the answered; a refused reply is no
reply, a "message is not modified" edit is), unanswered (no reply within --grace s after the traffic),
errors (requests the fake refused, replies saying "something went wrong", errors in the bot's log), the
bot's CPU (user+sys / wall time) and peak RSS, and this process's CPU, with a warning when it nears one core
(then the generator or the fake limits the figures). --find-max prints each step and the highest rate with
p95 <= 50 ms; --during-broadcast the broadcast's reach and rate beside the questions' latency; --big the
start-up time to the first getUpdates and the RSS after it. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import math
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.console.api import Call, RateLimits  # noqa: E402
from bot.programme.loader import load_programme  # noqa: E402
from bot.programme.model import Programme  # noqa: E402
from bot.reminders.queue import queue_due_messages  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage.db import open_database, to_db  # noqa: E402
from tests.support import crowd  # noqa: E402
from tests.support.bot_api_server import FakeBotApiServer  # noqa: E402
from tests.support.bot_process import bot_environment, kill, launch, stop  # noqa: E402

FOSDEM = ROOT.parent / "shared" / "schedules" / "fosdem-2025-pentabarf.xml"
VARIANTS = {"sequential": {"UPDATE_CONCURRENCY": "1"}, "concurrent": {}}
FIND_MAX_RATES = [50, 100, 150, 200, 250, 300, 400, 500, 600, 800, 1000]
FIND_MAX_P95 = 0.050
MARK = "📣 Crowd bench broadcast"
BENCH_CPU_WARNING = 0.85


class GcPauses:
    """The longest garbage-collector pause of this process (the fake Bot API and the load generator) since
    `reset()`: a pause here delays updates and replies alike, so it shows as the bot's latency."""

    def __init__(self) -> None:
        self._began = 0.0
        self.longest = 0.0
        gc.callbacks.append(self._track)

    def _track(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.longest = max(self.longest, time.perf_counter() - self._began)

    def reset(self) -> None:
        """Freeze what the steps so far recorded (every call the fake saw) out of later full collections."""
        gc.collect()
        gc.freeze()
        self.longest = 0.0


GC_PAUSES = GcPauses()


@dataclass
class Setup:
    """What every bot of this invocation shares: the programme, the seeded database, the fake's behaviour."""

    args: argparse.Namespace
    workdir: Path
    programme: Programme
    template: Path
    delegates: list[crowd.Delegate]
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Bot:
    """One running bot process and the fake it talks to."""

    server: FakeBotApiServer
    proc: asyncio.subprocess.Process
    db: Path
    log: Path
    env: dict[str, str]
    webhook: str | None = None
    secret: str = ""
    startup: float = 0.0  # seconds from launch to the first getUpdates (polling)


@dataclass
class Run:
    """The figures of one phase of traffic, with what the bot and this process used meanwhile."""

    figures: crowd.Figures
    seconds: float
    bot_cpu: float
    bench_cpu: float
    rss_mb: float
    logged_errors: Counter[str] = field(default_factory=Counter)


def is_bulk(call: Call) -> bool:
    """Outbox traffic, not a reply: the broadcast, reminders and digests (their buttons open cards by `rem|`)."""
    return MARK in call.text or any(str(b.get("callback_data", "")).startswith("rem|") for r in call.buttons for b in r)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.05)
        else:
            writer.close()
            await writer.wait_closed()
            return


@contextlib.asynccontextmanager
async def running_bot(
    setup: Setup, mode: str, variant: str, limits: RateLimits | None = None, module: str = "bot"
) -> AsyncIterator[Bot]:
    """A fresh fake, a copy of the seeded database, and `python -m bot` on them; stopped however the block ends."""
    server = await FakeBotApiServer().start()
    server.api.latency, server.api.limits = setup.args.latency / 1000, limits
    name = f"{mode}-{variant}-{time.monotonic_ns()}"
    db = setup.workdir / f"{name}.sqlite3"
    shutil.copy(setup.template, db)
    env = {**setup.env, **VARIANTS.get(variant, {})}
    webhook, secret = None, ""
    if mode == "webhook":
        port, secret = free_port(), secrets.token_urlsafe(16)
        webhook = f"http://127.0.0.1:{port}/crowd-{secrets.token_hex(4)}"
        env.update(WEBHOOK_URL=webhook, WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port), WEBHOOK_SECRET=secret)
    log = (setup.args.logs or setup.workdir) / f"{name}.log"
    ready = "setWebhook" if webhook else "deleteWebhook"  # what run_webhook / run_polling calls last at start-up
    with log.open("wb") as stderr:
        launched = time.monotonic()
        proc = await launch(server, db, lambda c: c.method == ready, env=env, stderr=stderr, module=module)
        bot = Bot(server, proc, db, log, env, webhook, secret)
        try:
            if webhook:
                await wait_for_port(int(env["WEBHOOK_PORT"]))
            else:
                await server.api.wait_for_first_poll(timeout=30)
                assert server.api.first_poll_at is not None
                bot.startup = server.api.first_poll_at - launched
            yield bot
        finally:
            await stop(bot.proc)  # the one running now: a crash scenario restarts it
            await server.stop()


async def restart(bot: Bot) -> float:
    """A new `python -m bot` on the same database and fake, as a supervisor would after a crash; seconds taken."""
    started = time.monotonic()
    ready = "setWebhook" if bot.webhook else "deleteWebhook"  # as in running_bot
    with bot.log.open("ab") as stderr:
        bot.proc = await launch(bot.server, bot.db, lambda c: c.method == ready, env=bot.env, stderr=stderr)
    if bot.webhook:
        await wait_for_port(int(bot.env["WEBHOOK_PORT"]))
    return time.monotonic() - started


def logged_errors(bot: Bot) -> Counter[str]:
    """The errors the bot logged, by the last line of each record (the exception, when there is a traceback)."""
    records = re.split(r"\n(?=\d{4}-\d\d-\d\d )", bot.log.read_text(errors="replace"))
    return Counter(r.strip().splitlines()[-1][:150] for r in records if " ERROR " in r.split("\n", 1)[0])


def crowd_for(setup: Setup, bot: Bot, weights: dict[str, float] | None = None) -> crowd.Crowd:
    """The seeded delegates, fresh (no keyboards yet), sending to `bot`."""
    delegates = [crowd.Delegate(d.user_id, d.language) for d in setup.delegates]
    mix = crowd.Mix(setup.programme, bot.server.api, weights or crowd.DEFAULT_MIX)
    return crowd.Crowd(bot.server.api, delegates, mix, webhook_url=bot.webhook, webhook_secret=bot.secret, bulk=is_bulk)


def bench_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def warm_up(people: crowd.Crowd) -> None:
    """A few updates first (indexes, caches, connections), not counted."""
    await people.run(10, 2)
    await people.drain(10)
    people.next_phase()


async def measure(
    people: crowd.Crowd, bot: Bot, rate: float, seconds: float, grace: float, poisson: bool = False
) -> Run:
    """One phase of traffic at `rate` for `seconds`, then up to `grace` seconds for the last replies."""
    pid = bot.proc.pid
    cpu, mine, started = crowd.cpu_seconds(pid), bench_cpu_seconds(), time.monotonic()
    await people.run(rate, seconds, poisson=poisson)
    wall = time.monotonic() - started
    cpu, mine = crowd.cpu_seconds(pid) - cpu, bench_cpu_seconds() - mine
    await people.drain(grace)
    return Run(people.next_phase(), wall, cpu / wall, mine / wall, crowd.memory_mb(pid), logged_errors(bot))


def ms(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds * 1000:.0f}"


def latency_line(values: list[float]) -> str:
    q = crowd.percentile
    return " / ".join(ms(q(values, p)) for p in (0.5, 0.95, 0.99)) + f" / {ms(values[-1]) if values else '-'}"


def table(runs: dict[str, Run]) -> None:
    """The variants side by side."""
    rows: list[tuple[str, Callable[[Run], str]]] = [
        ("updates made available", lambda r: f"{r.figures.offered} ({r.figures.offered / r.seconds:.0f}/s)"),
        ("  not made: all delegates busy", lambda r: str(r.figures.skipped)),
        ("answered", lambda r: str(len(r.figures.all_latencies()))),
        ("latency ms p50 / p95 / p99 / max", lambda r: latency_line(r.figures.all_latencies())),
        ("unanswered", lambda r: str(sum(r.figures.unanswered.values()))),
        ("presses answered by a toast only", lambda r: str(r.figures.toast_only)),
        ("refused by the fake", lambda r: str(sum(r.figures.refused.values()))),
        ("'something went wrong' replies", lambda r: str(r.figures.generic_errors)),
        ("errors in the bot's log so far", lambda r: str(r.logged_errors.total())),
        ("bot CPU (user+sys / wall)", lambda r: f"{r.bot_cpu:.0%}"),
        ("bot peak RSS", lambda r: f"{r.rss_mb:.0f} MB"),
        ("bench process CPU", lambda r: f"{r.bench_cpu:.0%}"),
    ]
    kinds = sorted({k for r in runs.values() for k in r.figures.latencies})
    for kind in kinds:
        rows.append((f"  {kind}: n, p50 / p95 ms", functools.partial(kind_line, kind=kind)))
    print(f"  {'':<34}" + "".join(f"{name:>32}" for name in runs))
    for label, cell in rows:
        print(f"  {label:<34}" + "".join(f"{cell(run):>32}" for run in runs.values()))
    for name, run in runs.items():
        for what, n in run.figures.refused.most_common(5):
            print(f"  {name}: refused {n} x {what}")
        for what, n in run.logged_errors.most_common(3):
            print(f"  {name}: logged {n} x {what}")
        if run.figures.unanswered:
            print(f"  {name}: unanswered by kind {dict(run.figures.unanswered)}")
        if run.bench_cpu > BENCH_CPU_WARNING or run.figures.late > run.figures.offered / 100:
            print(f"  WARNING {name}: this process used {run.bench_cpu:.0%} of a core and issued {run.figures.late} "
                  "updates late: the load generator or the fake may limit these figures")  # fmt: skip


def kind_line(run: Run, kind: str) -> str:
    values = sorted(run.figures.latencies.get(kind, []))
    return f"{len(values)}, {ms(crowd.percentile(values, 0.5))} / {ms(crowd.percentile(values, 0.95))}"


async def default_scenario(setup: Setup, modes: list[str]) -> None:
    args = setup.args
    for mode in modes:
        print(f"\n{mode}: {args.rate:g} updates/s offered for {args.seconds:g} s, latency {args.latency:g} ms")
        runs = {}
        for variant in setup.args.variants:
            async with running_bot(setup, mode, variant) as bot, crowd_for(setup, bot) as people:
                await warm_up(people)
                runs[variant] = await measure(people, bot, args.rate, args.seconds, args.grace, poisson=args.poisson)
        table(runs)


async def find_max(setup: Setup, modes: list[str]) -> None:
    args = setup.args
    for mode in modes:
        print(f"\n{mode}: offered rate stepped, {args.seconds:g} s each, latency {args.latency:g} ms")
        best: dict[str, float] = {}
        variants = [*args.variants, *(["PTB floor"] if args.floor else [])]
        for variant in variants:
            best[variant] = 0.0
            # The floor answers text only: it gets questions only (the bot the mixed traffic).
            floor = variant == "PTB floor"
            module, weights = ("tests.support.floor_bot", {"question": 1.0}) if floor else ("bot", None)
            async with (
                running_bot(setup, mode, variant, module=module) as bot,
                crowd_for(setup, bot, weights) as people,
            ):
                await warm_up(people)
                for rate in FIND_MAX_RATES:
                    # The calls recorded at each step would otherwise make this process's full collections
                    # longer and longer (a second by 300/s), stalling the fake and the load generator.
                    GC_PAUSES.reset()
                    run = await measure(people, bot, rate, args.seconds, args.grace, poisson=args.poisson)
                    f = run.figures
                    p95 = crowd.percentile(f.all_latencies(), 0.95)
                    print(f"  {variant:<10} {rate:5d}/s offered: made {f.offered / run.seconds:5.0f}/s, "
                          f"p50/p95/p99/max {latency_line(f.all_latencies())} ms, unanswered "
                          f"{sum(f.unanswered.values())}, refused {sum(f.refused.values())}, "
                          f"bot CPU {run.bot_cpu:.0%}, bench CPU {run.bench_cpu:.0%}, "
                          f"longest GC pause here {GC_PAUSES.longest * 1000:.0f} ms")  # fmt: skip
                    for what, n in f.refused.most_common(3):
                        print(f"      refused {n} x {what}")
                    if run.bench_cpu > BENCH_CPU_WARNING:
                        print("  WARNING: this process nears one core: the load generator may be the limit")
                    if not p95 <= FIND_MAX_P95 or f.unanswered or f.skipped > f.offered / 20:
                        break
                    best[variant] = rate
        found = [f"{v} {r:g}/s" if r else f"{v} below {FIND_MAX_RATES[0]}/s" for v, r in best.items()]
        print("  highest offered rate with p95 <= 50 ms: " + ", ".join(found))


async def cli_broadcast(bot: Bot, text: str) -> str:
    """`python -m bot broadcast` to everyone, as an organiser at a terminal would: its output."""
    _, _, out = await cli_command(bot, "broadcast", "--text", text, "--audience", "all")
    return out


async def during_broadcast(setup: Setup, modes: list[str]) -> None:
    args, recipients = setup.args, len(setup.delegates)
    for mode in modes:
        print(f"\n{mode}: a broadcast to all {recipients}, questions at {args.rate:g}/s; the fake with Telegram's"
              f" limits (30/s, 1/s per chat, 429 + retry_after), latency {args.latency:g} ms")  # fmt: skip
        runs: dict[str, Run] = {}
        for variant in setup.args.variants:
            async with running_bot(setup, mode, variant, RateLimits(30.0, 1.0)) as bot, crowd_for(setup, bot) as people:
                questions = crowd.Mix(setup.programme, bot.server.api, {"question": 1.0})
                await warm_up(people)
                text = f"{MARK} ({variant}): the keynote moved to Janson."
                pid, cpu, mine = bot.proc.pid, crowd.cpu_seconds(bot.proc.pid), bench_cpu_seconds()
                started = time.monotonic()
                bound = recipients / 30 * 1.5 + 60
                traffic = asyncio.create_task(people.run(args.rate, bound, mix=questions))
                try:
                    print(f"  {variant}: " + (await cli_broadcast(bot, text)).replace("\n", " "))
                    while len(delivered(bot, text)) < recipients and not traffic.done():  # noqa: ASYNC110
                        await asyncio.sleep(0.5)
                finally:
                    traffic.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await traffic
                wall = time.monotonic() - started
                cpu, mine = crowd.cpu_seconds(pid) - cpu, bench_cpu_seconds() - mine
                await people.drain(args.grace)
                runs[variant] = Run(people.next_phase(), wall, cpu / wall, mine / wall, crowd.memory_mb(pid))
                runs[variant].logged_errors = logged_errors(bot)
                print(f"  {variant}: " + broadcast_figures(bot, text, recipients))
        table(runs)


async def crash(setup: Setup, modes: list[str]) -> None:
    """SIGKILL half-way through the traffic, restart at once: what the crash cost the delegates."""
    args = setup.args
    for mode in modes:
        print(f"\n{mode}: {args.rate:g} updates/s for {args.seconds:g} s, SIGKILL at {args.seconds / 2:g} s and an "
              f"immediate restart, latency {args.latency:g} ms")  # fmt: skip
        runs = {}
        for variant in setup.args.variants:
            async with running_bot(setup, mode, variant) as bot, crowd_for(setup, bot) as people:
                await warm_up(people)
                cpu, mine, started = crowd.cpu_seconds(bot.proc.pid), bench_cpu_seconds(), time.monotonic()
                traffic = asyncio.create_task(people.run(args.rate, args.seconds, poisson=args.poisson))
                await asyncio.sleep(args.seconds / 2)
                outstanding = len(people.pending)
                cpu = crowd.cpu_seconds(bot.proc.pid) - cpu
                await kill(bot.proc)
                back = await restart(bot)
                await traffic
                wall = time.monotonic() - started
                await people.drain(args.grace)
                run = Run(people.next_phase(), wall, cpu / wall, (bench_cpu_seconds() - mine) / wall, float("nan"))
                run.logged_errors = logged_errors(bot)
                runs[variant] = run
                lost = sum(run.figures.unanswered.values())
                print(f"  {variant}: {outstanding} updates outstanding at the kill; the new process was "
                      f"{'listening' if bot.webhook else 'polling'} {back:.1f} s later; unanswered after the "
                      f"traffic: {lost} (updates fetched or posted, then lost)")  # fmt: skip
        table(runs)


async def cli_command(bot: Bot, *command: str, database: Path | None = None) -> tuple[float, int, str]:
    """`python -m bot COMMAND` on the bot's database (or `database`): seconds taken, exit status, output."""
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *command, cwd=bot.db.parent,
        env=bot_environment(bot.server, database or bot.db, **bot.env), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), 300)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    return time.monotonic() - started, proc.returncode or 0, out.decode().strip()


def database_figures(path: Path) -> str:
    """The integrity check and the rows that matter of a database (a restored backup)."""
    conn = sqlite3.connect(path)
    try:
        check = ", ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("users", "bookmarks", "outbox")}
        pending = conn.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
    finally:
        conn.close()
    return (f"integrity_check {check}; {counts['users']} users, {counts['bookmarks']} bookmarks, "
            f"{counts['outbox']} outbox rows ({pending} pending)")  # fmt: skip


async def backup_under_load(setup: Setup, modes: list[str]) -> None:
    """`python -m bot backup` half-way through the traffic: how long it took, the latency around it, and the copy
    checked and restored (`python -m bot restore` onto a new path) after the traffic."""
    args = setup.args
    for mode in modes:
        print(f"\n{mode}: {args.rate:g} updates/s for {args.seconds:g} s, `python -m bot backup` at "
              f"{args.seconds / 2:g} s, latency {args.latency:g} ms")  # fmt: skip
        runs = {}
        for variant in setup.args.variants:
            async with running_bot(setup, mode, variant) as bot, crowd_for(setup, bot) as people:
                await warm_up(people)
                pid, cpu, mine = bot.proc.pid, crowd.cpu_seconds(bot.proc.pid), bench_cpu_seconds()
                started = time.monotonic()
                traffic = asyncio.create_task(people.run(args.rate, args.seconds, poisson=args.poisson))
                await asyncio.sleep(args.seconds / 2)
                copy = bot.db.with_name(bot.db.stem + "-backup.sqlite3")
                took, status, out = await cli_command(bot, "backup", str(copy))
                await traffic
                wall = time.monotonic() - started
                cpu, mine = crowd.cpu_seconds(pid) - cpu, bench_cpu_seconds() - mine
                await people.drain(args.grace)
                runs[variant] = Run(people.next_phase(), wall, cpu / wall, mine / wall, crowd.memory_mb(pid))
                runs[variant].logged_errors = logged_errors(bot)
                size = copy.stat().st_size / 2**20 if copy.exists() else 0.0
                print(f"  {variant}: backup exit {status} in {took:.2f} s (the command's whole process, start-up "
                      f"included), {size:.1f} MB: {out.splitlines()[-1] if out else ''}")  # fmt: skip
                restored = setup.workdir / f"restored-{mode}-{variant}.sqlite3"
                r_took, r_status, r_out = await cli_command(bot, "restore", str(copy), database=restored)
                print(f"  {variant}: restore exit {r_status} in {r_took:.2f} s; the restored database: "
                      f"{database_figures(restored) if r_status == 0 else r_out}")  # fmt: skip
        table(runs)


def broadcast_figures(bot: Bot, text: str, recipients: int) -> str:
    """Reach, duplicates and rate of the broadcast, and the other outbox messages sent meanwhile."""
    sent = [c for c in bot.server.api.calls if c.method == "sendMessage" and not c.error]
    ours = [c for c in sent if c.text == text]
    chats = {c.chat_id for c in ours}
    span = ours[-1].at - ours[0].at if len(ours) > 1 else 0.0
    achieved = (len(ours) - 1) / span if span else 0.0
    others = sum(1 for c in sent if is_bulk(c) and c.text != text and span and ours[0].at <= c.at <= ours[-1].at)
    return (
        f"broadcast reached {len(chats)} of {recipients} ({len(ours) - len(chats)} duplicates) in {span:.1f} s: "
        f"{achieved:.1f} msg/s = {achieved / 30:.2f} x 30/s; meanwhile {others} reminders and digests"
    )


def delivered(bot: Bot, text: str) -> set[int | None]:
    return {c.chat_id for c in bot.server.api.calls if c.method == "sendMessage" and not c.error and c.text == text}


async def morning(template: Path, programme: Programme, now: datetime) -> str:
    """The bot's reminder tick at `now`, timed; what it queues is marked delivered, as if the bot had run all day."""
    db = await open_database(template)
    try:
        timings = []
        for at in (now, now + timedelta(seconds=30)):
            started = time.perf_counter()
            report = await queue_due_messages(db, programme, at)
            timings.append(f"{(time.perf_counter() - started) * 1000:.0f} ms (queued {report.queued})")
            await db.execute("UPDATE outbox SET state = 'sent', sent_at = ? WHERE state = 'pending'", (to_db(at),))
            await db.commit()
    finally:
        await db.close()
    return f"first {timings[0]}, next {timings[1]}"


# The morning tick on its own: its peak RSS is not blurred by the fake and the load generator of this process.
MORNING_TICK = """
import asyncio, resource, sys, time
from datetime import datetime
from bot.programme.loader import load_programme
from bot.reminders.queue import queue_due_messages
from bot.storage.db import open_database

async def main(path, programme, at):
    programme = load_programme(programme)
    db = await open_database(path)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    report = await queue_due_messages(db, programme, datetime.fromisoformat(at))
    took = time.perf_counter() - started
    await db.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{took:.2f} s, queued {report.queued}, peak RSS {peak:.0f} MB (from {before:.0f} MB)")

asyncio.run(main(*sys.argv[1:]))
"""


async def morning_alone(setup: Setup, path: Path, at: datetime) -> str:
    """The full reminder tick at `at` on a copy of the seeded database, in a fresh Python process: time, peak RSS."""
    db = setup.workdir / "morning-alone.sqlite3"
    shutil.copy(setup.template, db)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", MORNING_TICK, str(db), str(path), at.isoformat(), cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await proc.communicate()
    db.unlink()
    return out.decode().strip()


async def big(setup: Setup, modes: list[str]) -> None:
    args = setup.args
    bookmarks = len(setup.delegates) * args.bookmarks
    print(f"\n{len(setup.delegates)} delegates, {bookmarks} bookmarks; /my only at {args.rate:g}/s, {args.seconds:g} s")
    for mode in modes:
        runs = {}
        for variant in setup.args.variants:
            async with running_bot(setup, mode, variant) as bot, crowd_for(setup, bot, {"/my": 1.0}) as people:
                idle_rss = crowd.memory_mb(bot.proc.pid, "VmRSS")
                await warm_up(people)
                runs[variant] = await measure(people, bot, args.rate, args.seconds, args.grace)
                startup = f"start-up to the first getUpdates {bot.startup:.2f} s, " if mode == "polling" else ""
                print(f"  {mode} {variant}: {startup}RSS {idle_rss:.0f} MB after start-up")
                if setup.args.at:
                    print(f"  {mode} {variant}: the bot's morning, from its log: " + "; ".join(morning_log(bot)))
        table(runs)


def morning_log(bot: Bot) -> list[str]:
    """The bot's log lines about the morning messages (queued in chunks, the day marked), with their times."""
    lines = bot.log.read_text(errors="replace").splitlines()
    messages = [(line[11:23], line.split(": ", 1)[-1]) for line in lines if ": " in line]
    found = [f"{at} {text[:100]}" for at, text in messages if text.startswith("Morning messages")]
    return found[:8] or ["nothing logged"]


def programme_path(args: argparse.Namespace, workdir: Path) -> Path:
    """--programme, else FOSDEM 2025, else a generated programme of the same size (absolute: the bot runs elsewhere)."""
    if args.programme:
        return Path(args.programme).resolve()
    if FOSDEM.exists() and not args.generated:
        return FOSDEM
    return crowd.write_programme(workdir / "generated-programme.yaml")


async def prepare(args: argparse.Namespace, workdir: Path) -> Setup:
    """The programme, an empty run-up plan and the seeded database every bot of this run starts from."""
    path = programme_path(args, workdir)
    programme = load_programme(path)
    runup = yaml.safe_load((ROOT / "data" / "runup.yaml").read_text(encoding="utf-8"))
    (workdir / "runup.yaml").write_text(yaml.safe_dump({"no_bookmarks": runup["no_bookmarks"], "entries": []}))
    template = workdir / "template.sqlite3"
    started = time.monotonic()
    delegates = await crowd.seed(template, programme, args.delegates, args.bookmarks)
    seeded = time.monotonic() - started
    start = clock_time.fromisoformat(args.at) if args.at else clock_time(11, 0)
    clock = datetime.combine(programme.days[0], start, programme.timezone)
    if args.at:
        eight = datetime.combine(programme.days[0], clock_time(8, 0), programme.timezone)
        ticks = "not run before the bot (--at); at 08:00 in a process of its own: "
        ticks += await morning_alone(Setup(args, workdir, programme, template, delegates), path, eight)
    else:
        ticks = await morning(template, programme, clock)
    env = {"PROGRAMME_PATH": str(path), "BOT_CLOCK_START": clock.isoformat(), "RUNUP_PATH": str(workdir / "runup.yaml")}
    if args.at:
        env["LOG_LEVEL"] = "INFO"  # the morning's lines (bench.crowd.morning_log)
    if args.send_rate:
        env["SEND_RATE_PER_SECOND"] = str(args.send_rate)
    print(f"programme: {programme.name}, {len(programme.sessions)} sessions, {len(programme.rooms)} rooms "
          f"({path}); bot clock from {clock:%a %d %b %Y %H:%M %Z}")  # fmt: skip
    send_rate = args.send_rate or Settings.model_fields["send_rate_per_second"].default
    print(f"seeded {len(delegates)} delegates with {args.bookmarks} bookmarks each in {seeded:.1f} s; the bot paces "
          f"replies and the outbox together at SEND_RATE_PER_SECOND={send_rate:g}/s; {os.cpu_count()} cores, "
          "shared by this process (fake Bot API + load generator) and the bot")  # fmt: skip
    marked = "; what it queued (the day's digests and the reminders due) is marked sent, as if the bot had run since"
    print(f"the bot's reminder tick on this database, timed here: {ticks}{'' if args.at else marked + ' the morning'}")
    return Setup(args, workdir, programme, template, delegates, env)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    scenario = parser.add_mutually_exclusive_group()
    scenario.add_argument("--find-max", action="store_true", help="step the rate; the highest with p95 <= 50 ms")
    scenario.add_argument("--during-broadcast", action="store_true", help="questions during a broadcast to all")
    scenario.add_argument("--big", action="store_true", help="20,000 delegates, 200,000 bookmarks: RSS, /my")
    scenario.add_argument("--crash", action="store_true", help="SIGKILL half-way through the traffic, restart")
    scenario.add_argument("--backup", action="store_true", help="`python -m bot backup` half-way, then restore it")
    parser.add_argument("--mode", choices=["polling", "webhook", "both"], help="default: both; polling for the rest")
    parser.add_argument("--delegates", type=int, help="default 2000; 10000 during a broadcast; 20000 --big")
    parser.add_argument("--rate", type=float, help="offered updates/s: default 100; 5 during a broadcast and --big")
    parser.add_argument("--seconds", type=float, help="traffic per run (per step with --find-max): 60, or 20")
    parser.add_argument("--latency", type=float, default=50.0, help="the fake's latency per request, ms")
    parser.add_argument("--bookmarks", type=int, help="bookmarks per delegate: default 3; 10 --big")
    parser.add_argument("--grace", type=float, default=15.0, help="seconds to wait for replies after the traffic")
    parser.add_argument("--poisson", action="store_true", help="Poisson arrivals instead of evenly spaced")
    parser.add_argument("--send-rate", type=float, help="SEND_RATE_PER_SECOND of the bot (default: the bot's)")
    parser.add_argument("--programme", help="a programme file instead of FOSDEM 2025")
    parser.add_argument("--generated", action="store_true", help="the generated FOSDEM-sized programme")
    parser.add_argument("--at", help="the bot's clock from HH:MM of the first day (default 11:00, the morning sent)")
    parser.add_argument("--logs", type=Path, help="keep the bots' logs (stderr) in this folder")
    parser.add_argument("--only", choices=list(VARIANTS), help="run one variant (default: both, side by side)")
    parser.add_argument("--floor", action="store_true", help="--find-max also for a PTB bot that only says 'ok'")
    args = parser.parse_args()
    args.delegates = args.delegates or (10_000 if args.during_broadcast else 20_000 if args.big else 2_000)
    args.rate = args.rate or (5.0 if args.during_broadcast or args.big else 100.0)
    args.seconds = args.seconds or (20.0 if args.find_max else 60.0)
    args.bookmarks = args.bookmarks if args.bookmarks is not None else 10 if args.big else 3
    polling_only = args.find_max or args.during_broadcast or args.big or args.crash or args.backup
    default_mode = "polling" if polling_only else "both"
    args.mode = args.mode or default_mode
    args.variants = [args.only] if args.only else list(VARIANTS)
    return args


async def main(args: argparse.Namespace) -> None:
    # SIGTERM as Ctrl-C: asyncio.run cancels this task, so every bot started is stopped on the way out.
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, os.kill, os.getpid(), signal.SIGINT)
    modes = ["polling", "webhook"] if args.mode == "both" else [args.mode]
    scenarios = {
        "find_max": find_max,
        "during_broadcast": during_broadcast,
        "big": big,
        "crash": crash,
        "backup": backup_under_load,
    }
    scenario = next((run for name, run in scenarios.items() if getattr(args, name)), default_scenario)
    with tempfile.TemporaryDirectory(prefix="crowd-") as tmp:
        setup = await prepare(args, Path(tmp))
        await scenario(setup, modes)


if __name__ == "__main__":
    try:
        asyncio.run(main(parse()))
    except KeyboardInterrupt:
        sys.exit("interrupted: the bot this bench started has been stopped")
