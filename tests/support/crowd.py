"""A crowd of delegates for the benches: seeded in the database, then writing and tapping through the fake Bot API.

Each delegate has at most one update outstanding. An update's latency runs from the moment it is available to
the bot (queued for getUpdates, or the instant its webhook POST is sent) to the moment the fake receives the
first content request for that chat (a message, a file or an edit; the answer to a button press does not
count), whatever the fake then says of it. bench/crowd.py drives it against the real bot process.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from bot import i18n
from bot.console.api import Call, LocalBotApi
from bot.programme.model import Programme
from bot.storage.db import open_database, to_db, transaction
from bot.storage.users import record_contact
from bot.views.start import something_went_wrong

CONTENT = frozenset({"sendMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageReplyMarkup"})
FIRST_USER = 100_000
LANGUAGES = {"en": 0.4, "es": 0.15, "fr": 0.15, "de": 0.15, "it": 0.15}
# What a delegate does next; "press" and "bookmark" need a message with buttons, else it is a question.
DEFAULT_MIX = {"question": 0.35, "/now": 0.1, "/next": 0.1, "/my": 0.1, "press": 0.25, "bookmark": 0.1}
QUESTIONS = {
    "en": ["what's on now?", "what's next?", "where is the keynote?", "talks about rust", "anything on databases?",
           "when is lunch?", "is there wifi?", "security talks tomorrow", "where is room {room}?",
           "what's in {room} now?", "when is {title}?", "talks by {speaker}"],
    "es": ["¿qué hay ahora?", "¿qué hay después?", "charlas sobre linux", "¿dónde está la sala {room}?",
           "¿cuándo es {title}?", "¿quién es {speaker}?"],
    "fr": ["quand est la keynote ?", "qu'est-ce qui se passe maintenant ?", "conférences sur python",
           "où est la salle {room} ?", "c'est quand {title} ?"],
    "de": ["was läuft gerade?", "wo ist Raum {room}?", "Vorträge über Rust", "was kommt als Nächstes?",
           "wann ist {title}?", "wann spricht {speaker}?"],
    "it": ["cosa c'è adesso?", "dov'è la sala {room}?", "talk su kubernetes", "quando è {title}?", "cosa c'è dopo?"],
}  # fmt: skip
# Buttons a delegate does not press: they change settings or belong to organisers.
UNPRESSED = ("set|", "rem|s", "rem|m", "rem|u", "rem|o", "bc|", "sc|", "pu|")
GENERIC_ERRORS = frozenset(something_went_wrong(i18n.lang(code)) for code in LANGUAGES)


@dataclass
class Delegate:
    user_id: int
    language: str
    keyboard: int | None = None  # id of the last message with buttons the bot sent or edited in this chat


@dataclass
class Pending:
    kind: str
    at: float  # monotonic instant the update became available
    query_id: str | None = None
    toast: bool = False  # the press was answered with a toast


@dataclass(frozen=True)
class Action:
    kind: str
    text: str = ""
    data: str = ""
    message: dict[str, Any] | None = None


@dataclass
class Figures:
    """One phase of traffic: what was offered and how it was answered."""

    offered: int = 0
    skipped: int = 0  # no idle delegate when an update was due
    late: int = 0  # updates issued more than 50 ms after their instant (the load generator fell behind)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    unanswered: Counter[str] = field(default_factory=Counter)
    toast_only: int = 0  # presses answered only by a toast: never a reply, not unanswered either
    refused: Counter[str] = field(default_factory=Counter)  # "method: description" of the fake's refusals
    generic_errors: int = 0  # replies with the bot's "something went wrong"
    webhook_failures: int = 0

    def all_latencies(self) -> list[float]:
        return sorted(x for values in self.latencies.values() for x in values)


def percentile(values: list[float], q: float) -> float:
    """The q-quantile of sorted `values` (nearest rank); NaN when empty."""
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def write_programme(path: Path, sessions: int = 943, rooms: int = 40, days: int = 2, seed: int = 5) -> Path:
    """A generated programme in the bot's YAML format, sized like FOSDEM 2025 by default."""
    rng = random.Random(seed)
    topics = ["Rust", "Linux", "Kubernetes", "PostgreSQL", "Python", "WebAssembly", "RISC-V", "Matrix", "Nix",
              "GNOME", "KDE", "OpenStreetMap", "LibreOffice", "Firefox", "Go", "Java", "Ruby", "SQLite"]  # fmt: skip
    forms = ["Introduction to {t}", "{t} in production", "What's new in {t}", "Scaling {t}", "{t} and security",
             "Debugging {t}", "{t} for beginners", "The state of {t}", "Testing {t} at scale"]  # fmt: skip
    first = date(2025, 2, 1)
    per_slot = -(-sessions // (rooms * days))
    speakers = [{"id": f"sp{n}", "name": f"{rng.choice(['Ana', 'Ben', 'Chloé', 'Dirk', 'Eva'])} Speaker{n}"}
                for n in range(300)]  # fmt: skip
    made: list[dict[str, Any]] = []
    for n in range(sessions):
        day, rest = divmod(n, rooms * per_slot)
        room, slot = divmod(rest, per_slot)
        start = datetime(first.year, first.month, first.day, 9) + timedelta(days=day, minutes=50 * slot)
        end = start + timedelta(minutes=rng.choice([25, 40, 45]))
        made.append(
            {
                "id": f"gen-{n}",
                "title": rng.choice(forms).format(t=rng.choice(topics)) + f" #{n}",
                "start": f"{start:%Y-%m-%dT%H:%M}",
                "end": f"{end:%Y-%m-%dT%H:%M}",
                "room": f"room{room}",
                "track": rng.choice(topics),
                "speakers": [rng.choice(speakers)["id"]],
            }
        )
    document = {
        "conference": {"name": "Generated FOSDEM-sized", "timezone": "Europe/Brussels",
                       "days": [first + timedelta(days=d) for d in range(days)]},
        "venue": {"name": "ULB Solbosch"},
        "rooms": [{"id": f"room{r}", "name": f"{rng.choice('HKU')}.{r}.{100 + r}"} for r in range(rooms)],
        "speakers": speakers,
        "sessions": made,
    }  # fmt: skip
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


async def seed(db: Path, programme: Programme, count: int, bookmarks: int, seed: int = 3) -> list[Delegate]:
    """`count` delegates who started the bot (record_contact), each with `bookmarks` random bookmarks."""
    rng = random.Random(seed)
    codes, weights = list(LANGUAGES), list(LANGUAGES.values())
    delegates = [Delegate(FIRST_USER + n, rng.choices(codes, weights)[0]) for n in range(count)]
    # Joined a month before the conference, on the bot's clock (the benches run it at the conference): a
    # delegate who joined "later" than the clock gets no run-up or morning message.
    now = (
        datetime.combine(programme.days[0], datetime.min.time(), programme.timezone) - timedelta(days=30)
        if programme.days
        else datetime.now(UTC)
    )
    ids = [s.id for s in programme.sessions]
    conn = await open_database(db)
    try:
        async with transaction(conn):  # one commit: the bot's own function, not one fsync per delegate
            for d in delegates:
                await record_contact(conn, d.user_id, f"Delegate {d.user_id}", d.language, now)
            rows = [(d.user_id, s, to_db(now)) for d in delegates for s in rng.sample(ids, min(bookmarks, len(ids)))]
            await conn.executemany("INSERT INTO bookmarks (user_id, session_id, created_at) VALUES (?, ?, ?)", rows)
    finally:
        await conn.close()
    return delegates


class Mix:
    """Chooses each delegate's next update: questions in their language, commands, presses, bookmark toggles."""

    def __init__(self, programme: Programme, api: LocalBotApi, weights: dict[str, float], seed: int = 9) -> None:
        self.api, self.rng = api, random.Random(seed)
        self.kinds, self.weights = list(weights), list(weights.values())
        self.titles = [s.title for s in programme.sessions]
        self.rooms = [r.name for r in programme.rooms]
        self.speakers = [p.name for p in programme.speakers] or ["Ada"]

    def question(self, delegate: Delegate) -> str:
        if self.rng.random() < 0.2:
            return self.rng.choice(self.titles)
        language = delegate.language if self.rng.random() < 0.8 else "en"
        template = self.rng.choice(QUESTIONS[language])
        return template.format(
            room=self.rng.choice(self.rooms), title=self.rng.choice(self.titles), speaker=self.rng.choice(self.speakers)
        )

    def kind(self) -> str:
        return self.rng.choices(self.kinds, self.weights)[0]

    def next(self, delegate: Delegate, kind: str) -> Action:
        """What `delegate` sends for `kind`; a press with no buttons to press becomes a question."""
        if kind.startswith("/"):
            return Action(kind, text=kind)
        if kind in ("press", "bookmark"):
            message = self.api.messages.get((delegate.user_id, delegate.keyboard or 0))
            data = self._button(message, bookmark=kind == "bookmark") if message else None
            if message and data:
                return Action("bookmark" if data.startswith("bm|") else "press", data=data, message=dict(message))
        return Action("question", text=self.question(delegate))

    def _button(self, message: dict[str, Any], bookmark: bool) -> str | None:
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        data = [b["callback_data"] for row in rows for b in row if b.get("callback_data")]
        data = [d for d in data if not d.startswith(UNPRESSED)]
        wanted = [d for d in data if d.startswith("bm|")] or [d for d in data if d.startswith("ses|")]
        return self.rng.choice(wanted if bookmark and wanted else data) if data else None


class Crowd:
    """Delegates sending updates at an offered rate to a bot on `api` (polling, or webhook when `webhook_url`)."""

    def __init__(
        self,
        api: LocalBotApi,
        delegates: Iterable[Delegate],
        mix: Mix,
        *,
        webhook_url: str | None = None,
        webhook_secret: str = "",
        bulk: Callable[[Call], bool] = lambda call: False,
        think: float = 1.0,
        seed: int = 1,
    ) -> None:
        self.api, self.mix, self.bulk, self.think = api, mix, bulk, think
        self.rng = random.Random(seed)
        self.by_id = {d.user_id: d for d in delegates}
        self.idle = list(self.by_id.values())
        self.cooling: deque[tuple[float, Delegate]] = deque()  # answered, reading the reply until the instant
        self.pending: dict[int, Pending] = {}
        self.queries: dict[str, int] = {}  # callback query id → chat
        self.figures = Figures()
        self.webhook_url, self.secret = webhook_url, webhook_secret
        self._session: aiohttp.ClientSession | None = None
        self._posts: set[asyncio.Task[None]] = set()
        api.listeners.append(self._seen)

    async def __aenter__(self) -> Crowd:
        if self.webhook_url:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in self._posts:
            task.cancel()
        await asyncio.gather(*self._posts, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
        self.api.listeners.remove(self._seen)

    def _seen(self, call: Call) -> None:
        """Every call the fake answered: note keyboards, refusals, and the reply an update was waiting for."""
        chat = call.chat_id
        if call.error:
            self.figures.refused[f"{call.method}: {call.error[:60]}"] += 1
        if call.method == "answerCallbackQuery":
            chat = self.queries.pop(str(call.params.get("callback_query_id")), None)
            if chat in self.pending and call.params.get("text"):
                self.pending[chat].toast = True
            return
        if call.method not in CONTENT or chat not in self.by_id:
            return
        if not call.error and self._has_buttons(call):
            message_id = call.result.get("message_id") if isinstance(call.result, dict) else None
            self.by_id[chat].keyboard = message_id or self.by_id[chat].keyboard
        if chat not in self.pending or self.bulk(call):
            return
        if call.error and "not modified" not in call.error:
            return  # refused, so not delivered: the update waits for a reply that is (or stays unanswered)
        waiting = self.pending.pop(chat)
        self.figures.latencies[waiting.kind].append(call.at - waiting.at)
        if call.shown in GENERIC_ERRORS:
            self.figures.generic_errors += 1
        self.cooling.append((time.monotonic() + self.think, self.by_id[chat]))

    def _has_buttons(self, call: Call) -> bool:
        return any(b.get("callback_data") for row in call.buttons for b in row)

    def _pick(self, with_keyboard: bool) -> Delegate | None:
        """A random idle delegate; for a press, preferably one with buttons to press (a few tries)."""
        now = time.monotonic()
        while self.cooling and self.cooling[0][0] <= now:
            self.idle.append(self.cooling.popleft()[1])
        if not self.idle:
            return None
        for _ in range(5 if with_keyboard else 1):
            i = self.rng.randrange(len(self.idle))
            if self.idle[i].keyboard is not None:
                break
        self.idle[i], self.idle[-1] = self.idle[-1], self.idle[i]
        return self.idle.pop()

    def issue(self, mix: Mix | None = None) -> bool:
        """Make one update available from an idle delegate; False when every delegate is busy."""
        mix = mix or self.mix
        kind = mix.kind()
        delegate = self._pick(with_keyboard=kind in ("press", "bookmark"))
        if delegate is None:
            self.figures.skipped += 1
            return False
        action = mix.next(delegate, kind)
        uid, language = delegate.user_id, delegate.language
        if action.message is not None:
            update = self.api.press(uid, action.message, action.data, language=language)
            self.queries[update["callback_query"]["id"]] = uid
        else:
            update = self.api.send_text(uid, action.text, first_name=f"Delegate {uid}", language=language)
        pending = Pending(action.kind, time.monotonic())
        self.pending[uid] = pending
        self.figures.offered += 1
        if self.webhook_url:
            task = asyncio.create_task(self._post(update, pending, delegate))
            self._posts.add(task)
            task.add_done_callback(self._posts.discard)
        return True

    async def _post(self, update: dict[str, Any], pending: Pending, delegate: Delegate) -> None:
        assert self._session is not None and self.webhook_url
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.secret}
        await self.api.get_updates(update["update_id"] + 1, 0)  # not polled: it goes by POST instead
        pending.at = time.monotonic()
        try:
            async with self._session.post(self.webhook_url, json=update, headers=headers) as response:
                ok = response.status == 200
        except aiohttp.ClientError:
            ok = False
        if not ok:
            self.figures.webhook_failures += 1
            if self.pending.get(delegate.user_id) is pending:
                del self.pending[delegate.user_id]
                self.idle.append(delegate)

    async def run(self, rate: float, seconds: float, *, poisson: bool = False, mix: Mix | None = None) -> None:
        """Offer `rate` updates/s for `seconds`, open loop (evenly spaced, or Poisson arrivals)."""
        start = time.monotonic()
        due, end = start, start + seconds
        while due < end:
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -0.05:
                self.figures.late += 1
            self.issue(mix)
            due += self.rng.expovariate(rate) if poisson else 1 / rate
        await asyncio.sleep(max(0.0, end - time.monotonic()))

    async def drain(self, grace: float) -> None:
        """Wait up to `grace` seconds for outstanding replies; the rest are unanswered (and leave the crowd)."""
        deadline = time.monotonic() + grace
        while self.pending and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        for chat, waiting in self.pending.items():
            if waiting.toast:
                self.figures.toast_only += 1
            else:
                self.figures.unanswered[waiting.kind] += 1
            del self.by_id[chat]
        self.pending.clear()

    def next_phase(self) -> Figures:
        """The figures so far; later calls count afresh."""
        done, self.figures = self.figures, Figures()
        return done


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mb(pid: int, key: str = "VmHWM") -> float:
    """A memory figure of a process from /proc/<pid>/status, in MB (VmHWM: peak resident set; VmRSS: now)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")
