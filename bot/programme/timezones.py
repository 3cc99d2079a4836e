"""Resolving a conference time zone from a name, an offset or a fallback."""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import get_timezone_location

# The languages whose city names a programme file may use for its place ('Brüssel', 'Bruxelles', 'Bruselas').
_PLACE_LANGUAGES = ("en", "de", "es", "fr", "it")


def zone(name: str) -> ZoneInfo | None:
    """The IANA zone for `name`, or None when no such zone exists."""
    if not name or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_for_offset(offset: timedelta) -> ZoneInfo:
    """A fixed-offset zone for an offset seen in a file (Etc/GMT signs are inverted on purpose)."""
    hours = int(offset.total_seconds() // 3600)
    if offset.total_seconds() % 3600 == 0 and -14 <= hours <= 12:
        return ZoneInfo("UTC" if hours == 0 else f"Etc/GMT{-hours:+d}")
    return ZoneInfo("UTC")


def zone_for_place(*places: str) -> tuple[ZoneInfo, str] | None:
    """The zone a city or venue names unambiguously, and the name that matched, or None.

    A place matches when it (or a comma-separated part of it: 'ULB Solbosch, Brussels') is a zone's own city
    ('Europe/Brussels') or CLDR's name for that city in one of five languages, and no other zone has that name.
    Only those cities: Valencia or Leipzig name no zone, and guessing from a map is not this bot's business.
    """
    cities = _zone_cities()
    for place in places:
        for part in [place, *re.split(r"[,/;()]| - ", place or "")]:
            key = _fold(part)
            zones = cities.get(key)
            if key and zones and len(zones) == 1:
                (name,) = zones
                return ZoneInfo(name), part.strip()
    return None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).replace("_", " ").split())


@functools.cache
def _zone_cities() -> dict[str, frozenset[str]]:
    """Every folded city name → the zones it may mean (built once, when a file names no zone)."""
    found: dict[str, set[str]] = {}
    for name in available_timezones():
        if "/" not in name or name.startswith(("Etc/", "SystemV/", "US/")):
            continue
        names = {name.rsplit("/", 1)[-1]}
        for code in _PLACE_LANGUAGES:
            try:
                names.add(get_timezone_location(name, locale=code, return_city=True))
            except (LookupError, ValueError):
                continue
        for city in names:
            found.setdefault(_fold(city), set()).add(name)
    return {city: frozenset(zones) for city, zones in found.items()}
