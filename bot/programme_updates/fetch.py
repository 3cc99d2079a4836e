"""Reading a new programme version off the update path, within limits: a URL or a file, then parsing.

The download is streamed with httpx (from PTB) and stops as soon as it passes PROGRAMME_MAX_MB; the whole
read, connecting, redirects, download and parsing, has one deadline (PROGRAMME_FETCH_TIMEOUT), not a timeout
per read that a server trickling a byte at a time never reaches. Parsing runs in a worker thread, so the
event loop keeps serving every other delegate meanwhile. PROGRAMME_URL may point anywhere (the organiser
chose it), but a redirect to a loopback or private address is refused unless PROGRAMME_ALLOW_PRIVATE_REDIRECTS.
Credentials in the URL are sent, never shown: every message names the URL without them.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx

from bot.programme.errors import ProgrammeError
from bot.programme.loader import parse_programme
from bot.programme.model import Programme
from bot.programme_updates.addresses import peer_refusal, redirect_refusal
from bot.settings import Settings

logger = logging.getLogger(__name__)

USER_AGENT = "conference-companion-bot (programme updates)"
MAX_REDIRECTS = 5


class FetchError(Exception):
    """The URL gave no programme: `url` is as shown (without credentials), `reason` what went wrong."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


@dataclass(frozen=True)
class ReadLimits:
    """How long a read may take and how large a programme may be (PROGRAMME_FETCH_TIMEOUT, PROGRAMME_MAX_…)."""

    seconds: float
    max_bytes: int
    max_sessions: int
    max_rooms: int
    private_redirects: bool = False

    @classmethod
    def of(cls, settings: Settings) -> ReadLimits:
        return cls(
            seconds=settings.programme_fetch_timeout,
            max_bytes=int(settings.programme_max_mb * 2**20),
            max_sessions=settings.programme_max_sessions,
            max_rooms=settings.programme_max_rooms,
            private_redirects=settings.programme_allow_private_redirects,
        )

    def deadline(self) -> float:
        """The event-loop time by which a read starting now must be done."""
        return asyncio.get_running_loop().time() + self.seconds

    @property
    def too_large(self) -> str:
        return f"larger than {self.max_bytes / 2**20:g} MB"


@dataclass(frozen=True)
class Fetched:
    url: str  # as shown: without credentials
    body: bytes | None  # None: 304 Not Modified
    etag: str = ""
    last_modified: str = ""


def is_url(location: str) -> bool:
    return urlsplit(location).scheme in ("http", "https")


def shown_url(url: str) -> str:
    """The URL without user and password, for every message and log line."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


async def fetch(
    url: str, limits: ReadLimits, *, until: float | None = None, etag: str = "", last_modified: str = ""
) -> Fetched:
    """GET `url` by `until` (loop time), sending the validators of the last fetch; FetchError says what went wrong."""
    shown = shown_url(url)
    headers = {"User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with asyncio.timeout_at(until if until is not None else limits.deadline()):
            return await _fetch(shown, _credentials(url), headers, limits)
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise FetchError(shown, f"not read within {limits.seconds:g} s") from exc
    except httpx.InvalidURL as exc:
        raise FetchError(shown, f"not a valid address ({exc})") from exc
    except httpx.HTTPError as exc:
        raise FetchError(shown, f"cannot fetch ({type(exc).__name__}: {exc or 'no detail'})") from exc


def _credentials(url: str) -> httpx.BasicAuth | None:
    """The URL's user and password as an Authorization header: httpx would otherwise log the URL with them."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return None
    return httpx.BasicAuth(unquote(parts.username or ""), unquote(parts.password or ""))


async def _fetch(url: str, auth: httpx.BasicAuth | None, headers: dict[str, str], limits: ReadLimits) -> Fetched:
    origin = httpx.URL(url)
    # The deadline is the caller's; httpx's own timeouts stay as a backstop for each step.
    async with httpx.AsyncClient(timeout=limits.seconds, follow_redirects=False, headers=headers) as client:
        request = client.build_request("GET", url)
        for hop in range(MAX_REDIRECTS + 1):
            # The server PROGRAMME_URL names may send the bot elsewhere on itself, not elsewhere inside the network.
            vet = hop > 0 and not limits.private_redirects and request.url.host != origin.host
            refusal = await redirect_refusal(request.url.host, request.url.port) if vet else ""
            if refusal:
                raise FetchError(url, f"redirected to {shown_url(str(request.url))}, {refusal}")
            response = await client.send(request, stream=True, auth=auth if _same_server(request.url, origin) else None)
            try:
                refusal = peer_refusal(response) if vet else ""
                if refusal:
                    raise FetchError(url, f"redirected to {shown_url(str(request.url))}, {refusal}")
                if response.next_request is None:
                    return await _body(response, url, limits)
                request = response.next_request
            finally:
                await response.aclose()
    raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")


