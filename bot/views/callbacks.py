"""Callback data for inline buttons: short, versionless strings that survive restarts (≤ 64 bytes)."""

from __future__ import annotations

from datetime import date

# Prefixes are part of the protocol with already-sent messages: change them only with a fallback.
DAYS = "days"
DAY = "day"  # day|YYYYMMDD|page
SESSION = "ses"  # ses|key
NOW = "now"
NEXT = "next"
VENUE = "venue"
HELP = "help"
NOOP = "noop"


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
