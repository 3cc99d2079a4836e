"""The bot's one web server: Telegram's webhook, the calendar feeds, /healthz and /metrics.

PTB 22's documented custom-webhook pattern: a Starlette application served by uvicorn on the bot's own event
loop, handing each update to `Application.update_queue` (no `run_webhook`), so the same server also answers
calendar apps, health checks and Prometheus. In polling mode it runs when HTTP_PORT is set, without the webhook.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.feeds import FEED_PATH, PROGRAMME_FEED_PATH, FeedBody, ProgrammeFeed, personal_feed
from bot.services import Services
from bot.storage import outbox
from bot.storage.db import check_writable

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_TIMEOUT = 3.0  # seconds the database may take to answer /healthz before it counts as unavailable
CALENDAR_TYPE = "text/calendar; charset=utf-8"
MAX_TOKEN = 128  # characters: a longer "token" is not one of ours, and is not hashed


@dataclass(frozen=True)
class Webhook:
    """Where Telegram posts updates on this server, the secret it must send with them, and the largest body."""

    path: str
    secret: str
    max_body: int


def webhook_path(url: str) -> str:
    """The local path of WEBHOOK_URL (https://bot.example.org/hook → /hook)."""
    return urlsplit(url).path.rstrip("/") or "/"


def web_app(app: Application, services: Services, webhook: Webhook | None = None) -> Starlette:
    """The ASGI application: every route the bot serves."""
    routes = [
        Route("/healthz", _health(services), methods=["GET"]),
        Route("/metrics", _metrics(services), methods=["GET"]),
        Route(PROGRAMME_FEED_PATH, _programme_feed(services), methods=["GET"]),
        Route(FEED_PATH, _personal_feed(services), methods=["GET"]),
    ]
    if webhook is not None:
        routes.append(Route(webhook.path, _webhook(app, webhook), methods=["POST"]))
    return Starlette(routes=routes)


def _webhook(app: Application, webhook: Webhook) -> Any:
    secret = webhook.secret.encode()

    async def receive_update(request: Request) -> Response:
        """Take one update from Telegram: checked, parsed and queued for the Application, or refused."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, secret):  # constant time: the secret is not guessed a byte at a time
            logger.debug("Webhook request with a wrong or missing secret token refused")
            return Response(status_code=403)
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > webhook.max_body:
            return Response(status_code=413)
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > webhook.max_body:
                return Response(status_code=413)
        try:
            data = json.loads(body)
            update = Update.de_json(data, app.bot) if isinstance(data, dict) else None
        except (ValueError, TypeError, KeyError):
            update = None
        if update is None:
            return Response(status_code=400)
        await app.update_queue.put(update)
        return Response()

    return receive_update


def _health(services: Services) -> Any:
    async def health(request: Request) -> JSONResponse:
        """The database answers and takes a write, the outbox backlog, the age of the last update handled."""
        report: dict[str, Any] = {"status": "ok", "database": "ok"}
        status = 200
        try:
            db = services.database
            await asyncio.wait_for(check_writable(db), HEALTH_TIMEOUT)
            backlog = await asyncio.wait_for(outbox.due_backlog(db, services.clock.now()), HEALTH_TIMEOUT)
            report["outbox_backlog"] = sum(backlog.values())
        except Exception as exc:  # whatever it is, the bot cannot keep what delegates do: say so
            logger.warning("Health check: the database is unavailable (%s)", exc)
            report.update(status="unavailable", database=f"unavailable: {type(exc).__name__}")
            status = 503
        age = services.metrics.last_update_age()
        report["last_update_age_seconds"] = None if age is None else round(age, 1)
        return JSONResponse(report, status_code=status, headers={"Cache-Control": "no-store"})

    return health


def _metrics(services: Services) -> Any:
    async def metrics(request: Request) -> Response:
        """The counters in Prometheus' text format."""
        try:
            backlog = await asyncio.wait_for(outbox.due_backlog(services.database, services.clock.now()), 3.0)
        except Exception as exc:
            logger.warning("Metrics: the outbox backlog could not be read (%s)", exc)
            backlog = {}
        return Response(services.metrics.exposition(backlog), media_type=CONTENT_TYPE_LATEST)

    return metrics


def _programme_feed(services: Services) -> Any:
    feed = ProgrammeFeed()

    async def programme_calendar(request: Request) -> Response:
        """The whole programme in force, for anyone."""
        return _calendar(request, await feed.get(services.database, services.programme))

    return programme_calendar


def _personal_feed(services: Services) -> Any:
    async def personal_calendar(request: Request) -> Response:
        """One delegate's bookmarks; 404 for a token that is unknown or was revoked."""
        token = request.path_params["token"]
        feed = None
        if len(token) <= MAX_TOKEN:
            feed = await personal_feed(services.database, services.programme, token, services.clock.now())
        if feed is None:
            return Response(status_code=404)
        return _calendar(request, feed)

    return personal_calendar


def _calendar(request: Request, feed: FeedBody) -> Response:
    """The feed, or 304 when the calendar app already has it (If-None-Match first, else If-Modified-Since)."""
    headers = {"ETag": feed.etag, "Cache-Control": "private, max-age=300"}
    if feed.last_modified is not None:
        headers["Last-Modified"] = format_datetime(feed.last_modified.astimezone(UTC), usegmt=True)
    if _not_modified(request, feed):
        return Response(status_code=304, headers=headers)
    return Response(feed.body, media_type=CALENDAR_TYPE, headers=headers)


def _not_modified(request: Request, feed: FeedBody) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:  # RFC 9110: when both are sent, If-None-Match alone decides
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or feed.etag in tags
    since = request.headers.get("if-modified-since")
    if since is None or feed.last_modified is None:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return feed.last_modified.replace(microsecond=0) <= when


class _Server(uvicorn.Server):
    """uvicorn inside the bot's process: the bot, not uvicorn, handles SIGINT and SIGTERM (and stops both)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # uvicorn's own would re-raise the signal after serving, killing the process before the bot's shutdown.
        yield


class WebServer:
    """The ASGI application served by uvicorn on `host:port` (0: any free port) until `stop()`."""

    def __init__(self, asgi: Starlette, host: str, port: int) -> None:
        self.host = host
        self._requested_port = port
        config = uvicorn.Config(
            asgi, log_config=None, access_log=False, lifespan="off", server_header=False, timeout_graceful_shutdown=5
        )
        self._server = _Server(config)
        self._task: asyncio.Task[None] | None = None
        self.port = 0

    async def start(self) -> int:
        """Listen (an address in use raises OSError here) and serve in the background; returns the port."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self._requested_port))
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]), name="web-server")
        while not self._server.started:
            if self._task.done():
                self._task.result()
                raise RuntimeError("the web server stopped while starting")
            await asyncio.sleep(0.01)
        logger.info("Web server listening on %s:%d", self.host, self.port)
        return self.port

    async def stop(self) -> None:
        if self._task is None:
            return
        self._server.should_exit = True
        await self._task
        self._task = None
