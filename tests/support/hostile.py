"""A corpus of hostile input for the bot, generated from a seed: texts, names, language codes, forged button
data, commands with garbage arguments, edited messages, messages without text, group and channel posts, and
updates without a sender.

Shared by tests/test_hostile_inputs.py (the real Application on the in-process fake) and bench/faults.py (the
real bot process on the fake over HTTP): `send_all` sends inputs, each from a person (and chat) of its own so
that every call traces back to its input, and `problems` judges what the bot made of them. Nothing here is
copied from outside data.
"""

from __future__ import annotations

import asyncio
import enum
import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot import i18n
from bot.console.api import Call, LocalBotApi
from bot.console.users import UpdateFeed
from bot.views import callback_data as cb
from bot.views.start import something_went_wrong

# Every piece of hostile markup carries this word right after (or inside) its markup: sent back escaped, the
# markup before it is text; sent back raw, the fragment appears verbatim in the HTML the bot sends.
CANARY = "pwnd"
BOT_USERNAME = "conference_companion_bot"  # LocalBotApi's


class Expect(enum.Enum):
    """What the person should see in return."""

    REPLY = "a message in the chat"
    ANSWERED = "the button press answered (a toast), perhaps a message too"
    SILENT = "nothing in the chat"
    ANY = "a reply or none"


@dataclass(frozen=True)
class Hostile:
    """One hostile input; `push` sends it from a person (and chat) of its own."""

    family: str  # text, name, command, button, edited, media, group, channel, no-sender
    label: str  # what it is, for a failing assertion
    text: str = ""  # the message's text, or the button's callback data
    expect: Expect = Expect.REPLY
    first_name: str = "Delegate"
    language: str | None = "en"
    payload: dict[str, Any] = field(default_factory=dict)  # a message without text: its sticker, location, ...

    @property
    def markup_fragments(self) -> list[str]:
        """The pieces of this input that must never appear verbatim in the HTML the bot sends."""
        return [*_fragments(self.text), *_fragments(self.first_name)]


def _fragments(text: str) -> list[str]:
    """Each canary with the markup just before it: from the nearest '<', '>' or '&' up to the canary's end."""
    found = []
    for match in re.finditer(CANARY, text):
        head = text[max(0, match.start() - 40) : match.start()]
        cut = max(head.rfind(c) for c in "<>&")
        if cut >= 0:
            found.append(head[cut:] + CANARY)
    return found


def unescaped(item: Hostile, html: str) -> str | None:
    """The first piece of `item` found verbatim in `html` (a text the bot sent with parse_mode HTML), if any."""
    return next((f for f in item.markup_fragments if f in html), None)


# --- texts ------------------------------------------------------------------------------------------------
NASTY_TEXTS = [
    f"<b>{CANARY}",
    f"<b>{CANARY}</b>",
    f"</b>{CANARY}<b>",
    f"<i><b>{CANARY}</i></b>",
    f"<script>{CANARY}</script>",
    f'<a href="javascript:{CANARY}">x</a>',
    f'<a href="tg://user?id=1">{CANARY}</a>',
    f'<img src=x onerror="{CANARY}">',
    f"<tg-spoiler>{CANARY}</tg-spoiler>",
    f"<pre><code>{CANARY}",
    f"&lt;b&gt;{CANARY}",
    f"&amp;{CANARY} &nbsp; &#0; &#xFFFFFF; &bogus;",
    f"a < b > c & d <{CANARY}",
    f"<{CANARY}>",
    f"<!-- {CANARY} -->",
    f"<![CDATA[{CANARY}]]>",
    '"',
    '"""',
    "*",
    "opening*",
    "NEAR(",
    "NEAR(opening ceremony, 2)",
    "opening AND OR NOT",
    "title:opening ^opening -opening",
    "' OR '1'='1' --",
    "opening'); DROP TABLE users; --",
    "%s %d %(name)s %n %%",
    "{} {0} {name} {conference:>30000000} {.__class__}",
    "${jndi:ldap://x} {{7*7}} <%= 7*7 %>",
    "\\x00 \\u0000 \\n",
    "null\x00byte",
    "\x00",
    "\x01\x02\x07\x08\x1b[31m\x7f",
    "\u200b\u200c\u200d\ufeff",
    "\u202eeremony gninepo\u202c",
    "\u2066\u2067\u2068 isolates \u2069",
    "متى يبدأ حفل الافتتاح؟ <b>" + CANARY,
    "שלום " * 200,
    "Z̷̢̛̪͓͈a̶̡̛̪l̵̨̛g̶̢̛o̷̢̦͝ " * 30,
    "🎉" * 4096,
    "👩‍👩‍👧‍👦" * 500,
    "🏳️‍🌈🇺🇳" * 300,
    "x" * 4096,
    "when is " * 512,
    "a" * 10_000,  # more than Telegram carries: a forged update must not break anything either
    " ",
    "\n\n\n",
    "?",
    "/",
    "@" + BOT_USERNAME,
    "\ud7ff\ue000\uffff",  # the edges around the surrogates (lone surrogates cannot travel in Telegram's JSON)
    "\U0010ffff\U0001f9ff",
]

