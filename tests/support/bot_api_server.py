"""The local Bot API served over HTTP on 127.0.0.1, for running the real bot process against it.

Used by tests that start `python -m bot` as a subprocess and by the benchmarks under bench/.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.console.api import ApiError, LocalBotApi


def _decode(value: Any) -> Any:
    # PTB sends complex parameters (reply_markup, commands) JSON-encoded, inside a form or a JSON document.
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


class FakeBotApiServer:
    """`http://127.0.0.1:<port>/bot<token>/<method>` answered by a LocalBotApi."""

    def __init__(self, api: LocalBotApi | None = None) -> None:
        self.api = api or LocalBotApi()
        self._runner: web.AppRunner | None = None
        self.port = 0
        # (method, parameters) of every request as it arrived, before the API judged it; multipart boundaries
        # differ per request, so this is what "the same request" can mean.
        self.requests: list[tuple[str, dict[str, Any]]] = []
        # While set, every request gets this answer, getUpdates included, as from Telegram with a revoked token
        # (401) or during an outage (404); `refused` counts them.
        self.refusal: ApiError | None = None
        self.refused = 0
        self.downloads = 0  # files fetched from /file/bot<token>/...

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        files: dict[str, tuple[str | None, bytes, str]] = {}
        if request.content_type == "application/json":
            params.update({key: _decode(value) for key, value in (await request.json()).items()})
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = (value.filename, value.file.read(), value.content_type)
                else:
                    params[key] = _decode(str(value))
        self.requests.append((method, {**params, **{k: v[1] for k, v in files.items()}}))
        if self.refusal is not None:
            self.refused += 1
            return web.json_response(self.refusal.answer(), status=self.refusal.code)
        try:
            result = await self.api.handle(method, params, files)
        except ApiError as exc:
            return web.json_response(exc.answer(), status=exc.code)
        return web.json_response({"ok": True, "result": result})

    async def _file(self, request: web.Request) -> web.Response:
        """A download of a file getFile described (`documents/<file_id>`), as Telegram's file server serves it."""
        self.downloads += 1
        content = self.api.files.get(request.match_info["path"].rsplit("/", 1)[-1])
        return web.Response(body=content) if content is not None else web.Response(status=404, text="Not Found")

    async def start(self) -> FakeBotApiServer:
        app = web.Application(client_max_size=64 * 2**20)
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
