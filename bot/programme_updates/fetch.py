"""Fetching a programme from a URL with a conditional GET (ETag / Last-Modified), via httpx (from PTB)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from bot.programme.loader import MAX_PROGRAMME_BYTES

logger = logging.getLogger(__name__)

USER_AGENT = "conference-companion-bot (programme updates)"


class FetchError(Exception):
    """The URL gave no programme: the message names the URL and the problem."""


@dataclass(frozen=True)
class Fetched:
    url: str
    body: bytes | None  # None: 304 Not Modified
    etag: str = ""
    last_modified: str = ""


def is_url(location: str) -> bool:
    return urlsplit(location).scheme in ("http", "https")


async def fetch(url: str, *, etag: str = "", last_modified: str = "", timeout: float = 20.0) -> Fetched:
    """GET `url`, sending the validators of the last fetch; raise FetchError with a reason a person can act on."""
    headers = {"User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=True) as client:
            response = await client.get(url, headers=headers)
    except httpx.TimeoutException as exc:
        raise FetchError(f"{url}: no answer within {timeout:g} s") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: cannot fetch ({type(exc).__name__}: {exc or 'no detail'})") from exc
    if response.status_code == 304:
        logger.info("%s: not modified", url)
        return Fetched(url, None, etag, last_modified)
    if response.status_code >= 400:
        raise FetchError(f"{url}: the server answered HTTP {response.status_code} {response.reason_phrase}")
    body = response.content
    if len(body) > MAX_PROGRAMME_BYTES:
        raise FetchError(f"{url}: the answer is larger than {MAX_PROGRAMME_BYTES // 2**20} MB")
    if _is_html(response.headers.get("content-type", ""), body):
        raise FetchError(f"{url}: the server returned a web page (HTML), not a programme file — check the address")
    return Fetched(url, body, response.headers.get("etag", ""), response.headers.get("last-modified", ""))


def _is_html(content_type: str, body: bytes) -> bool:
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return "text/html" in content_type.lower() or head.startswith((b"<!doctype html", b"<html"))
