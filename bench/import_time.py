"""Import time of every real programme export in ../shared/schedules (goal: the 1,007-event 38C3 file ≤ 1 s).

Times parse_programme on the file's bytes (reading the file is not included), best and median of RUNS runs.
Run: .venv/bin/python bench/import_time.py [FILE ...]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.programme.loader import parse_programme  # noqa: E402

RUNS = 7
SCHEDULES = ROOT.parent / "shared" / "schedules"
# Files that name no time zone are read as the organisers would: with EVENT_TIMEZONE set.
ZONES = {"fosdem-2019-pentabarf.xml": "Europe/Brussels", "sessionize-demo-all.json": "Europe/Madrid"}
GOAL = {"38c3-frab.xml": 1.0}


def main(paths: list[Path]) -> int:
    if not paths:
        paths = sorted(p for p in SCHEDULES.glob("*") if p.suffix in (".xml", ".json", ".ics", ".csv"))
    if not paths:
        print(f"no programme files in {SCHEDULES}")
        return 1
    print(f"{'file':32} {'format':11} {'sessions':>8} {'rooms':>5} {'days':>4} {'best ms':>8} {'median ms':>9}")
    failed = False
    for path in paths:
        data = path.read_bytes()
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            programme = parse_programme(data, path.name, ZONES.get(path.name))
            times.append(time.perf_counter() - start)
        best, median = min(times), statistics.median(times)
        goal = GOAL.get(path.name)
        mark = "" if goal is None else (f"  goal ≤ {goal:g} s: " + ("met" if median <= goal else "MISSED"))
        failed |= goal is not None and median > goal
        print(
            f"{path.name:32} {programme.format:11} {len(programme.sessions):8d} {len(programme.rooms):5d}"
            f" {len(programme.days):4d} {best * 1000:8.1f} {median * 1000:9.1f}{mark}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main([Path(a) for a in sys.argv[1:]]))
