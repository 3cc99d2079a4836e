"""Resolving a conference time zone from a name, an offset or a fallback."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


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
