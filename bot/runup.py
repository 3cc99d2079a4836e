"""The run-up plan: messages at instants relative to the conference, in each language, from a data file.

The file (data/runup.yaml) is edited by organisers; it is validated as a whole, and a file with any problem
leaves the plan in force unchanged. Times are local to the programme's time zone.
"""

from __future__ import annotations

import logging
import string
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.programme.errors import Problem, ProgrammeError
from bot.programme.model import Programme
from bot.storage.runup import EntryState
from bot.views.format import esc

logger = logging.getLogger(__name__)

LANGUAGES = ("en", "es", "fr", "de", "it")
PLACEHOLDERS = frozenset({"days_to_go", "bookmarks", "venue", "conference", "day"})
DAY_PLACEHOLDERS = ("bookmarks", "day")  # about one conference day: an entry after the conference has none
MAX_TEXT = 3500  # leaves room in Telegram's 4,096 for a delegate's list of bookmarks
ENTRY_ID = r"^[a-z0-9][a-z0-9-]{0,15}$"  # short: it travels in callback data and idempotency keys


class RunupError(ProgrammeError):
    """The run-up file could not be used; `problems` names each place and reason."""


@dataclass(frozen=True)
class PlaceholderProblem:
    """What is wrong with a text's placeholders: an unknown name, one this entry cannot fill (`needs_day`), or
    (empty) braces without their pair."""

    unknown: str = ""
    needs_day: bool = False