_PIECES = [
    '"', "*", "(", ")", "NEAR", "AND", "OR", "NOT", "-", ":", "^", "{", "}", "{}", "%s", "'", ";", "--", "\\",
    "<b>", "</b>", "<i>", "&", "&amp;", "&lt;", "<", ">", f"<b>{CANARY}", f"&gt;{CANARY}",
    "opening", "ceremony", "keynote", "when", "who", "where", "now", "next", "tomorrow", "room", "day", "2",
    "11:45", "25:99", "31/02", "🎉", "👩‍💻", "متى", "שלום", "開幕", "\u202e", "\u200b", "\x00", "\x1b", "ß", "İ",
    "e\u0301", " ", "\n", "\t", "?", "!", "@" + BOT_USERNAME,
]  # fmt: skip


def random_text(rng: random.Random) -> str:
    """A seeded jumble of query syntax, markup, scripts and control characters, sometimes very long."""
    text = " ".join(rng.choice(_PIECES) for _ in range(rng.randrange(1, 16)))
    if rng.random() < 0.3:
        text += "".join(chr(rng.choice([rng.randrange(0, 0x20), rng.randrange(0x20, 0xD7FF)])) for _ in range(20))
    if rng.random() < 0.1:
        text = (text * (4096 // max(1, len(text)) + 1))[:4096]
    return text


def texts(rng: random.Random, count: int) -> list[Hostile]:
    """The hand-picked nasty texts, then `count` seeded random ones; each asked in a private chat."""
    picked = [Hostile("text", f"nasty text {i}: {t[:30]!r}", t) for i, t in enumerate(NASTY_TEXTS)]
    randoms = [random_text(rng) for _ in range(count)]
    return picked + [Hostile("text", f"random text {i}: {t[:30]!r}", t) for i, t in enumerate(randoms)]


# --- who is asking ------------------------------------------------------------------------------------------
NAMES = [
    "",
    " ",
    f"<b>{CANARY}",
    f"</i>{CANARY}",
    f"&lt;{CANARY}",
    f'"><a href="x">{CANARY}',
    "\u202eenimda",
    "محمد",
    "\u200b",
    "\x00",
    "%s{name}",
    "🤖" * 64,
    "Z̷̢̛̪͓͈a̶̡̛̪l̵̨̛g̶̢̛o̷̢̦͝" * 4,
    "N" * 64,  # Telegram's longest first name
    "N" * 300,  # beyond it: a forged update
]
LANGUAGES = [None, "", "xx-INVALID", "en-", "-", "pt-br", "ZH_hans", "es-ES-x-private", "<b>", "../../etc", "e" * 300]


def people() -> list[Hostile]:
    """/start from hostile first names and language codes: a welcome, the name escaped, a language that exists."""
    named = [Hostile("name", f"first name {n[:20]!r}", "/start", first_name=n) for n in NAMES]
    spoken = [Hostile("name", f"language code {c and c[:20]!r}", "/start", language=c) for c in LANGUAGES]
    return named + spoken


# --- commands -------------------------------------------------------------------------------------------------
def commands(rng: random.Random) -> list[Hostile]:
    """Every command with garbage after it, odd spellings of commands, and commands meant for someone else."""
    junk = ["🤖", f"<b>{CANARY}", "%s {0}", "NEAR(", "\x00", "-1", "99999999999999999999", "\u202e", "x" * 4000]
    names = ["start", "help", "programme", "program", "days", "now", "next", "venue", "search", "my", "settings"]
    names += ["reload", "scheduled", "stats", "broadcast", "cancel"]
    found = [Hostile("command", f"/{n} {j[:20]!r}", f"/{n} {j}") for n in names for j in rng.sample(junk, 3)]
    found += [
        Hostile("command", "/search with 4000 characters", "/search " + "keynote " * 500),
        Hostile("command", "/search alone", "/search"),
        Hostile("command", "/start with a deep-link payload", "/start " + "A" * 64),
        Hostile("command", "/start with a payload of markup", f"/start <b>{CANARY}"),
        Hostile("command", "/START in capitals", "/START"),
        Hostile("command", "/now addressed to this bot", f"/now@{BOT_USERNAME} and more"),
        Hostile("command", "/now addressed to another bot", "/now@some_other_bot", Expect.ANY),
        Hostile("command", "an unknown command", "/definitely_not_a_command"),
        Hostile("command", "an unknown command of markup", f"/x<b>{CANARY}"),
        Hostile("command", "a command of 64 letters", "/" + "a" * 64),
        Hostile("command", "a command in Cyrillic", "/старт"),
    ]
    return found


# --- forged buttons -------------------------------------------------------------------------------------------
PREFIXES = [
    cb.DAYS, cb.DAY, cb.SESSION, cb.NOW, cb.NEXT, cb.VENUE, cb.HELP, cb.BOOKMARK, cb.OVERLAP, cb.MY, cb.ICS,
    cb.SETTINGS, cb.REMIND, cb.BROADCAST, cb.SCHEDULED, cb.ASK, cb.UPDATE, cb.PRIVACY,
]  # fmt: skip
_ARGUMENTS = [
    "", "|", "||||", "|-1", "|0|0|0|0|0", "|" + "9" * 40, "|x" * 30, f"|<b>{CANARY}", "|%s{}", "|\u202e",
    "|🤖", "|../../etc/passwd", "|NEAR(", "|1|2", "|a|b|c",
]  # fmt: skip


def buttons(rng: random.Random, session_key: str, organiser: bool = False) -> list[Hostile]:
    """Forged button data: every callback prefix with garbage, wrong arity, too long, others' ids, random text."""
    # `session_key`, a real one, gets past the parsers; an organiser's presses aim at nothing that exists.
    who = "organiser" if organiser else "delegate"
    data = [p + arg for p in PREFIXES for arg in rng.sample(_ARGUMENTS, 5)]
    data += [
        "day|20240230|0", "day|99999999|0", "day|20240601|99999", "day|20240601|-5", "day|2024O601|0",
        f"ses|{session_key}x", f"ses|{session_key}|extra", "ses|" + "k" * 60,
        f"bm|1c|{session_key}x", f"bm|1m99999|{session_key}", f"bm|2c|{session_key}", f"bm|1x|{session_key}",
        f"bmo|r|{session_key}x", f"bmo|q|{session_key}", "my|99999", "my|-1", "my|1e9",
        "set|lang|xx", "set|lang|<b>", "set|r|-5", "set|r|99999999999999999999", "set|zz|1",
        f"rem|c|{session_key}x", f"rem|m|{session_key}x", f"rem|z|{session_key}", f"rem|s|{session_key}|1",
        "bc|go|1|", "bc|stop|1|", "bc|a|999999999999|all", "bc|a|1|" + "l:" + "x" * 50, "bc|sl|1|20249999.5",
        "bc|go|1234567890123|", "sc|bn|1", "sc|bx|999999", "sc|rl|1:xx", "sc|re|abc", "sc|rs|-1", "sc|zz|",
        f"ask|0|0|<b>{CANARY}</b>", "ask|1|zzzzzzzz|x", "ask|9999|1|question", "ask|1|1|   ", "ask|-1|1|x",
        "pu|a|999999", "pu|d|999999999999999999999", "pu|x|1",
        "x" * 64, "é" * 32, "🤖" * 16, "|", " ", "\x00", "ses", "bm", "bc", "sc",
        "y" * 300,  # longer than Telegram allows: only a forged update carries it
    ]  # fmt: skip
    if not organiser:
        data += ["pu|a|1", "pu|d|1", "bc|m|1|", "sc|l|", "sc|bn|1"]  # an organiser's real ids, pressed by anyone
    data += ["".join(chr(rng.randrange(0x20, 0x2FFF)) for _ in range(rng.randrange(1, 40))) for _ in range(20)]
    return [Hostile("button", f"{who} presses {d[:40]!r}", d, Expect.ANSWERED) for d in data]


# --- other shapes: edits, no text, groups, channels, no sender ------------------------------------------------
MEDIA: dict[str, dict[str, Any]] = {
    "a sticker": {"sticker": {"file_id": "s1", "file_unique_id": "s1", "width": 512, "height": 512,
                              "is_animated": False, "is_video": False, "type": "regular", "emoji": "🤖"}},
    "a location": {"location": {"latitude": 39.47, "longitude": -0.37}},
    "a venue": {"venue": {"location": {"latitude": 0, "longitude": 0}, "title": f"<b>{CANARY}",
                          "address": "&amp;"}},
    "a contact": {"contact": {"phone_number": "+0000", "first_name": f"<b>{CANARY}", "user_id": 1}},
    "a photo with a caption of markup": {"photo": [{"file_id": "p1", "file_unique_id": "p1", "width": 1,
                                                    "height": 1}], "caption": f"<b>{CANARY}"},
    "a voice note": {"voice": {"file_id": "v1", "file_unique_id": "v1", "duration": 1}},
    "a dice": {"dice": {"emoji": "🎲", "value": 6}},
    "a document that is no programme": {"document": {"file_id": "d1", "file_unique_id": "d1",
                                                     "file_name": f"<b>{CANARY}.png", "file_size": 3}},
}  # fmt: skip
GROUP = "group"
CHANNEL = "channel"
NO_SENDER = "no-sender"


def shapes() -> list[Hostile]:
    """Edited messages, messages with no text, messages in groups and channels, and messages nobody sent."""
    mention = "@" + BOT_USERNAME
    found = [Hostile("media", f"{name} in private", payload=p) for name, p in MEDIA.items()]
    found += [
        Hostile("edited", "an edited question", "when is the opening?", Expect.ANY),
        Hostile("edited", "an edited command", "/now", Expect.ANY),
        Hostile("edited", "an edited message of markup", f"<b>{CANARY}", Expect.ANY),
        Hostile(GROUP, "a question in a group, not addressed", f"<b>{CANARY} when is lunch", Expect.SILENT),
        Hostile(GROUP, "a question addressed to the bot in a group", f"{mention} <b>{CANARY} when is lunch"),
        Hostile(GROUP, "/now in a group", f"/now@{BOT_USERNAME}"),
        Hostile(GROUP, "/my in a group", f"/my@{BOT_USERNAME} 🤖"),
        Hostile(GROUP, "/settings in a group", f"/settings@{BOT_USERNAME}"),
        Hostile(GROUP, "/stats in a group", f"/stats@{BOT_USERNAME}"),
        Hostile(GROUP, "/broadcast in a group", f"/broadcast@{BOT_USERNAME}"),
        Hostile(GROUP, "an unknown command in a group, not addressed", "/definitely_not_a_command", Expect.SILENT),
        Hostile(GROUP, "a sticker in a group", payload=MEDIA["a sticker"], expect=Expect.SILENT),
        Hostile(CHANNEL, "a channel post", f"<b>{CANARY}", Expect.SILENT),
        Hostile(CHANNEL, "a channel post with a command", "/now", Expect.SILENT),
        Hostile(CHANNEL, "an edited channel post", "/start", Expect.SILENT),
        Hostile(NO_SENDER, "a question nobody sent, in private", "when is the opening?", Expect.ANY),
        Hostile(NO_SENDER, "/settings nobody sent, in private", "/settings", Expect.ANY),
        Hostile(NO_SENDER, "/my nobody sent, in a group", f"/my@{BOT_USERNAME}", Expect.ANY),
    ]
    return found


def corpus(seed: int = 12, random_texts: int = 60, session_key: str = "s-none") -> list[Hostile]:
    """The whole corpus from one seed, every family in turn (an organiser's presses are `buttons(...)`)."""
    rng = random.Random(seed)
    return [*texts(rng, random_texts), *people(), *commands(rng), *buttons(rng, session_key), *shapes()]


# --- sending it ---------------------------------------------------------------------------------------------------
def chat_of(item: Hostile, person: int) -> int:
    """The chat `item` is sent in when it comes from `person`: theirs, or a group or channel of its own."""
    if item.family == GROUP or (item.family == NO_SENDER and "group" in item.label):
        return -person
    if item.family == CHANNEL:
        return -1_000_000_000_000 - person
    return person


def push(feed: UpdateFeed, item: Hostile, person: int, pressed: dict[str, Any] | None = None) -> dict[str, Any]:
    """Queue `item` as an update from `person`; a button is pressed on `pressed`, a message the bot sent them."""
    if item.family == "button":
        assert pressed is not None, "a button is pressed on a message the bot sent"
        return feed.press(person, pressed, item.text, language=item.language)
    chat_id = chat_of(item, person)
    if chat_id == person:
        chat: dict[str, Any] = {"id": person, "type": "private", "first_name": item.first_name}
    elif item.family == CHANNEL:
        chat = {"id": chat_id, "type": "channel", "title": f"<b>{CANARY}"}
    else:
        chat = {"id": chat_id, "type": "supergroup", "title": f"<i>{CANARY}"}
    if item.payload:
        update = feed.send_other(person, dict(item.payload), language=item.language, chat=chat)
    else:
        update = feed.send_text(person, item.text, first_name=item.first_name, language=item.language, chat=chat)
    # Queued but not yet fetched (nothing awaits in between): reshape it in place.
    message = update["message"]
    if item.family in (CHANNEL, NO_SENDER):
        del message["from"]
    if item.family == CHANNEL:
        message["sender_chat"] = chat
    edited = item.family == "edited" or item.label.startswith("an edited channel")
    if edited:
        message["edit_date"] = int(time.time())
    kind = "message"
    if item.family == CHANNEL:
        kind = "edited_channel_post" if edited else "channel_post"
    elif edited:
        kind = "edited_message"
    update[kind] = update.pop("message")
    return update


# --- judging the answers --------------------------------------------------------------------------------------
SENDS = ("sendMessage", "sendPhoto", "sendDocument")
APOLOGIES = frozenset(something_went_wrong(i18n.lang(code)) for code in i18n.available_languages())


@dataclass
class Sent:
    """What was sent, so that each of the bot's calls traces back to its input."""

    start: int  # the fake's first call after the inputs were sent
    by_chat: dict[int, Hostile] = field(default_factory=dict)
    by_query: dict[str, Hostile] = field(default_factory=dict)  # callback query id → the forged press

    def item_of(self, call: Call) -> Hostile | None:
        return self.by_query.get(str(call.params.get("callback_query_id"))) or self.by_chat.get(call.chat_id or 0)


async def quiet(api: LocalBotApi, seconds: float = 0.3) -> None:
    """Wait until the bot has made no call for `seconds`."""
    while True:
        seen = len(api.calls)
        await asyncio.sleep(seconds)
        if len(api.calls) == seen:
            return


async def answered(api: LocalBotApi, sent: Sent, timeout: float = 15.0) -> None:
    """Wait (at most `timeout`) until every input that expects an answer has one, then until the bot is quiet."""
    chats = {chat for chat, item in sent.by_chat.items() if item.expect is Expect.REPLY}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        calls = api.calls[sent.start :]
        replied = {c.chat_id for c in calls if c.method in SENDS and not c.error}
        pressed = {str(c.params.get("callback_query_id")) for c in calls if c.method == "answerCallbackQuery"}
        if chats <= replied and set(sent.by_query) <= pressed:
            break
        await asyncio.sleep(0.05)
    await quiet(api)


async def menus(api: LocalBotApi, people: range, pace: float = 0.0) -> dict[int, dict[str, Any]]:
    """A /start menu for each person (one every `pace` s): the message they press forged buttons on."""
    sent = Sent(len(api.calls))
    for person in people:
        api.send_text(person, "/start")
        sent.by_chat[person] = Hostile("menu", f"/start of {person}")
        if pace:
            await asyncio.sleep(pace)
    await answered(api, sent)
    return {c.chat_id: c.result for c in api.calls[sent.start :] if c.method == "sendMessage" and c.chat_id in people}


async def send_all(
    api: LocalBotApi, items: Sequence[Hostile], first: int, pressed: dict[int, Any] | None = None, pace: float = 0.0
) -> Sent:
    """Send each item from a person of its own (`first`, `first + 1`, ...), one every `pace` s; wait for answers."""
    # A button is pressed on `pressed[person]`, a message the bot sent that person.
    sent = Sent(len(api.calls))
    for person, item in enumerate(items, first):
        update = push(api, item, person, (pressed or {}).get(person))
        if item.family == "button":
            sent.by_query[update["callback_query"]["id"]] = item
        else:
            sent.by_chat[chat_of(item, person)] = item
        if pace:
            await asyncio.sleep(pace)
    await answered(api, sent)
    return sent


def problems(calls: Sequence[Call], sent: Sent) -> list[str]:
    """Everything wrong with the bot's answers to what was sent, input by input."""
    # A request Telegram would refuse (a 429 is an instruction to wait, "message is not modified" harmless), an
    # apology, user markup sent raw, no reply where one is due or one where none is, a press left unanswered.
    found: list[str] = []
    replied: dict[int, list[Call]] = {}
    for call in calls[sent.start :]:
        item = sent.item_of(call)
        label = item.label if item else f"{call.method} to chat {call.chat_id}"
        if call.error and "not modified" not in call.error and not call.error.startswith("Too Many Requests"):
            found.append(f"{label}: Telegram would refuse {call.method}: {call.error}")
        if any(apology in call.text for apology in APOLOGIES):
            found.append(f"{label}: answered that something went wrong")
        if item and str(call.params.get("parse_mode")).upper() == "HTML" and (raw := unescaped(item, call.text)):
            found.append(f"{label}: {raw!r} sent unescaped in {call.text[:120]!r}")
        if call.method in SENDS and not call.error and call.chat_id is not None:
            replied.setdefault(call.chat_id, []).append(call)
    pressed = {str(c.params.get("callback_query_id")) for c in calls[sent.start :] if c.method == "answerCallbackQuery"}
    for chat, item in sent.by_chat.items():
        if item.expect is Expect.REPLY and not replied.get(chat):
            found.append(f"{item.label}: no reply")
        if item.expect is Expect.SILENT and replied.get(chat):
            found.append(f"{item.label}: answered in a chat it should keep quiet in: {replied[chat][0].shown[:80]!r}")
    found += [f"{item.label}: the press was never answered" for q, item in sent.by_query.items() if q not in pressed]
    return found
