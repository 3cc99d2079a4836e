"""Callback data of inline buttons: short, versionless strings that survive restarts (≤ 64 bytes).

Each kind of button has a prefix and, where one prefix serves several buttons, named action codes.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

# Prefixes are part of the protocol with already-sent messages: change them only with a fallback.
DAYS = "days"
DAY = "day"  # day|YYYYMMDD|page
SESSION = "ses"  # ses|key
NOW = "now"
NEXT = "next"
VENUE = "venue"
HELP = "help"
PRIVACY = "privacy"


def day(d: date, page: int = 0) -> str:
    return f"{DAY}|{d:%Y%m%d}|{page}"


def session(key: str) -> str:
    return f"{SESSION}|{key}"


def parse_day(data: str) -> tuple[date, int] | None:
    parts = data.split("|")
    if len(parts) != 3 or parts[0] != DAY:
        return None
    try:
        d = date(int(parts[1][:4]), int(parts[1][4:6]), int(parts[1][6:8]))
        page = int(parts[2])
    except ValueError:
        return None
    return (d, page) if 0 <= page < 10_000 else None


def parse_session(data: str) -> str | None:
    prefix, _, key = data.partition("|")
    return key if prefix == SESSION and key else None


# --- A day by track or by room, and /now or /next narrowed to one --------------------------------------------
DAY_TRACKS = "dt"  # dt|YYYYMMDD: the day's tracks (an index of their pages when many); dt|YYYYMMDD|page
DAY_ROOMS = "dr"  # dr|YYYYMMDD, dr|YYYYMMDD|page: the same for rooms
TRACK = "tk"  # tk|YYYYMMDD|<track key>: a track's day (an index of its times when long); tk|…|<key>|page
ROOM = "rm"  # rm|YYYYMMDD|<room key>, rm|…|<key>|page: a room's day
NOW_PAGE = "nw"  # nw|<n now, x next>|<page>|<filter: "", t<track key> or r<room key>>
NOW_NARROW = "nn"  # nn|<n now, x next>|<t tracks or r rooms>|<page>: pick the track or room to narrow to


def _yyyymmdd(text: str) -> date | None:
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _page(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 5 else None


def day_groups(prefix: str, d: date, page: int | None = None) -> str:
    """The day's tracks (`DAY_TRACKS`) or rooms (`DAY_ROOMS`): their landing, or one page of them."""
    return f"{prefix}|{d:%Y%m%d}" + ("" if page is None else f"|{page}")


def parse_day_groups(data: str) -> tuple[str, date, int | None] | None:
    """(prefix, day, page or None for the landing), or None when malformed."""
    parts = data.split("|")
    if len(parts) not in (2, 3) or parts[0] not in (DAY_TRACKS, DAY_ROOMS):
        return None
    d = _yyyymmdd(parts[1])
    page = _page(parts[2]) if len(parts) == 3 else None
    if d is None or (len(parts) == 3 and page is None):
        return None
    return parts[0], d, page


def group_day(prefix: str, d: date, key: str, page: int | None = None) -> str:
    """A track's (`TRACK`) or room's (`ROOM`) sessions on a day: the landing, or one page."""
    return f"{prefix}|{d:%Y%m%d}|{key}" + ("" if page is None else f"|{page}")


def parse_group_day(data: str) -> tuple[str, date, str, int | None] | None:
    """(prefix, day, key, page or None for the landing), or None when malformed."""
    parts = data.split("|")
    if len(parts) not in (3, 4) or parts[0] not in (TRACK, ROOM) or not parts[2]:
        return None
    d = _yyyymmdd(parts[1])
    page = _page(parts[3]) if len(parts) == 4 else None
    if d is None or (len(parts) == 4 and page is None):
        return None
    return parts[0], d, parts[2], page


def now_page(upcoming: bool, page: int = 0, narrow: str = "") -> str:
    """A page of /now (or /next when `upcoming`), narrowed to 't<track key>' or 'r<room key>' when given."""
    if not page and not narrow:
        return NEXT if upcoming else NOW
    return f"{NOW_PAGE}|{'x' if upcoming else 'n'}|{page}|{narrow}"


def parse_now_page(data: str) -> tuple[bool, int, str] | None:
    """(upcoming, page, narrow) from /now or /next buttons, the bare `now` and `next` included."""
    if data in (NOW, NEXT):
        return data == NEXT, 0, ""
    parts = data.split("|")
    if len(parts) != 4 or parts[0] != NOW_PAGE or parts[1] not in ("n", "x") or _page(parts[2]) is None:
        return None
    if parts[3] and parts[3][0] not in "tr":
        return None
    return parts[1] == "x", int(parts[2]), parts[3]


def now_narrow(upcoming: bool, by: str, page: int = 0) -> str:
    return f"{NOW_NARROW}|{'x' if upcoming else 'n'}|{by}|{page}"


