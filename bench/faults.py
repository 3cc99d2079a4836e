"""Faults and hostile input against the real bot process with Telegram's limits (issue #12); prints its figures.

    .venv/bin/python bench/faults.py [--seed 12] [--random-texts 60] [--flood 200] [--recipients 600]
        [--crash-runs 1] [--logs DIR]

`python -m bot` runs against the fake Bot API served over HTTP on 127.0.0.1 with Telegram's limits
(tests/support/limited_api.py: 30 messages/s overall, 1/s per chat, 429 with retry_after beyond, 50 ms per
request), on a fresh database for each part:
1. The hostile corpus of tests/support/hostile.py (from --seed): texts, first names, language codes, commands
   with garbage, edited messages, messages without text, group and channel posts, updates without a sender,
   and forged button presses by delegates and by organisers; each from a person of its own, 25 a second.
   Prints the inputs tried, what was wrong with the answers (a request the fake refused other than a 429, a
   "something went wrong", user markup sent raw, no reply where one is due or one where none is, a press
   left unanswered) and the ERROR records in the bot's log (goal: 0 of each).
2. A flood: one delegate sends --flood messages in 2 s while a bystander asks /now every 0.5 s for 10 s (four
   bystanders in turn, so that no chat of theirs asks more than Telegram's one message a second allows).
   Prints the bystanders' worst and median reply latency (goal: worst ≤ 2 s), the 429s received, and how
   often the bot paused every send (it logs "pausing all sends").
3. A crash: a broadcast to --recipients, the bot SIGKILLed when half of them have it and restarted at once
   (tests/support/crash.py). Prints losses, and duplicates beside what the delivery report announces as
   possibly received twice (goal: duplicates ≤ announced ≤ what was on the wire).
Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.console.api import Call  # noqa: E402
from bot.programme.loader import load_programme  # noqa: E402
from tests.support.bot_process import launch, stop  # noqa: E402
from tests.support.crash import PROGRAMME, crash_mid_broadcast  # noqa: E402
from tests.support.hostile import APOLOGIES, buttons, corpus, menus, problems, send_all  # noqa: E402
from tests.support.limited_api import LimitedBotApi  # noqa: E402

PACE = 0.04  # between hostile inputs: 25 a second, under the fake's 30
DELEGATES, PRESSERS, ORGANISERS = 10_000, 20_000, 30_000
FLOODER, BYSTANDERS = 70_000, (70_001, 70_002, 70_003, 70_004)
ASK_EVERY, ASK_FOR = 0.5, 10.0
# A log record's first line, as bot/logs.py writes it: "<date> <time> <LEVEL> <logger>: <message>".
RECORD = re.compile(r"^\S+ \S+ (?P<level>[A-Z]+) (?P<logger>[\w.]+): (?P<message>.*)$")


def records(log: Path, *levels: str) -> list[str]:
    """The log's records at `levels`, as '<logger>: <message>'."""
    found = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        match = RECORD.match(line)
        if match and match["level"] in levels:
            found.append(f"{match['logger']}: {match['message']}")
    return found


def _polling(call: Call) -> bool:
    return call.method == "deleteWebhook"


def _apologies(calls: list[Call]) -> int:
    return sum(any(a in c.text for a in APOLOGIES) for c in calls if c.method == "sendMessage")


async def hostile_part(workdir: Path, seed: int, random_texts: int) -> None:
    """Every input of the corpus through the bot process, then what was wrong with the answers."""
    api = await LimitedBotApi().start()
    fake = api.server.api
    key = load_programme(PROGRAMME).sessions[0].key
    delegates = [i for i in corpus(seed, random_texts, key) if i.family != "button"]
    presses = [i for i in corpus(seed, random_texts, key) if i.family == "button"]
    organised = buttons(random.Random(seed), key, organiser=True)
    admins = ",".join(str(uid) for uid in range(ORGANISERS, ORGANISERS + len(organised)))
    env = {"PROGRAMME_PATH": str(PROGRAMME), "ADMIN_IDS": admins}
    log = workdir / "hostile.log"
    found: list[str] = []
    started = time.monotonic()
    with log.open("wb") as err:
        proc = await launch(api.server, workdir / "hostile.sqlite3", _polling, env=env, stderr=err)
        try:
            start = len(fake.calls)
            found += problems(fake.calls, await send_all(fake, delegates, DELEGATES, pace=PACE))
            for first, items in ((PRESSERS, presses), (ORGANISERS, organised)):
                pressed = await menus(fake, range(first, first + len(items)), pace=PACE)
                found += problems(fake.calls, await send_all(fake, items, first, pressed, pace=PACE))
            calls = fake.calls[start:]
        finally:
            await stop(proc)
    await api.stop()
    errors = records(log, "ERROR", "CRITICAL")
    tried = len(delegates) + len(presses) + len(organised)
    families = sorted({i.family for i in delegates + presses})
    print(f"1. hostile input: {tried} inputs tried in {time.monotonic() - started:.0f} s ({', '.join(families)};")
    print(f"   {len(presses)} forged presses by delegates, {len(organised)} by organisers), each from its own chat")
    print(f"   unhandled exceptions (ERROR records in the bot's log): {len(errors)}")
    print(f"   'something went wrong' replies: {_apologies(calls)}")
    print(f"   problems with the answers: {len(found)}; 429s received: {api.refused}")
    for line in (found + errors)[:20]:
        print(f"     {line[:160]}")


