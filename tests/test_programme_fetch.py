"""Fetching PROGRAMME_URL from hostile servers on 127.0.0.1: a deadline for the whole read, the size limit while
downloading, no redirect to a private address, no credentials shown, and a programme size limit; meanwhile
every other delegate is answered."""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.console.api import Call
from bot.programme.errors import ProgrammeError
from bot.programme_updates.addresses import kind_of
from bot.programme_updates.fetch import ReadLimits, parse, shown_url
from bot.programme_updates.poll import poll
from tests.conftest import BotHarness, make_settings
from tests.support.programme_server import (
    ProgrammeServer,
    Respond,
    endless,
    fixed,
    programme_server,
    redirect,
    trickle,
)
from tests.test_e2e_reload import ADMIN, RELOAD, bot, follow

DELEGATE = 101
GUARD = 15.0  # a test whose fetch never ends fails after this, rather than hanging the run
SLOW = trickle(RELOAD.read_bytes(), every=0.05)  # about 65 s for the whole file
BUFFERED = 8 * 2**20  # more than a 1 MB limit plus the loopback's socket buffers


@asynccontextmanager
async def polling(tmp_path: Path, server: ProgrammeServer, **settings: Any) -> AsyncIterator[BotHarness]:
    """A bot whose PROGRAMME_URL is `server` (or `url`), with a delegate and the organiser known."""
    async with bot(tmp_path, programme_url=settings.pop("url", server.url), **settings) as (h, _path):
        await follow(h, DELEGATE, "s-panel")
        await h.say("/start", user_id=ADMIN)
        yield h


@asynccontextmanager
async def serving_bot(
    tmp_path: Path, respond: Respond, **settings: Any
) -> AsyncIterator[tuple[BotHarness, ProgrammeServer]]:
    async with programme_server(respond) as server, polling(tmp_path, server, **settings) as h:
        yield h, server


async def reload_reply(h: BotHarness, timeout: float = GUARD) -> Call:
    start = len(h.api.calls)
    h.api.send_text(ADMIN, "/reload")
    return await h.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == ADMIN, timeout, start)


async def test_a_trickling_server_is_cut_off_at_the_deadline(tmp_path: Path) -> None:
    """Before: a timeout per read, which one byte every 50 ms never reaches; the poll took as long as the file."""
    async with serving_bot(tmp_path, SLOW, programme_fetch_timeout=1) as (h, server):
        loop = asyncio.get_running_loop()
        started = loop.time()
        outcome = await asyncio.wait_for(poll(h.services), GUARD)
        assert loop.time() - started < 2.0
        assert outcome is not None and outcome.text == f"error: {server.url}: not read within 1 s"
        assert outcome.told_organisers == 1


async def test_a_delegate_is_answered_while_an_organisers_reload_trickles(tmp_path: Path) -> None:
    """The fetch runs on the event loop without blocking it, and only the organiser's own chat waits for it."""
    async with serving_bot(tmp_path, SLOW, programme_fetch_timeout=3) as (h, server):
        loop = asyncio.get_running_loop()
        started = loop.time()
        reload = asyncio.create_task(reload_reply(h))
        await asyncio.sleep(0.5)  # the organiser's /reload is now downloading
        assert server.exchanges and not reload.done()
        latencies = []
        for _ in range(3):
            asked = loop.time()
            (now,) = [c for c in await h.say("/now", user_id=DELEGATE) if c.chat_id == DELEGATE]
            latencies.append(loop.time() - asked)
            assert "Reload Summit starts in 23 days" in now.shown
        assert max(latencies) < 1.0, latencies
        assert not reload.done(), "the delegate was answered while the reload was still fetching"
        reply = await reload
        assert 3.0 <= loop.time() - started < 5.0
        assert reply.shown.startswith("⚠️ The programme was not updated.")
        assert f"{server.url}: not read within 3 s" in reply.shown


async def test_an_endless_response_is_cut_off_at_the_size_limit(tmp_path: Path) -> None:
    """Before: the whole answer was read into memory and only then measured (1 GB took the bot to 2.2 GB)."""
    async with serving_bot(tmp_path, endless(), programme_max_mb=1) as (h, server):
        loop = asyncio.get_running_loop()
        started = loop.time()
        outcome = await asyncio.wait_for(poll(h.services), GUARD)
        assert loop.time() - started < 2.0
        assert outcome is not None and outcome.text == f"error: {server.url}: larger than 1 MB"
        await asyncio.wait_for(server.hung_up.wait(), GUARD)
        # What was sent includes what the kernel buffers on the loopback (a few MB), not only what the bot read;
        # without the limit while reading, the bot would have taken the server's whole 30 s, some 180 MB.
        assert server.sent < BUFFERED, "the bot hung up once the limit was passed"


async def test_a_declared_length_over_the_limit_is_refused_before_the_body(tmp_path: Path) -> None:
    async with serving_bot(tmp_path, endless(declared=10**9), programme_max_mb=1) as (h, server):
        reply = await reload_reply(h)
        assert f"{server.url}: larger than 1 MB" in reply.shown
        await asyncio.wait_for(server.hung_up.wait(), GUARD)
        assert server.sent < BUFFERED