def parse_now_narrow(data: str) -> tuple[bool, str, int] | None:
    """(upcoming, 't' or 'r', page) from the narrowing buttons of /now and /next."""
    parts = data.split("|")
    if len(parts) != 4 or parts[0] != NOW_NARROW or parts[1] not in ("n", "x") or parts[2] not in ("t", "r"):
        return None
    page = _page(parts[3])
    return None if page is None else (parts[1] == "x", parts[2], page)


# --- Speakers: the A–Z index, its letter jump, a speaker's page, a session's speakers ----------------------
SPEAKERS = "spk"  # spk|<index of the first speaker shown>
SPEAKER_LETTERS = "spl"  # the letter ranges to jump to
SPEAKER = "sp"  # sp|<speaker key>|<page of their sessions>
SESSION_SPEAKERS = "sps"  # sps|<session key>: the speakers of a session with too many for the card


def speakers(start: int = 0) -> str:
    return f"{SPEAKERS}|{start}"


def parse_speakers(data: str) -> int | None:
    """The index of the first speaker shown, or None when malformed."""
    prefix, _, start = data.partition("|")
    return int(start) if prefix == SPEAKERS and start.isdigit() and len(start) < 6 else None


def speaker(key: str, page: int = 0) -> str:
    return f"{SPEAKER}|{key}|{page}"


def parse_speaker(data: str) -> tuple[str, int] | None:
    """(speaker key, page) from a speaker button, or None when malformed."""
    parts = data.split("|")
    if len(parts) != 3 or parts[0] != SPEAKER or not parts[1] or not parts[2].isdigit() or len(parts[2]) > 3:
        return None
    return parts[1], int(parts[2])


def session_speakers(key: str) -> str:
    return f"{SESSION_SPEAKERS}|{key}"


def parse_session_speakers(data: str) -> str | None:
    prefix, _, key = data.partition("|")
    return key if prefix == SESSION_SPEAKERS and key else None


# --- Bookmarks, personal agenda, settings and reminder buttons -------------------------------------------
BOOKMARK = "bm"  # bm|<1 add, 0 remove><where: c card, l list, m<page> agenda>|key — explicit, so taps are idempotent
OVERLAP = "bmo"  # bmo|<k keep both, r replace the others>|key of the session just bookmarked
MY = "my"  # my, my|page
ICS = "ics"  # the personal agenda as a calendar file
SETTINGS = "set"  # set (show), set|<field>|<value>
REMIND = "rem"  # rem|<RemindAction>|key


class RemindAction(StrEnum):
    OPEN_CARD = "c"
    MUTE_TODAY = "m"
    UNMUTE = "u"
    STOP = "s"
    TURN_ON = "o"
    SNOOZE = "a"  # remind again 5 minutes before the start, or at the start


def bookmark(key: str, add: bool, where: str) -> str:
    return f"{BOOKMARK}|{int(add)}{where}|{key}"


def parse_bookmark(data: str) -> tuple[bool, str, str] | None:
    """(add, where, key) from bookmark data, or None when malformed."""
    parts = data.split("|")
    if len(parts) != 3 or parts[0] != BOOKMARK or len(parts[1]) < 2 or parts[1][0] not in "01" or not parts[2]:
        return None
    where = parts[1][1:]
    if where not in ("c", "l") and not (where[0] == "m" and where[1:].isdigit() and len(where) < 6):
        return None
    return parts[1][0] == "1", where, parts[2]


def overlap_choice(key: str, replace: bool) -> str:
    return f"{OVERLAP}|{'r' if replace else 'k'}|{key}"


def parse_overlap_choice(data: str) -> tuple[bool, str] | None:
    parts = data.split("|")
    if len(parts) != 3 or parts[0] != OVERLAP or parts[1] not in ("k", "r") or not parts[2]:
        return None
    return parts[1] == "r", parts[2]


def my_page(page: int = 0) -> str:
    return f"{MY}|{page}" if page else MY


def parse_my_page(data: str) -> int:
    _prefix, _, page = data.partition("|")
    return int(page) if page.isdigit() and len(page) < 5 else 0


def setting(field: str, value: str | int) -> str:
    return f"{SETTINGS}|{field}|{value}"


def parse_setting(data: str) -> tuple[str, str] | None:
    parts = data.split("|")
    return (parts[1], parts[2]) if len(parts) == 3 and parts[0] == SETTINGS else None


def remind(action: RemindAction, key: str) -> str:
    return f"{REMIND}|{action}|{key}"


def parse_remind(data: str) -> tuple[RemindAction, str] | None:
    parts = data.split("|")
    if len(parts) != 3 or parts[0] != REMIND or parts[1] not in set(RemindAction) or not parts[2]:
        return None
    return RemindAction(parts[1]), parts[2]