async def flood_part(workdir: Path, flood: int) -> None:
    """One delegate floods while bystanders ask /now: the bystanders' latency, 429s, pauses of every send."""
    api = await LimitedBotApi().start()
    fake = api.server.api
    log = workdir / "flood.log"
    asked: list[tuple[int, float]] = []
    with log.open("wb") as err:
        proc = await launch(api.server, workdir / "flood.sqlite3", _polling, env={}, stderr=err)
        try:
            start = len(fake.calls)

            async def flooder() -> None:
                for i in range(flood):
                    fake.send_text(FLOODER, f"when is the opening? {i}")
                    await asyncio.sleep(2.0 / flood)

            async def bystanders() -> None:
                for k in range(int(ASK_FOR / ASK_EVERY)):
                    chat = BYSTANDERS[k % len(BYSTANDERS)]
                    asked.append((chat, time.monotonic()))
                    fake.send_text(chat, "/now")
                    await asyncio.sleep(ASK_EVERY)

            await asyncio.gather(flooder(), bystanders())
            await asyncio.sleep(3.0)  # the last answers
            calls = fake.calls[start:]
        finally:
            await stop(proc)
    await api.stop()
    replies: dict[int, list[float]] = {}
    for call in calls:
        if call.method == "sendMessage" and not call.error and call.chat_id in BYSTANDERS:
            replies.setdefault(call.chat_id, []).append(call.at)
    latencies, turn = [], dict.fromkeys(BYSTANDERS, 0)
    for chat, at in asked:  # a chat's k-th answer is to its k-th question (one chat's updates go in order)
        answers = replies.get(chat, [])
        if turn[chat] < len(answers):
            latencies.append(answers[turn[chat]] - at)
        turn[chat] += 1
    flooder_got = [c for c in calls if c.method == "sendMessage" and not c.error and c.chat_id == FLOODER]
    paused = [r for r in records(log, "WARNING") if "pausing all sends" in r]
    worst = f"{max(latencies):.2f} s" if latencies else "-"
    median = f"{statistics.median(latencies) * 1000:.0f} ms" if latencies else "-"
    print(f"2. flood: one delegate sent {flood} messages in 2 s; /now every {ASK_EVERY:g} s for {ASK_FOR:g} s from")
    print(f"   {len(BYSTANDERS)} bystanders in turn (each asks every {ASK_EVERY * len(BYSTANDERS):g} s)")
    print(f"   bystander reply latency: worst {worst}, median {median}; unanswered {len(asked) - len(latencies)}")
    print(f"   the flooder got {len(flooder_got)} replies; 429s received: {api.refused}")
    print(f"   sends paused for everyone ('pausing all sends' in the log): {len(paused)}")
    print(f"   'something went wrong' replies: {_apologies(calls)}")
    print(f"   unhandled exceptions (ERROR records in the bot's log): {len(records(log, 'ERROR', 'CRITICAL'))}")


async def crash_part(workdir: Path, recipients: int, runs: int) -> None:
    """A broadcast, SIGKILL half-way, restart: losses and duplicates against what the report announces."""
    print(f"3. crash: a broadcast to {recipients}, SIGKILL when half have it, restart at once")
    duplicates = announced = 0
    for run in range(1, runs + 1):
        api = await LimitedBotApi().start()
        folder = workdir / f"crash{run}"
        folder.mkdir()
        log = folder / "crash.log"
        with log.open("wb") as err:
            crash = await crash_mid_broadcast(api, folder, recipients, stderr=err)
        await api.stop()
        errors = len(records(log, "ERROR", "CRITICAL"))
        print(
            f"   run {run}: killed after {crash.at_kill} deliveries; lost {crash.lost}; duplicates {crash.duplicates};"
            f" announced as possibly twice {crash.announced}; 429s {api.refused}; ERROR records {errors}"
        )
        duplicates, announced = duplicates + crash.duplicates, announced + crash.announced
    print(f"   duplicates per crash: {duplicates / runs:.2f} (announced: {announced / runs:.2f})")


async def main(args: argparse.Namespace) -> None:
    print("The real bot process; the fake Bot API with Telegram's limits: 30 msg/s, 1/s per chat, 429, 50 ms")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        await hostile_part(workdir, args.seed, args.random_texts)
        await flood_part(workdir, args.flood)
        await crash_part(workdir, args.recipients, args.crash_runs)
        if args.logs:
            keep_logs(workdir, Path(args.logs))


def keep_logs(workdir: Path, folder: Path) -> None:
    """Copy the bot's logs of every part to `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for log in workdir.rglob("*.log"):
        shutil.copy(log, folder / "-".join(log.relative_to(workdir).parts))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=12, help="of the hostile corpus")
    parser.add_argument("--random-texts", type=int, default=60, help="seeded random texts beside the picked ones")
    parser.add_argument("--flood", type=int, default=200, help="messages the flooder sends in 2 s")
    parser.add_argument("--recipients", type=int, default=600, help="of the broadcast the crash interrupts")
    parser.add_argument("--crash-runs", type=int, default=1)
    parser.add_argument("--logs", help="keep the bot's logs in this folder")
    asyncio.run(main(parser.parse_args()))
