"""Times and days in a question: '11:45', '3pm', 'a las 11', 'Wednesday', '26 June', 'tomorrow morning',
'after lunch', 'day 2', 'now', 'next', 'last' — in EN/ES/FR/DE/IT, resolved later against one programme."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import time
from enum import StrEnum

from bot.answer import lexicon as lx
from bot.answer.text import words


class Relative(StrEnum):
    NOW = "now"
    NEXT = "next"
    FIRST = "first"
    LAST = "last"


class DayRef(StrEnum):
    TODAY = "today"
    TOMORROW = "tomorrow"
    YESTERDAY = "yesterday"
    DAY_AFTER_TOMORROW = "day-after-tomorrow"


@dataclass(frozen=True)
class When:
    """What a question says about time, before it is resolved against a programme and a clock."""

    weekdays: tuple[int, ...] = ()
    dates: tuple[tuple[int | None, int, int], ...] = ()  # (year or None, month, day)
    month_days: tuple[int, ...] = ()  # 'on the 27th': a day of the month, whichever month the conference is in
    day_ref: DayRef | None = None
    day_number: int | None = None  # "day 2"; -1 = the last day
    at: time | None = None
    start: time | None = None
    end: time | None = None
    after_lunch: bool = False
    before_lunch: bool = False
    relative: Relative | None = None
    after_session: bool = False  # 'after the opening panel': the sessions that follow the one named
    past: bool = False  # 'what happened this morning': what already ran, not what is left
    and_next: bool = False  # 'what's on now and what's next there': both, the running ones first
    before_session: bool = False  # 'what's before the closing session': the sessions that precede the one named

    @property
    def has_day(self) -> bool:
        return bool(self.weekdays or self.dates or self.month_days or self.day_ref or self.day_number)

    @property
    def has_time(self) -> bool:
        return bool(self.at or self.start or self.end or self.after_lunch or self.before_lunch)

    @property
    def is_empty(self) -> bool:
        return not (self.has_day or self.has_time or self.relative or self.past)


_MONTH = "|".join(sorted(lx.MONTHS, key=len, reverse=True))
_NUM_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th|er|o|a|\.)?"
_DATE_PATTERNS = (
    re.compile(r"\b(?P<y>20\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)\b"),
    re.compile(r"(?<![\d:])(?P<d>[0-3]?\d)/(?P<m>[01]?\d)(?:/(?P<y>(?:20)?\d\d))?(?![\d/:])"),
    re.compile(r"(?<![\d:])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:20)?\d\d)?(?![\d:])"),
    re.compile(rf"\b{_NUM_DAY}\s*(?:of\s+|de\s+)?(?P<mn>{_MONTH})\b"),
    re.compile(rf"\b(?P<mn>{_MONTH})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b"),
)
# A day of the month without its month: an English ordinal ('the 27th', not 'the 2nd day'), or a number after
# 'on the' / 'le' / 'el' / 'il' / 'am' that ends the phrase or is followed by a time ('el 27 a las 10').
_NOT_A_DATE_AFTER = r"day|days|session|sessions|talk|talks|slot|floor|room|edition|time|one|ones|of"
_MONTH_DAY_PATTERNS = (
    re.compile(rf"(?<![\w:./])(?P<d>[0-3]?\d)(?:st|nd|rd|th)\b(?!\s*(?:{_NOT_A_DATE_AFTER})\b)"),
    re.compile(
        r"\b(?:on the|on|le|el|il|am|vom|du|del)\s+(?P<d>[0-3]?\d)(?!\d)(?:er|\.)?"  # not the 3 of '38C3'
        r"(?=\s*(?:$|[?!,;]|at\b|um\b|a\b|alle\b|in\b|im\b|en\b|dans\b|nel\b|nella\b|\d))"
    ),
)
# A bare hour needs a word that says it is a time ("at 11", "um 11", "a las 11", "alle 11").
_CUE = (
    "(?:"
    + "|".join(
        (
            r"at|um|gegen|ab|bis|vor|nach|from|after|before|until|till|between|and|to",
            r"a\s+las|a\s+la|desde|hasta|antes\s+de\s+las|despues\s+de\s+las|y|entre",
            r"vers|a|des|apres|avant|jusqu'?a|et|e|und|zwischen",
            r"alle|ore|dalle|dopo\s+le|prima\s+delle|fino\s+alle|tra\s+le",
        )
    )
    + ")"
)
_CONJUNCTIONS = lx.word_set("and to y et e und a")
_TIME_PATTERNS = (
    re.compile(r"(?<![\d.:/])(?P<h>[01]?\d|2[0-3])\s*(?::|h|\.)\s*(?P<mi>[0-5]\d)(?![\d.:/])"),
    re.compile(r"(?<![\d.:/])(?P<h>1[0-2]|0?[1-9])(?::(?P<mi>[0-5]\d))?\s*(?P<ap>a\.?m\b\.?|p\.?m\b\.?)"),
    re.compile(r"(?<![\d.:/])(?P<h>[01]?\d|2[0-3])\s*(?:h|uhr|hrs|hr|o'?clock)\b"),
    re.compile(rf"\b{_CUE}\s+(?P<h>[01]?\d|2[0-3])(?![\w.:/]|\s*(?:st|nd|rd|th|days?|tag|dia|jour|giorno)\b)"),
)
_PHRASES = (
    (re.compile(r"\bapres[- ]midi\b"), " afternoon "),
    (re.compile(r"\b(?:day after tomorrow|pasado manana|apres[- ]demain)\b"), " ubermorgen "),
    (re.compile(r"\b(?:right now|at the moment|en este momento|en ce moment|in questo momento|zur zeit)\b"), " now "),
    (re.compile(r"\b(?:por|de|en|a) la manana\b"), " morning "),
    (re.compile(r"\besta manana\b"), " today morning "),  # 'mañana' alone is tomorrow
    (re.compile(r"\b(?:am|heute|jeden) morgen\b"), " morning "),
    (re.compile(r"\bmorgen fruh\b"), " tomorrow morning "),
    (re.compile(r"\bce soir\b"), " today evening "),
    (re.compile(r"\bsta(?:mattina|mani|mane)\b"), " today morning "),
    (re.compile(r"\bs'?\s?est passe"), " happened "),
    (re.compile(r"\baujourd'?\s?hui\b"), " today "),
    (re.compile(r"\b(?:c'?\s?est quoi|et) la suite\b"), " next "),  # 'c'est quoi la suite ?': what is next
    # 'At the end of the day' in five languages: today's last sessions ('alla fine' is not a topic 'fine').
    (
        re.compile(
            r"\b(?:(?:at )?the end of (?:the )?day|(?:am |zum )?ende des tages|(?:zum )?tagesende|"
            r"al final del dia|al final de la jornada|(?:a la|en) fin de (?:la )?journee|"
            r"alla fine della giornata|a fine giornata)\b"
        ),
        " today last ",
    ),
    # 'what's on at the end?' is the last session; 'alla fine vincono sempre i ricchi' ('in the end') is a filler.
    (re.compile(r"\b(?:at the end|am ende|zum schluss|al final|a la fin|alla fine)\b(?=\W*$)"), " last "),
    # 'à 5h du matin', 'a las 2 de la madrugada', 'alle 2 di notte', 'um 3 Uhr früh': before noon, not the
    # afternoon a bare small hour means at a conference.
    (
        re.compile(
            r"\b(1[0-2]|0?[1-9])(?:h| ?heures?| ?uhr| ?o ?clock)? (?:du matin|de la (?:madrugada|manana|noche)|"
            r"del mattino|di mattina|di notte|della notte|fruh|morgens|nachts|in the morning|at night)\b"
        ),
        r" \1am ",
    ),
    # 'gli ultimi giorni di vita': the end of a life, not the event's last day.
    (
        re.compile(
            r"\b(?:(?:the )?last days of (?:their |your |a )?life|letzten tage (?:des|ihres|seines) lebens|"
            r"ultimos dias de (?:su )?vida|derniers jours de (?:sa |leur )?vie|ultimi giorni di vita)\b"
        ),
        " end of life ",
    ),
    # 'a qué hora se come', 'quand est-ce qu'on mange': when the meal is, not a topic 'come' (but 'où est-ce
    # qu'on mange une bonne paella ?' asks for a restaurant, not for lunch).
    (
        re.compile(
            r"\b(hora|heure|ora|quand|cuando|wann|when|mediodia|midi|mittags?|mezzogiorno|noon)\b(.{0,30}?)"
            r"\b(?:se come|comemos|on mange|si mangia|isst man|essen wir|do we eat)\b"
        ),
        r"\1\2 lunch ",
    ),
    (
        re.compile(
            r"\b(?:se come|comemos|on mange|si mangia|isst man|essen wir|do we eat)\b"
            r"(?=.{0,30}\b(?:hora|heure|ora|uhr|time|mediodia|midi|mittags?|mezzogiorno|noon)\b)"
        ),
        " lunch ",
    ),
    (re.compile(r"\bmidnight|mitternacht|medianoche|minuit|mezzanotte\b"), " 00:00 "),
    (re.compile(r"\b(\d{1,2}) heures?\b"), r" \1h "),  # 'à 2 heures'
)

# An hour in words after 'at' in five languages ('um zwei', 'a las dos', 'à deux heures', 'alle due'): as digits.
_HOUR_WORDS = {
    word: str(n)
    for n, group in enumerate(
        (
            "one eins una une",
            "two zwei dos deux due",
            "three drei tres trois tre",
            "four vier cuatro quatre quattro",
            "five funf cinco cinq cinque",
            "six sechs seis six sei",
            "seven sieben siete sept sette",
            "eight acht ocho huit otto",
            "nine neun nueve neuf nove",
            "ten zehn diez dix dieci",
            "eleven elf once onze undici",
            "twelve zwolf doce douze dodici",
        ),
        start=1,
    )
    for word in group.split()
}
_AT_HOUR = re.compile(
    r"\b(um|at|a las|a la|alle|all'?|verso las?|vers|gegen|around) ("
    + "|".join(_HOUR_WORDS)
    + r")\b(?! \w+ (?:minutes?|minuten))"
)
_FRENCH_HOUR = re.compile(r"\ba (" + "|".join(_HOUR_WORDS) + r") heures?\b")


def _year(value: str | None) -> int | None:
    if not value:
        return None
    return int(value) + (2000 if len(value) == 2 else 0)


def _take_dates(text: str) -> tuple[str, list[tuple[int | None, int, int]]]:
    found: list[tuple[int | None, int, int]] = []
    for pattern in _DATE_PATTERNS:
        for m in list(pattern.finditer(text)):
            month = lx.MONTHS[m["mn"]] if "mn" in m.groupdict() and m["mn"] else int(m["m"])
            day = int(m["d"])
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            # "11.45" is a time; a dotted date needs its trailing dot or a year: "26.6." / "26.6.2024".
            if pattern is _DATE_PATTERNS[2] and not m["y"] and not m.group(0).endswith("."):
                continue
            year = _year(m.groupdict().get("y"))
            found.append((year, month, day))
            text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    return text, found


def _take_month_days(text: str) -> tuple[str, list[int]]:
    found: list[int] = []
    for pattern in _MONTH_DAY_PATTERNS:
        for m in list(pattern.finditer(text)):
            day = int(m["d"])
            if 1 <= day <= 31:
                found.append(day)
                text = text[: m.start("d")] + " " * (m.end() - m.start("d")) + text[m.end() :]
    return text, found


def _hour(m: re.Match[str]) -> time:
    hour = int(m["h"])
    minute = int(m["mi"]) if m.groupdict().get("mi") else 0
    ampm = (m.groupdict().get("ap") or "").replace(".", "")
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    elif not ampm and not m.groupdict().get("mi") and 1 <= hour <= 7:
        hour += 12  # "at 3" at a conference means the afternoon
    return time(hour, minute)


def _take_times(text: str) -> tuple[str, list[tuple[time, str]]]:
    """Clock times with the word before each ('after', 'bis', ...), earliest in the text first."""
    found: list[tuple[int, time, str]] = []
    for pattern in _TIME_PATTERNS:
        for m in list(pattern.finditer(text)):
            before = words(text[max(0, m.start() - 20) : m.start()])
            cue = before[-1] if before else ""
            if pattern is _TIME_PATTERNS[3]:
                cue_words = words(m.group(0))[:-1]
                cue = cue_words[0]
                if cue_words == [cue] and cue in _CONJUNCTIONS and not found:
                    continue  # 'and 2 sessions' is no time; 'between 14:00 and 16' is
            found.append((m.start(), _hour(m), cue))
            start = m.start()
            if cue in lx.AFTER or cue in lx.BEFORE:
                # 'after 15:00' is said: its 'after' is no longer free to mean 'after the keynote'.
                start = max(start - 20, 0) + text[max(start - 20, 0) : start].rfind(cue)
            text = text[:start] + " " * (m.end() - start) + text[m.end() :]
    found.sort(key=lambda f: f[0])
    return text, [(t, cue) for _, t, cue in found]


def _apply_times(when: When, times: list[tuple[time, str]]) -> When:
    if not times:
        return when
    if len(times) >= 2:
        first, second = sorted(t for t, _ in times[:2])
        return replace(when, start=first, end=second)
    (t, cue) = times[0]
    if cue in lx.AFTER:
        return replace(when, start=t)
    if cue in lx.BEFORE:
        return replace(when, end=t)
    return replace(when, at=t)


def _part_of_day(word: str) -> tuple[time, time] | None:
    if word in lx.MORNING:
        return time(5), time(12)
    if word in lx.AFTERNOON:
        return time(12), time(18)
    if word in lx.EVENING:
        return time(18), time(23, 59)
    if word in lx.NIGHT:
        return time(21), time(23, 59)
    return None


_COMES = lx.word_set("kommt lauft folgt passiert")
# Counting words before a day word make a length ('a four-day week'); 'day four' and 'the fourth day' are days.
_CARDINALS = lx.word_set("one two three four five")
_PARTS_OF_DAY = lx.PARTS_OF_DAY | lx.NOON | lx.LUNCH | {"morgen"}
_DAY_PART = re.compile(
    "(" + "|".join(sorted((d for d in lx.WEEKDAYS if len(d) > 4), key=len, reverse=True)) + ")"
    "(" + "|".join(sorted(_PARTS_OF_DAY, key=len, reverse=True)) + ")"
)


def _day_and_part(word: str) -> tuple[str, ...]:
    """'dienstagabend' → 'dienstag', 'abend'; 'mittwochnachmittag', 'freitagmorgen': German writes a weekday and
    a part of the day as one word."""
    joined = _DAY_PART.fullmatch(word) if len(word) > 8 else None
    if joined is None:
        return (word,)
    return joined[1], "morgens" if joined[2] == "morgen" else joined[2]  # 'Freitagmorgen': morning, not tomorrow


def _hour_in_digits(m: re.Match[str]) -> str:
    """'um zwei' → 'um 2'; 'at one point' stays (English 'one' is an hour only at the end or before am/pm)."""
    after = m.string[m.end() :].split()
    if m[2] == "one" and after and after[0] not in ("am", "pm", "o", "oclock"):
        return m[0]
    return f"{m[1]} {_HOUR_WORDS[m[2]]}"


_ASKED = lx.WHEN | lx.WHO | lx.WHERE | lx.word_set("what whats was welche welcher welches que quoi cosa cual quale")


def parse_when(folded: str) -> tuple[When, list[str]]:
    """The time expressions of a folded question, and the words left once they are taken out."""
    text = f" {folded} "
    text = _AT_HOUR.sub(_hour_in_digits, text)
    text = _FRENCH_HOUR.sub(lambda m: f"a {_HOUR_WORDS[m[1]]}h", text)
    for pattern, repl in _PHRASES:
        text = pattern.sub(repl, text)
    text, dates = _take_dates(text)
    text, times = _take_times(text)
    text, month_days = _take_month_days(text)
    when = _apply_times(When(dates=tuple(dates), month_days=tuple(dict.fromkeys(month_days))), times)
    toks = [part for w in words(text) for part in _day_and_part(w)]
    rest: list[str] = []
    weekdays: list[int] = []
    # 'direkt nach X'; 'Was kommt in der Arena nach Bash-my-AWS?': after 'what comes', 'nach' and 'vor' order
    # sessions (elsewhere 'nach Berlin' is a place).
    comes = bool(set(toks) & _COMES)
    # 'Autos vor der Schule sperren' with no question word: 'vor der' is in front of, not before a session.
    asked = bool(set(toks) & _ASKED) or comes
    for i, w in enumerate(toks):
        prev = toks[i - 1] if i else ""
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        nxt2 = toks[i + 2] if i + 2 < len(toks) else ""
        # 'after the keynote' names a session; 'qué viene después allí' ('what comes after there') does not.
        names = any(t not in lx.STOPWORDS for t in toks[i + 1 :])
        ordering = comes or prev in lx.IMMEDIATELY  # 'nach'/'vor' here orders sessions, not names a place
        if w in lx.WEEKDAYS:
            weekdays.append(lx.WEEKDAYS[w])
        elif w in lx.DAYS and prev.isdigit():
            rest.append(w)  # '4 giorni': a length
        elif w in lx.DAY_WORDS and prev in _CARDINALS and nxt not in lx.ORDINALS:
            rest += [prev, w]  # 'the four-day week', 'a two day course': a length, not the fourth day
        elif w in lx.DAY_WORDS and (nxt in lx.ORDINALS or prev in lx.ORDINALS or prev in lx.LAST or nxt in lx.LAST):
            if prev in lx.LAST or nxt in lx.LAST:
                when = replace(when, day_number=-1)
            else:
                when = replace(when, day_number=lx.ORDINALS.get(nxt) or lx.ORDINALS[prev])
        elif w in _CARDINALS and nxt in lx.DAY_WORDS:
            continue  # taken with its day word as a length
        elif (w in lx.ORDINALS or w in lx.LAST) and (nxt in lx.DAY_WORDS or prev in lx.DAY_WORDS):
            if w.isdigit() and nxt in lx.DAYS:
                rest.append(w)  # '4 giorni'
            continue  # taken with its day word
        elif w in lx.TODAY:
            when = replace(when, day_ref=when.day_ref or DayRef.TODAY)
            if w in lx.EVENING and when.start is None and when.at is None:
                when = replace(when, start=time(18), end=time(23, 59))
        elif w in lx.TOMORROW:
            when = replace(when, day_ref=DayRef.TOMORROW)
        elif w in lx.YESTERDAY:
            when = replace(when, day_ref=DayRef.YESTERDAY)
        elif w in lx.DAY_AFTER_TOMORROW:
            when = replace(when, day_ref=DayRef.DAY_AFTER_TOMORROW)
        elif (span := _part_of_day(w)) is not None:
            if when.at is None and when.start is None and when.end is None:
                when = replace(when, start=span[0], end=span[1])
        elif w in lx.NOON:
            if when.at is None and when.start is None:
                when = replace(when, at=time(12))
        elif w in lx.LUNCH:
            around = {prev, toks[i - 2] if i >= 2 else ""}
            if around & lx.AFTER:
                when = replace(when, after_lunch=True)
            elif around & lx.BEFORE:
                when = replace(when, before_lunch=True)
            else:
                rest.append(w)
        elif w in (lx.AFTER | lx.BEFORE) and lx.LUNCH & {nxt, nxt2}:
            continue
        elif w == "prima" and prev in lx.ITALIAN_FEMININE_ARTICLES:
            # 'la prima sessione', 'la prima trasferta della banda': the adjective 'first', not 'before'.
            if _describes(nxt):
                rest.append(w)
            else:
                when = replace(when, relative=Relative.FIRST)
        elif w == "prima" and nxt not in lx.ITALIAN_OF:
            continue  # 'i locali che chiudono prima in settimana', 'di prima mattina': early, before no session named
        elif names and (w in lx.PRECEDING or (w in lx.BEFORE and ((nxt in lx.DATIVE_ARTICLES and asked) or ordering))):
            # 'before the closing session', 'vor der Abschlussveranstaltung': what precedes a session named.
            when = replace(when, before_session=True)
        elif prev and prev == nxt and w in lx.FOLLOWING | lx.AFTER | lx.BEFORE:
            continue  # 'jour après jour', 'giorno dopo giorno': again and again, no session after another
        elif names and (w in lx.FOLLOWING or (w in lx.AFTER and ((nxt in lx.DATIVE_ARTICLES and asked) or ordering))):
            # 'direkt nach Tux-EVSE', 'right after Tux-EVSE': the adverb makes 'nach' a time, not 'nach Berlin'.
            # 'after the keynote': what follows a session, if the rest of the question names one.
            when = replace(when, after_session=True)
            if w in lx.BARE_NEXT:
                when = replace(when, relative=when.relative or Relative.NEXT)
        elif w in lx.BARE_NEXT or w in lx.FOLLOWING:
            both = when.relative is Relative.NOW  # '¿qué hay ahora y qué viene después?'
            when = replace(when, relative=when.relative or Relative.NEXT, and_next=when.and_next or both)
        elif w in lx.PAST:
            when = replace(when, past=True)
        elif w in lx.NOW:
            both = when.relative is Relative.NEXT
            when = replace(when, relative=Relative.NOW if both else when.relative or Relative.NOW, and_next=both)
        elif w in lx.NEXT:
            both = when.relative is Relative.NOW
            when = replace(when, relative=Relative.NOW if both else Relative.NEXT, and_next=both)
        elif w in lx.LAST:
            when = replace(when, relative=Relative.LAST)
        elif w in lx.FIRST and _describes(nxt):
            rest.append(w)  # 'la primera vez que…', 'the first contest abroad': a first thing, not the first session
        elif w in lx.FIRST:
            when = replace(when, relative=Relative.FIRST)
        else:
            rest.append(w)
    if when.relative is Relative.NOW and not when.and_next and set(toks) & lx.COMES:
        when = replace(when, relative=Relative.NEXT)  # '¿y ahora qué viene?', 'was kommt jetzt?': what is next
    return replace(when, weekdays=tuple(dict.fromkeys(weekdays))), rest


def _describes(word: str) -> bool:
    """Whether 'first' before `word` describes a thing ('the first contest', 'la primera vez') rather than asking
    for the first session ('the first talk', 'la primera de mañana', 'first thing tomorrow')."""
    if word in lx.OCCASIONS:
        return True
    return bool(word) and not word.isdigit() and word not in lx.STOPWORDS and word not in lx.FIRST_OF