# --- Organisers: broadcasts and /scheduled ----------------------------------------------------------------
BROADCAST = "bc"  # bc|<BroadcastAction>|<broadcast id>|<arg>
SCHEDULED = "sc"  # sc|<ScheduledAction>|<arg>


class BroadcastAction(StrEnum):
    MENU = "m"  # back to the audience menu
    PICK = "a"  # arg: the audience (bot/audience.py's textual form)
    SESSION_DAYS = "sd"  # the days, to pick a session's bookmarkers
    ROOM_DAYS = "rd"  # the days, to pick a room's
    LANGUAGES = "ld"
    SESSIONS = "sl"  # arg: YYYYMMDD[.page]
    ROOMS = "rl"  # arg: YYYYMMDD
    SEND = "go"
    SCHEDULE = "sch"
    CANCEL = "x"
    STOP = "stop"


class ScheduledAction(StrEnum):
    LIST = "l"
    SEND_BROADCAST = "bn"  # arg: broadcast id
    CANCEL_BROADCAST = "bx"
    SKIP_ENTRY = "rs"  # arg: run-up entry id
    URGENT_ENTRY = "ru"
    EDIT_ENTRY = "re"
    EDIT_LANGUAGE = "rl"  # arg: <entry id>:<language>


def broadcast(action: BroadcastAction, broadcast_id: int, arg: str = "") -> str:
    return f"{BROADCAST}|{action}|{broadcast_id}|{arg}"


def parse_broadcast(data: str) -> tuple[str, int, str] | None:
    """(action, broadcast id, argument), or None when malformed."""
    parts = data.split("|", 3)
    if len(parts) != 4 or parts[0] != BROADCAST or not parts[1] or not parts[2].isdigit() or len(parts[2]) > 12:
        return None
    return parts[1], int(parts[2]), parts[3]


def scheduled(action: ScheduledAction, arg: str = "") -> str:
    return f"{SCHEDULED}|{action}|{arg}"


def parse_scheduled(data: str) -> tuple[str, str] | None:
    parts = data.split("|", 2)
    if len(parts) != 3 or parts[0] != SCHEDULED or not parts[1]:
        return None
    return parts[1], parts[2]


# --- Answers to questions: a page re-answers the question as it was asked, at the minute it was asked -------
ASK = "ask"  # ask|<page>|<minute since the epoch, base 36>|<the question, folded and shortened to fit>
MAX_DATA_BYTES = 64
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def ask_page_head(page: int, minute: int) -> str:
    digits = ""
    while True:
        minute, r = divmod(minute, 36)
        digits = _B36[r] + digits
        if not minute:
            break
    return f"{ASK}|{page}|{digits}|"


def ask_page(question: str, minute: int, page: int) -> str:
    """Callers shorten `question` to MAX_DATA_BYTES minus the head; the cut here is only a guard."""
    head = ask_page_head(page, minute)
    return head + question.encode()[: MAX_DATA_BYTES - len(head)].decode(errors="ignore")


def parse_ask_page(data: str) -> tuple[str, int, int] | None:
    """(question, minute, page) from ask-page data, or None when malformed."""
    parts = data.split("|", 3)
    if len(parts) != 4 or parts[0] != ASK or not parts[1].isdigit() or len(parts[1]) > 4 or not parts[3].strip():
        return None
    if not parts[2] or len(parts[2]) > 8 or any(c not in _B36 for c in parts[2]):
        return None
    return parts[3], int(parts[2], 36), int(parts[1])


# --- Organisers: programme updates (/reload, a document, PROGRAMME_URL polling) ----------------------------
UPDATE = "pu"  # pu|<a apply, r replace the conference, d discard>|<programme version id>


def update_apply(version_id: int) -> str:
    return f"{UPDATE}|a|{version_id}"


def update_discard(version_id: int) -> str:
    return f"{UPDATE}|d|{version_id}"


def update_replace(version_id: int) -> str:
    return f"{UPDATE}|r|{version_id}"


def parse_update(data: str) -> tuple[str, int] | None:
    """(action: a, r or d, version id) from programme-update button data, or None when malformed."""
    parts = data.split("|")
    if len(parts) != 3 or parts[0] != UPDATE or parts[1] not in ("a", "r", "d") or not parts[2].isdigit():
        return None
    return parts[1], int(parts[2][:12])


# --- Erasure: /forget's confirmation ------------------------------------------------------------------------
FORGET = "fg"  # fg|y (erase everything) or fg|n (keep)


def forget(confirmed: bool) -> str:
    return f"{FORGET}|{'y' if confirmed else 'n'}"


def parse_forget(data: str) -> bool | None:
    """True to erase, False to keep, None when malformed."""
    return {f"{FORGET}|y": True, f"{FORGET}|n": False}.get(data)
