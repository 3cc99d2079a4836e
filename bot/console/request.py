"""PTB's HTTP boundary answered in process by a LocalBotApi: the console and the tests use it."""

from __future__ import annotations

import json
import re
from typing import Any

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from bot.console.api import LocalBotApi
from bot.console.rules import ApiError

_METHOD = re.compile(r"/bot[^/]*/(\w+)$")


class LocalRequest(BaseRequest):
    """PTB's HTTP boundary, answered by a LocalBotApi instead of the network."""

    def __init__(self, api: LocalBotApi) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a download of a file getFile described
            content = self.api.files.get(url.rsplit("/", 1)[-1])
            return (200, content) if content is not None else (404, b"Not Found")
        match = _METHOD.search(url)
        api_method = match.group(1) if match else url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        files = dict(request_data.multipart_data) if request_data and request_data.contains_files else {}
        try:
            result = await self.api.handle(api_method, params, files)
        except ApiError as exc:
            return exc.code, json.dumps(exc.answer()).encode()
        if self.api.lose_answer(api_method):
            raise TimedOut("Timed out: the request landed, its answer did not come back")
        return 200, json.dumps({"ok": True, "result": result}).encode()