async def test_a_redirect_to_a_private_address_is_refused_unless_allowed(tmp_path: Path) -> None:
    """PROGRAMME_URL may point anywhere (the organiser chose it); a server must not send the bot inside the network."""
    async with programme_server(fixed(RELOAD.read_bytes())) as inside:
        port = inside.url.split(":")[2].split("/")[0]
        target = f"http://localhost:{port}/programme.yaml"  # another host name, on a loopback address
        async with programme_server(redirect(target)) as server:
            async with polling(tmp_path, server) as h:
                reply = await reload_reply(h)
                assert f"{server.url}: redirected to {target}, a loopback address" in reply.shown
                assert "PROGRAMME_ALLOW_PRIVATE_REDIRECTS" in reply.shown
                assert not inside.exchanges, "nothing was asked of the private address"
            (tmp_path / "allowed").mkdir()
            with_password = server.url.replace("http://", "http://ada:s3cr3t@")
            allowed = {"url": with_password, "programme_allow_private_redirects": True}
            async with polling(tmp_path / "allowed", server, **allowed) as h:
                reply = await reload_reply(h)
                assert reply.shown.startswith("✅ No changes:")
                assert len(inside.exchanges) == 1
                assert server.exchanges[-1].header("Authorization").startswith("Basic ")
                assert inside.exchanges[0].header("Authorization") == "", "the password stays with its host"


async def test_a_redirect_on_the_same_host_is_followed(tmp_path: Path) -> None:
    async with (
        programme_server(fixed(RELOAD.read_bytes())) as inside,
        serving_bot(tmp_path, redirect(inside.url)) as (h, _server),
    ):
        reply = await reload_reply(h)
        assert reply.shown.startswith("✅ No changes:")
        assert len(inside.exchanges) == 1


async def test_url_credentials_are_sent_but_never_shown_or_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    broken = RELOAD.read_bytes()[:300]
    async with programme_server(fixed(broken)) as server:
        secret_url = server.url.replace("http://", "http://ada:s3cr3t@")
        async with polling(tmp_path, server, url=secret_url) as h:
            reply = await reload_reply(h)
            assert reply.shown.startswith("⚠️ The programme was not updated.")
            assert server.url in reply.shown
            outcome = await poll(h.services)
            assert outcome is not None and outcome.told_organisers == 1
            await h.settle(ADMIN)
        told = [c.shown for c in h.api.sent(ADMIN)]
        expected = "Basic " + base64.b64encode(b"ada:s3cr3t").decode()
        assert [e.header("Authorization") for e in server.exchanges] == [expected, expected]
        assert not [text for text in told if "s3cr3t" in text or "ada:" in text]
        assert "s3cr3t" not in caplog.text


def programme_of(sessions: int, rooms: int) -> bytes:
    head = "conference: {name: Big, timezone: Europe/Madrid, days: [2024-06-25]}\nvenue: {name: V}\nrooms:\n"
    lines = [head, *(f"  - {{id: r{i}, name: Room {i}}}\n" for i in range(rooms)), "sessions:\n"]
    lines += [
        f'  - {{id: s{i}, title: Talk {i}, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: r{i % rooms}}}\n'
        for i in range(sessions)
    ]
    return "".join(lines).encode()


@pytest.mark.parametrize(
    ("sessions", "rooms", "expected"),
    [
        (21, 3, "big.yaml: 21 sessions: more than PROGRAMME_MAX_SESSIONS allows (20)"),
        (12, 6, "big.yaml: 6 rooms: more than PROGRAMME_MAX_ROOMS allows (5)"),
    ],
)
async def test_a_programme_over_the_size_limits_is_refused(
    tmp_path: Path, sessions: int, rooms: int, expected: str
) -> None:
    async with bot(tmp_path, programme_max_sessions=20, programme_max_rooms=5) as (h, _path):
        (reply,) = [
            c for c in await h.send_file(ADMIN, "big.yaml", programme_of(sessions, rooms)) if c.method == "sendMessage"
        ]
        assert reply.shown.startswith("⚠️ The programme was not updated.")
        assert expected in reply.shown
        (summary,) = [c for c in await h.send_file(ADMIN, "big.yaml", programme_of(20, 5)) if c.method == "sendMessage"]
        assert "big.yaml" in summary.shown and "20 sessions" in summary.shown, "at the limit is fine"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("10.1.2.3", "a private address"),
        ("192.168.0.10", "a private address"),
        ("fd00::1", "a private address"),
        ("169.254.169.254", "a link-local address"),  # cloud metadata
        ("fe80::1%eth0", "a link-local address"),
        ("100.64.0.1", "not a public address"),  # carrier-grade NAT
        ("0.0.0.0", "not a public address"),
        ("93.184.215.14", ""),
        ("2606:4700::1111", ""),
    ],
)
def test_which_addresses_a_redirect_may_not_lead_to(address: str, kind: str) -> None:
    assert kind_of(address) == kind


def test_the_shown_url_has_no_credentials() -> None:
    assert shown_url("https://ada:s%40cret@example.org:8443/p.json?x=1") == "https://example.org:8443/p.json?x=1"
    assert shown_url("https://token@example.org/p.json") == "https://example.org/p.json"
    assert shown_url("https://example.org/p.json") == "https://example.org/p.json"
    assert shown_url("data/programme.yaml") == "data/programme.yaml"


async def test_parsing_counts_against_the_same_deadline(tmp_path: Path) -> None:
    limits = ReadLimits.of(make_settings(tmp_path, programme_fetch_timeout=0.05))
    with pytest.raises(ProgrammeError) as info:
        await parse(programme_of(1000, 10), "big.yaml", None, limits)
    assert str(info.value) == "big.yaml: not read within 0.05 s"
