"""`python -m bot eval FILE`: run every question of a questions file through the bot's own answer path and
report each failure with the reply, and the pass rate. The file format is described at the top of
../shared/qa/public.yaml."""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml

from bot import i18n
from bot.answer.faq import Faq, load_faq
from bot.programme.errors import ProgrammeError
from bot.programme.loader import load_programme
from bot.programme.model import Programme
from bot.views.answer import reply_to
from bot.views.reply import Reply

BUNDLED = "conference"
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Case:
    number: int
    programme: str
    question: str
    now: datetime | None = None
    lang: str = "en"
    expect: tuple[str, ...] = ()
    expect_any: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()
    timezone: str | None = None  # our extension: the zone of a programme file that names none
    kind: str = ""  # our extension: what kind of question, for the figures per kind


@dataclass
class Outcome:
    case: Case
    reply: str
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def wrong_facts(self) -> int:
        """Rejected strings the reply contains: a session or fact it stated that does not answer the question."""
        return sum(p.startswith("contains ") for p in self.problems)


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(str(v) for v in (value if isinstance(value, list) else [value]))


def read_cases(path: Path) -> list[Case]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cases = []
    for n, item in enumerate(raw.get("cases") or [], start=1):
        now = item.get("now")
        if isinstance(now, str):
            now = datetime.fromisoformat(now)
        cases.append(
            Case(
                number=n,
                programme=str(item.get("programme", BUNDLED)),
                question=str(item.get("q", "")),
                now=now if isinstance(now, datetime) else None,
                lang=str(item.get("lang") or "en"),
                expect=_strings(item.get("expect")),
                expect_any=_strings(item.get("expect_any")),
                reject=_strings(item.get("reject")),
                timezone=str(item["timezone"]) if item.get("timezone") else None,
                kind=str(item.get("kind") or ""),
            )
        )
    return cases


def visible(reply: Reply) -> str:
    """What the user reads: the text without HTML tags, then every button label."""
    text = html.unescape(_TAG.sub("", reply.text))
    labels = [b.label for row in reply.buttons for b in row]
    return "\n".join([text, *labels])


def judge(case: Case, shown: str) -> list[str]:
    low = shown.lower()
    problems = [f"missing {s!r}" for s in case.expect if s.lower() not in low]
    if case.expect_any and not any(s.lower() in low for s in case.expect_any):
        problems.append(f"none of {list(case.expect_any)!r}")
    problems += [f"contains {s!r}" for s in case.reject if s.lower() in low]
    return problems


class Programmes:
    """Loads each programme named by the cases once: 'conference' is the bundled one."""

    def __init__(self, bundled: Path, schedule_dirs: Iterable[Path], default_tz: str | None) -> None:
        self.bundled = bundled
        self.dirs = [d for d in schedule_dirs if d.is_dir()]
        self.default_tz = default_tz
        self._loaded: dict[tuple[str, str | None], Programme] = {}

    def get(self, name: str, timezone: str | None = None) -> Programme:
        key = (name, timezone or self.default_tz)
        if key not in self._loaded:
            path = self._path(name)
            try:
                self._loaded[key] = load_programme(path, key[1])
            except ProgrammeError:
                if key[1]:
                    raise
                # A file without a time zone: read its times as written (UTC) rather than skip its cases.
                self._loaded[key] = load_programme(path, "UTC")
                print(f"note: {name} names no time zone; its times are read as written (UTC)", file=sys.stderr)
        return self._loaded[key]

    def _path(self, name: str) -> Path:
        if name == BUNDLED:
            return self.bundled
        for d in self.dirs:
            if (d / name).is_file():
                return d / name
        raise FileNotFoundError(f"programme {name!r} not found in {', '.join(str(d) for d in self.dirs) or '-'}")


def before_event(programme: Programme) -> datetime:
    """'Any time before the event': a week before its first session."""
    if programme.sessions:
        return programme.sessions[0].start - timedelta(days=7)
    first = programme.days[0] if programme.days else date(2000, 1, 8)
    return datetime.combine(first, time(), tzinfo=programme.timezone) - timedelta(days=7)


def run_case(case: Case, programmes: Programmes, faq: Faq) -> Outcome:
    try:
        programme = programmes.get(case.programme, case.timezone)
    except (OSError, ValueError, ProgrammeError) as exc:
        return Outcome(case, "", [f"cannot load the programme: {exc}"])
    now = case.now or before_event(programme)
    reply = reply_to(case.question, programme, now, i18n.lang(case.lang), faq)
    shown = visible(reply)
    return Outcome(case, shown, judge(case, shown))


def evaluate(path: Path, programmes: Programmes, faq_path: Path) -> list[Outcome]:
    faq = load_faq(faq_path)
    return [run_case(case, programmes, faq) for case in read_cases(path)]


def report(outcomes: list[Outcome], threshold: float, verbose: bool = False) -> int:
    """Print failures (every reply when verbose) and the pass rate; 1 when the rate is below `threshold`."""
    for o in outcomes:
        if o.passed and not verbose:
            continue
        c = o.case
        mark = "PASS" if o.passed else "FAIL"
        print(
            f"--- {mark} #{c.number} [{c.programme}, {c.lang}{', ' + c.now.isoformat() if c.now else ''}] {c.question}"
        )
        for p in o.problems:
            print(f"    ! {p}")
        print("    " + o.reply.replace("\n", "\n    | "))
    passed = sum(o.passed for o in outcomes)
    total = len(outcomes)
    rate = 100.0 * passed / total if total else 0.0
    print()
    for label, key, least in (("language", lambda o: o.case.lang, 2), ("kind", lambda o: o.case.kind, 1)):
        groups = _grouped(outcomes, key)
        if len(groups) >= least:
            print(f"by {label}: " + ", ".join(f"{name} {ok}/{n}" for name, (ok, n) in groups.items()))
    print(f"wrong facts stated (a rejected string in the reply): {sum(o.wrong_facts for o in outcomes)}")
    print(f"{passed}/{total} cases pass ({rate:.1f} %); threshold {threshold:.1f} %")
    return 0 if total and rate >= threshold else 1


def _grouped(outcomes: list[Outcome], key: Callable[[Outcome], str]) -> dict[str, tuple[int, int]]:
    """(passed, total) per value of `key`, in the order first seen; cases without a value are left out."""
    groups: dict[str, tuple[int, int]] = {}
    for o in outcomes:
        name = key(o)
        if name:
            ok, n = groups.get(name, (0, 0))
            groups[name] = (ok + o.passed, n + 1)
    return groups