def placeholder_problem(text: str, allowed: frozenset[str] = PLACEHOLDERS) -> PlaceholderProblem | None:
    """The first placeholder that is not a plain `{name}` in `allowed`, named whole with any spec or conversion."""
    # A spec such as {conference:>30000000} would make a text of any size: only plain names are placeholders.
    try:
        fields = [(name, conversion, spec) for _, name, spec, conversion in string.Formatter().parse(text)]
    except ValueError:
        return PlaceholderProblem()
    bad = sorted(
        name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
        for name, conversion, spec in fields
        if name is not None and (name not in allowed or conversion or spec)
    )
    if not bad:
        return None
    return PlaceholderProblem(bad[0], needs_day=bad[0] in DAY_PLACEHOLDERS)  # known, yet not allowed here


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def _check_texts(texts: dict[str, str]) -> dict[str, str]:
    missing = [code for code in LANGUAGES if not texts.get(code)]
    if missing:
        raise ValueError(f"missing text for {', '.join(missing)} (every entry needs {', '.join(LANGUAGES)})")
    unknown = sorted(set(texts) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unsupported language {', '.join(unknown)} (supported: {', '.join(LANGUAGES)})")
    for code, text in texts.items():
        if len(text) > MAX_TEXT:
            raise ValueError(f"{code}: {len(text)} characters, at most {MAX_TEXT}")
        problem = placeholder_problem(text)
        if problem is not None and not problem.unknown:
            raise ValueError(f"{code}: a {{ or }} without its pair (write {{{{ and }}}} for literal braces)")
        if problem is not None:
            allowed = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
            raise ValueError(f"{code}: unknown placeholder {{{problem.unknown}}} (allowed: {allowed})")
    return texts


class EntryIn(_Strict):
    id: str = Field(pattern=ENTRY_ID)
    days_before: int | None = Field(default=None, ge=1, le=365)
    each_day: bool = False
    days_after: int | None = Field(default=None, ge=0, le=60)
    at: time | None = None  # required, except for the morning entry (it goes out at DIGEST_TIME)
    morning: bool = False  # opens each delegate's morning message, which lists their sessions of the day
    expires_after_hours: float = Field(default=12, gt=0, le=24 * 14)
    urgent: bool = False
    text: dict[str, str]

    _texts = field_validator("text")(_check_texts)

    @model_validator(mode="after")
    def _one_anchor(self) -> EntryIn:
        anchors = [self.days_before is not None, self.each_day, self.days_after is not None]
        if sum(anchors) != 1:
            raise ValueError("give exactly one of days_before, each_day: true, days_after")
        used = {name for text in self.text.values() for _, name, _, _ in string.Formatter().parse(text) if name}
        needing_day = [name for name in DAY_PLACEHOLDERS if name in used]
        if self.days_after is not None and needing_day:
            names = " and ".join("{" + name + "}" for name in needing_day)
            raise ValueError(f"{names} name a conference day: use them with days_before or each_day, not days_after")
        if self.morning and not self.each_day:
            raise ValueError("morning: true needs each_day: true")
        if self.morning and self.at is not None:
            raise ValueError("a morning entry goes out at DIGEST_TIME with the delegate's sessions: leave out at")
        if self.at is None and not self.morning:
            raise ValueError("at: required but missing")
        if self.morning and any("{bookmarks}" in text for text in self.text.values()):
            raise ValueError("a morning entry cannot use {bookmarks}: the delegate's sessions follow its text")
        return self


class PlanIn(_Strict):
    no_bookmarks: dict[str, str]
    entries: list[EntryIn] = []

    _texts = field_validator("no_bookmarks")(_check_texts)

    @field_validator("entries")
    @classmethod
    def _unique_ids(cls, entries: list[EntryIn]) -> list[EntryIn]:
        seen: set[str] = set()
        for entry in entries:
            if entry.id in seen:
                raise ValueError(f"entry id {entry.id!r} is used twice")
            seen.add(entry.id)
        if sum(entry.morning for entry in entries) > 1:
            raise ValueError("only one entry can be the morning entry (morning: true)")
        return entries


@dataclass(frozen=True)
class Morning:
    """When the morning message goes out (DIGEST_TIME), and until when a bot that was down may still send it."""

    at: time = time(8, 0)
    latest: time = time(11, 0)

    def moment(self, day: date, programme: Programme) -> datetime:
        return datetime.combine(day, self.at, tzinfo=programme.timezone)

    def deadline(self, day: date, programme: Programme) -> datetime:
        return datetime.combine(day, max(self.at, self.latest), tzinfo=programme.timezone)


@dataclass(frozen=True)
class RunupEntry:
    """One message of the plan at one instant (an `each_day` entry becomes one entry per conference day)."""

    id: str
    at: datetime  # aware
    expires_at: datetime  # not sent after this (a bot down at `at` catches up until then)
    day: date | None  # the conference day whose bookmarks {bookmarks} lists
    urgent: bool
    texts: dict[str, str] = field(hash=False)
    morning: bool = False  # sent inside the morning message (bot/reminders/morning.py), not on its own

    def text(self, language: str) -> str:
        return self.texts.get(language) or self.texts["en"]


def placeholders_of(entry: RunupEntry) -> frozenset[str]:
    """The placeholders an entry's text can use: {day} and {bookmarks} only in one about a conference day."""
    return PLACEHOLDERS if entry.day is not None else PLACEHOLDERS - frozenset(DAY_PLACEHOLDERS)


def is_urgent(entry: RunupEntry, state: EntryState | None) -> bool:
    """Urgent entries reach delegates who opted out of run-up messages; an organiser's toggle beats the file."""
    return entry.urgent if state is None or state.urgent is None else state.urgent


@dataclass(frozen=True)
class RunupPlan:
    entries: tuple[EntryIn, ...] = ()
    no_bookmarks: dict[str, str] = field(default_factory=dict, hash=False)
    source: str = ""

    def schedule(self, programme: Programme, morning: Morning | None = None) -> list[RunupEntry]:
        """Every entry at its instant for this programme, in time order (the morning entry at `morning.at`)."""
        tz = programme.timezone
        morning = morning or Morning()
        out: list[RunupEntry] = []
        for spec in self.entries:
            if spec.each_day:
                anchors: list[tuple[str, date, date | None]] = [(f"{spec.id}-{d:%m%d}", d, d) for d in programme.days]
            elif spec.days_before is not None:
                first = programme.start_date
                anchors = [(spec.id, first - timedelta(days=spec.days_before), first)]
            else:
                anchors = [(spec.id, programme.end_date + timedelta(days=spec.days_after or 0), None)]
            for entry_id, on, day in anchors:
                if spec.at is None:
                    at, expires = morning.moment(on, programme), morning.deadline(on, programme)
                else:
                    at = datetime.combine(on, spec.at, tzinfo=tz)
                    expires = at + timedelta(hours=spec.expires_after_hours)
                out.append(RunupEntry(entry_id, at, expires, day, spec.urgent, dict(spec.text), spec.morning))
        return sorted(out, key=lambda e: (e.at, e.id))

    def entry(self, programme: Programme, entry_id: str, morning: Morning | None = None) -> RunupEntry | None:
        return next((e for e in self.schedule(programme, morning) if e.id == entry_id), None)

    def morning_entry(self, programme: Programme, day: date, morning: Morning) -> RunupEntry | None:
        """The organisers' text that opens the morning message of `day`, if the plan has one."""
        return next((e for e in self.schedule(programme, morning) if e.morning and e.day == day), None)

    def no_bookmarks_text(self, language: str) -> str:
        return self.no_bookmarks.get(language) or self.no_bookmarks.get("en", "")


def _problems(source: str, exc: ValidationError) -> list[Problem]:
    problems = []
    for err in exc.errors():
        path = ""
        for part in err["loc"]:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        reason = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "missing":
            reason = "required but missing"
        elif err["type"] == "extra_forbidden":
            reason = "unknown key (check the spelling)"
        problems.append(Problem(source, path, reason))
    return problems


def parse_plan(data: bytes, source: str) -> RunupPlan:
    """Validate a run-up file; raises RunupError naming every problem with its place."""
    try:
        raw: Any = yaml.safe_load(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise RunupError.single(source, "", f"not UTF-8 text ({exc.reason})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise RunupError.single(source, where, f"YAML syntax error: {getattr(exc, 'problem', None) or exc}") from exc
    if not isinstance(raw, dict):
        raise RunupError.single(source, "", "expected a mapping with no_bookmarks and entries")
    try:
        doc = PlanIn.model_validate(raw)
    except ValidationError as exc:
        raise RunupError(_problems(source, exc)) from exc
    return RunupPlan(tuple(doc.entries), dict(doc.no_bookmarks), source)


def load_plan(path: str | Path) -> RunupPlan:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise RunupError.single(str(p), "", f"cannot read the file ({exc.strerror or exc})") from exc
    return parse_plan(data, str(p))


class RunupHolder:
    """The plan in force: re-read when the file changes; a file with problems keeps the previous plan."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path else None
        self.plan = RunupPlan()
        self.problems: list[Problem] = []
        self._mtime: float | None = -1.0  # never a real mtime: the first refresh always reads

    def refresh(self) -> bool:
        """Load the file if it changed since the last look; True when a new plan came into force."""
        if self.path is None:
            return False
        try:
            mtime = self.path.stat().st_mtime
        except OSError:
            mtime = None
        if mtime == self._mtime:
            return False
        self._mtime = mtime
        try:
            plan = load_plan(self.path)
        except RunupError as exc:
            self.problems = exc.problems
            for problem in exc.problems:
                logger.error("Run-up plan not changed: %s", problem)
            return False
        self.plan, self.problems = plan, []
        logger.info("Run-up plan loaded from %s: %d entries", self.path, len(plan.entries))
        return True


def render(
    template: str,
    *,
    escape: bool,
    programme: Programme,
    now: datetime,
    bookmarks: str,
    day_label: str,
) -> str:
    """Fill the placeholders; `bookmarks` and `day_label` are already HTML, file text is escaped when `escape`."""
    days_to_go = max(0, (programme.start_date - programme.local(now).date()).days)
    values = {
        "days_to_go": str(days_to_go),
        "venue": esc(programme.venue.name),
        "conference": esc(programme.name),
        "bookmarks": bookmarks,
        "day": day_label,
    }
    text = esc(template) if escape else template
    # Only plain {name}s are filled: a format spec or conversion that got past validation is never applied.
    return "".join(
        literal + (values.get(name, "") if name is not None else "")
        for literal, name, _, _ in string.Formatter().parse(text)
    )
