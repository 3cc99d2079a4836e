"""/venue: where the conference is, with a map link."""

from __future__ import annotations

from urllib.parse import quote_plus

from bot.i18n import Lang
from bot.programme.model import Programme
from bot.views.format import esc
from bot.views.reply import Button, Reply


def map_url(programme: Programme) -> str:
    venue = programme.venue
    if venue.map_url:
        return venue.map_url
    query = ", ".join(p for p in (venue.name, venue.address) if p)
    return "https://www.openstreetmap.org/search?query=" + quote_plus(query) if query else ""


def venue_view(programme: Programme, lang: Lang) -> Reply:
    _ = lang._
    v = programme.venue
    lines = ["📍 <b>" + esc(v.name) + "</b>"]
    if v.address:
        lines.append(esc(v.address))
    if v.description:
        lines += ["", esc(v.description)]
    rooms = [r.name for r in programme.rooms]
    if rooms and len(rooms) <= 30:
        lines += ["", _("Rooms: %(rooms)s") % {"rooms": esc(", ".join(rooms))}]
    url = map_url(programme)
    buttons = ((Button("🗺 " + _("Open the map"), url=url),),) if url else ()
    return Reply("\n".join(lines), buttons)