def _same_server(url: httpx.URL, origin: httpx.URL) -> bool:
    """Whether the credentials of PROGRAMME_URL may go with a request to `url`: same host, never downgraded to http."""
    return url.host == origin.host and not (origin.scheme == "https" and url.scheme == "http")


async def _body(response: httpx.Response, shown: str, limits: ReadLimits) -> Fetched:
    """The body of a final answer, read only up to the size limit."""
    if response.status_code == 304:
        logger.info("%s: not modified", shown)
        return Fetched(shown, None, response.headers.get("etag", ""), response.headers.get("last-modified", ""))
    if response.status_code >= 400:
        raise FetchError(shown, f"the server answered HTTP {response.status_code} {response.reason_phrase}")
    content_type = response.headers.get("content-type", "")
    if "text/html" in content_type.lower():
        raise FetchError(shown, _WEB_PAGE)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(shown, limits.too_large)
    body = bytearray()
    async for chunk in response.aiter_bytes():  # decoded, so a small gzip bomb counts at its full size
        body += chunk
        if len(body) > limits.max_bytes:
            raise FetchError(shown, limits.too_large)
    if _is_html(bytes(body[:512])):
        raise FetchError(shown, _WEB_PAGE)
    return Fetched(shown, bytes(body), response.headers.get("etag", ""), response.headers.get("last-modified", ""))


_WEB_PAGE = "the server returned a web page (HTML), not a programme file — check the address"


def _is_html(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith((b"<!doctype html", b"<html"))


async def read_location(location: str, limits: ReadLimits, *, until: float | None = None) -> bytes:
    """The bytes of a path or an http(s) URL (a plain GET: /reload and the command line want the file as it is)."""
    if is_url(location):
        try:
            fetched = await fetch(location, limits, until=until)
        except FetchError as exc:
            raise ProgrammeError.single(exc.url, "", exc.reason) from exc
        assert fetched.body is not None  # no validators were sent, so no 304
        return fetched.body
    try:
        return await asyncio.to_thread(_read_file, Path(location), limits)
    except OSError as exc:
        raise ProgrammeError.single(location, "", f"cannot read the file ({exc.strerror or exc})") from exc


def _read_file(path: Path, limits: ReadLimits) -> bytes:
    with path.open("rb") as file:
        data = file.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise ProgrammeError.single(str(path), "", limits.too_large)
    return data


async def parse(
    data: bytes, source: str, timezone: str | None, limits: ReadLimits, *, until: float | None = None
) -> Programme:
    """Parse in a worker thread, by `until`, within the size limits; ProgrammeError names what is wrong."""
    try:
        async with asyncio.timeout_at(until if until is not None else limits.deadline()):
            return await asyncio.to_thread(_parse_within, data, source, timezone, limits)
    except TimeoutError as exc:
        # The thread cannot be stopped; it finishes on its own (the size limit bounds how long), unheard.
        raise ProgrammeError.single(source, "", f"not read within {limits.seconds:g} s") from exc


def _parse_within(data: bytes, source: str, timezone: str | None, limits: ReadLimits) -> Programme:
    if len(data) > limits.max_bytes:
        raise ProgrammeError.single(source, "", limits.too_large)
    programme = parse_programme(data, source, timezone)
    for count, what, limit, key in (
        (len(programme.sessions), "sessions", limits.max_sessions, "PROGRAMME_MAX_SESSIONS"),
        (len(programme.rooms), "rooms", limits.max_rooms, "PROGRAMME_MAX_ROOMS"),
    ):
        if count > limit:
            raise ProgrammeError.single(source, "", f"{count:,} {what}: more than {key} allows ({limit:,})")
    return programme
