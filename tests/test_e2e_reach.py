"""End to end (#17): deep links open their screen for someone the bot has never met, a link that no longer
resolves is answered kindly, the card's Share button, inline mode within the Bot API's limits, groups."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot import deep_links
from bot.console.api import ApiError, Call
from bot.inline import inline_sessions
from bot.programme.model import Programme
from bot.storage import bookmarks, users
from bot.views import callback_data as cb
from bot.views.agenda import CARD
from handlers import inline
from tests.conftest import BotHarness, make_harness, shared_schedule

WEDNESDAY_LATE_MORNING = datetime.fromisoformat("2024-06-26T11:40:00+02:00")
FOSDEM_SATURDAY = datetime.fromisoformat("2025-02-01T11:00:00+01:00")
BOT = "conference_companion_bot"
GROUP = {"id": -1001, "type": "supergroup", "title": "Delegates"}
NEW_USER = 5001


@pytest.fixture
async def h(tmp_path: Path) -> Any:
    async with make_harness(tmp_path, now=WEDNESDAY_LATE_MORNING) as harness:
        yield harness


def messages(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method in ("sendMessage", "editMessageText") and not c.error]


def one(calls: list[Call]) -> Call:
    (call,) = messages(calls)
    return call


def buttons(call: Call) -> list[dict[str, Any]]:
    return [b for row in call.buttons for b in row]


def screens(programme: Programme) -> dict[str, tuple[str, str]]:
    """Each kind of link in the bundled programme: its payload and a line only that screen starts with."""
    session = programme.session("cmc24-d2-governance-panel")
    assert session is not None
    speaker = next(sp for s in programme.sessions for sp in programme.speakers_of(s))
    room = programme.room(session.room_id)
    return {
        "session": (deep_links.session_payload(session), f"<b>{session.title}</b>"),
        "room": (deep_links.room_payload(room.id), f"📍 <b>{room.name}</b> · Wed 26 June"),
        "track": (deep_links.track_payload(session.track), f"🏷 <b>{session.track}</b> · Wed 26 June"),
        "speaker": (deep_links.speaker_payload(speaker), f"🎤 <b>{speaker.name}</b>"),
        "programme": (deep_links.PROGRAMME, f"<b>{programme.name}</b> — choose a day:"),
        "venue": (deep_links.VENUE, f"📍 <b>{programme.venue.name}</b>"),
    }


@pytest.mark.parametrize("kind", ["session", "room", "track", "speaker", "programme", "venue"])
async def test_a_deep_link_opens_its_screen_for_someone_new(h: BotHarness, kind: str) -> None:
    payload, starts = screens(h.services.programme)[kind]
    assert deep_links.ALLOWED.fullmatch(payload)
    assert await users.get_user(h.services.database, NEW_USER) is None
    reply = one(await h.say(f"/start {payload}", user_id=NEW_USER))
    assert reply.text.startswith(starts)
    user = await users.get_user(h.services.database, NEW_USER)
    assert user is not None and user.language == "en"  # first contact recorded


async def test_a_linked_card_is_in_the_users_language_with_its_share_button(h: BotHarness) -> None:
    session = h.services.programme.session("cmc24-d2-governance-panel")
    assert session is not None
    card = one(await h.say(f"/start {deep_links.session_payload(session)}", user_id=NEW_USER, language="de-AT"))
    user = await users.get_user(h.services.database, NEW_USER)
    assert user is not None and user.language == "de"  # first contact, in the app's language
    share = [b for b in buttons(card) if "switch_inline_query" in b]
    assert share == [{"text": "📤 Teilen", "switch_inline_query": "s:cmc24-d2-governance-panel"}]
    assert "☆ Auf die Merkliste" in card.button_labels


async def test_a_room_link_shows_what_is_on_in_that_room_now(h: BotHarness) -> None:
    programme = h.services.programme
    session = programme.session("cmc24-d2-governance-panel")
    assert session is not None
    reply = one(await h.say(f"/start {deep_links.room_payload(session.room_id)}", user_id=NEW_USER))
    assert "(on now)" in reply.text or "next in this room" in reply.text


async def test_a_link_to_a_removed_session_says_so_and_offers_the_same_time(h: BotHarness) -> None:
    programme = h.services.programme
    gone = next(s for s in programme.sessions if len(s.title) < 100 and deep_links.at_the_same_time(programme, s))
    h.services.programmes.replace(replace(programme, sessions=tuple(s for s in programme.sessions if s is not gone)))
    reply = one(await h.say(f"/start {deep_links.session_payload(gone)}", user_id=NEW_USER))
    assert reply.text.startswith(f"“{gone.title}” (")
    assert "is no longer in the programme." in reply.text and "At the same time:" in reply.text
    same_time = deep_links.at_the_same_time(h.services.programme, gone)
    assert same_time
    opened = [b["callback_data"] for b in buttons(reply) if b.get("callback_data", "").startswith("ses|")]
    assert opened == [f"ses|{s.key}" for s in same_time[:7]]
    assert reply.button_labels[-1] == "📅 Programme"


async def test_a_link_to_a_session_no_version_ever_had_is_answered_plainly(h: BotHarness) -> None:
    reply = one(await h.say("/start s_never-there", user_id=NEW_USER))
    assert reply.text == "That session is no longer in the programme."
    assert reply.button_labels == ["📅 Programme"]


@pytest.mark.parametrize("payload", ["garbage", "x_", "r_00000000", "p_nobody", "menu!", "a" * 65])
async def test_a_payload_that_leads_nowhere_gets_a_one_line_note(h: BotHarness, payload: str) -> None:
    reply = one(await h.say(f"/start {payload}", user_id=NEW_USER))
    first_line, _, rest = reply.text.partition("\n\n")
    if payload.startswith(("r_", "p_")):  # a room or speaker that may have been there: the days instead
        assert (
            first_line
            == "<i>That link leads to something no longer in the programme, so here are the days instead.</i>"
        )
        assert "choose a day:" in rest
    else:
        assert first_line == "<i>That link does not lead anywhere I know, so here is the main menu.</i>"
        assert rest.startswith("Hello Delegate! I am the companion bot")


async def test_payloads_of_a_real_export_fit_telegram_and_resolve_back() -> None:
    from bot.programme.loader import load_programme

    programme = load_programme(shared_schedule("fosdem-2025-pentabarf.xml"))
    for s in programme.sessions:
        for payload in (deep_links.session_payload(s), deep_links.room_payload(s.room_id)):
            assert deep_links.ALLOWED.fullmatch(payload), payload
        target = deep_links.parse(deep_links.session_payload(s))
        assert target is not None and deep_links.find_session(programme, target.key) is s
        if s.track:
            key = deep_links.track_payload(s.track).partition("_")[2]
            assert deep_links.track_of(programme, key) == s.track
    for sp in programme.speakers:
        key = deep_links.speaker_payload(sp).partition("_")[2]
        assert deep_links.find_speaker(programme, key) is sp


# --- inline mode ---------------------------------------------------------------------------------------------
async def ask_inline(h: BotHarness, query: str, offset: str = "", language: str = "en", user_id: int = 42) -> Call:
    start = len(h.api.calls)
    h.api.inline_query(user_id, query, offset=offset, language=language)
    return await h.api.wait_for(lambda c: c.method == "answerInlineQuery", start=start)


def results(call: Call) -> list[dict[str, Any]]:
    assert not call.error, call.error  # the fake Bot API checks Telegram's limits on every answer
    found = call.params["results"]
    assert isinstance(found, list) and len(found) <= 50
    assert all(1 <= len(r["id"].encode()) <= 64 for r in found)
    return found


async def test_the_share_button_query_finds_exactly_that_session_with_a_deep_link(h: BotHarness) -> None:
    card = one(await h.press(one(await h.say("/programme")).result, "ses|cmc24-d2-governance-panel"))
    (share,) = [b["switch_inline_query"] for b in buttons(card) if "switch_inline_query" in b]
    answer = await ask_inline(h, share)
    (result,) = results(answer)
    session = h.services.programme.session("cmc24-d2-governance-panel")
    assert session is not None
    assert result["type"] == "article" and result["id"] == deep_links.session_payload(session)
    message = result["input_message_content"]
    assert message["parse_mode"] == "HTML" and message["message_text"].startswith(f"<b>{session.title}</b>")
    # Forwarded anywhere, the card says the time is not confirmed (the bundled programme is provisional).
    assert "🗓 Wed 26 June 11:30–12:30 (provisional)" in message["message_text"]
    assert "(provisional)" in result["description"]
    link = f"https://t.me/{BOT}?start={deep_links.session_payload(session)}"
    assert result["reply_markup"]["inline_keyboard"] == [[{"text": "📲 Open in the bot", "url": link}]]
    assert answer.params["is_personal"] is True and 0 < int(answer.params["cache_time"]) <= 300


async def test_inline_results_page_with_next_offset_and_stop_at_the_end(
    h: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inline, "PAGE_SIZE", 4)
    expected = [deep_links.session_payload(s) for s in inline_sessions("climate", h.services.programme, h.clock.now())]
    assert len(expected) > 8  # three pages at least
    seen: list[str] = []
    offset = ""
    for _ in range(20):
        answer = await ask_inline(h, "climate", offset)
        page = results(answer)
        assert 1 <= len(page) <= 4
        seen += [r["id"] for r in page]
        offset = str(answer.params.get("next_offset") or "")
        if not offset:
            break
    assert seen == expected
    beyond = await ask_inline(h, "climate", str(len(expected)))
    assert results(beyond) == [] and not beyond.params.get("next_offset")


async def test_an_empty_inline_query_lists_what_is_on_now_and_next(h: BotHarness) -> None:
    page = results(await ask_inline(h, ""))
    now = h.clock.now()
    listed = [h.services.programme.session(r["id"].partition("_")[2]) for r in page]
    assert listed and all(s is not None and s.end > now for s in listed)


async def test_inline_results_are_in_the_askers_language_and_escaped(h: BotHarness) -> None:
    (result, *_) = results(await ask_inline(h, "governance", language="fr"))
    assert result["reply_markup"]["inline_keyboard"][0][0]["text"] == "📲 Ouvrir dans le bot"
    text = result["input_message_content"]["message_text"]
    assert "<" not in text.replace("<b>", "").replace("</b>", "").replace("<i>", "").replace("</i>", "")


async def test_inline_stars_show_the_askers_bookmarks_only(h: BotHarness) -> None:
    await h.say("/start")
    await bookmarks.add_bookmark(h.services.database, 42, "cmc24-d2-governance-panel", h.clock.now())
    mine = results(await ask_inline(h, "s:cmc24-d2-governance-panel"))
    theirs = results(await ask_inline(h, "s:cmc24-d2-governance-panel", user_id=77))
    assert mine[0]["title"].startswith("★ ") and not theirs[0]["title"].startswith("★")
    assert "★" not in mine[0]["input_message_content"]["message_text"]  # what is sent to the chat is no one's


async def test_an_inline_query_of_a_real_export_stays_within_the_limits(tmp_path: Path) -> None:
    path = shared_schedule("fosdem-2025-pentabarf.xml")
    async with make_harness(tmp_path, programme_path=path, now=FOSDEM_SATURDAY) as h:
        first = await ask_inline(h, "rust")
        page = results(first)
        assert len(page) == inline.PAGE_SIZE and first.params["next_offset"] == str(inline.PAGE_SIZE)
        second = results(await ask_inline(h, "rust", first.params["next_offset"]))
        assert second and not {r["id"] for r in second} & {r["id"] for r in page}


async def test_the_fake_bot_api_refuses_what_telegram_refuses(h: BotHarness) -> None:
    """The limits the inline tests rely on are enforced: too many results, a long id."""
    update = h.api.inline_query(42, "(answered by the test)")
    query_id = update["inline_query"]["id"]
    article = {"type": "article", "title": "t", "input_message_content": {"message_text": "x"}}
    with pytest.raises(ApiError, match="RESULTS_TOO_MUCH"):
        await h.api.handle(
            "answerInlineQuery",
            {"inline_query_id": query_id, "results": [{**article, "id": str(i)} for i in range(51)]},
            {},
        )
    with pytest.raises(ApiError, match="RESULT_ID_INVALID"):
        await h.api.handle(
            "answerInlineQuery", {"inline_query_id": query_id, "results": [{**article, "id": "x" * 65}]}, {}
        )


# --- groups --------------------------------------------------------------------------------------------------
async def test_in_a_group_the_bot_answers_only_when_addressed(h: BotHarness) -> None:
    start = len(h.api.calls)
    h.api.send_text(42, "where is the venue?", chat=GROUP)
    h.api.send_text(43, "/venue")  # someone else in private, so the test knows the first was handled
    await h.api.wait_for(lambda c: c.chat_id == 43, start=start)
    await h.replies(start)
    assert [c for c in h.api.calls[start:] if c.chat_id == GROUP["id"]] == []
    addressed = messages(await h.say(f"@{BOT} where is the venue?", chat=GROUP))
    assert addressed and {c.chat_id for c in addressed} == {GROUP["id"]}
    replied = messages(await h.say("and what is on now?", chat=GROUP, extra={"reply_to_message": addressed[0].result}))
    assert replied and {c.chat_id for c in replied} == {GROUP["id"]}


@pytest.mark.parametrize("command", ["/my", "/settings", "/mydata", "/forget", f"/my@{BOT}"])
async def test_personal_commands_in_a_group_offer_the_private_chat_and_show_nothing(
    h: BotHarness, command: str
) -> None:
    await h.say("/start")
    await bookmarks.add_bookmark(h.services.database, 42, "cmc24-d2-governance-panel", h.clock.now())
    calls = await h.say(command, chat=GROUP)
    reply = one(calls)
    assert reply.chat_id == GROUP["id"] and "private chat" in reply.text
    assert buttons(reply) == [{"text": "🔒 Continue in private", "url": f"https://t.me/{BOT}?start=menu"}]
    assert not [c for c in calls if c.method in ("sendDocument", "sendPhoto")]
    assert "governance" not in reply.text.lower()
    welcome = one(await h.say("/start menu"))
    assert welcome.text.startswith("Hello Delegate!")


async def test_a_programme_answer_in_a_group_stars_no_ones_bookmarks(h: BotHarness) -> None:
    await h.say("/start")
    await bookmarks.add_bookmark(h.services.database, 42, "cmc24-d2-governance-panel", h.clock.now())
    in_private = one(await h.say("governance panel"))
    assert any(label.startswith("★") for label in in_private.button_labels)
    in_group = one(await h.say(f"@{BOT} governance panel", chat=GROUP))
    assert in_group.chat_id == GROUP["id"] and not any("★" in label for label in in_group.button_labels)


async def test_a_bookmark_button_pressed_in_a_group_points_to_the_private_chat(h: BotHarness) -> None:
    await h.say("/start")
    in_group = {"message_id": 900, "date": 0, "chat": GROUP, "text": "a card someone asked for"}
    calls = await h.press(in_group, cb.bookmark("cmc24-d2-governance-panel", True, CARD))
    alerts = [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"]
    assert alerts and "private chat" in str(alerts[0])
    assert await bookmarks.bookmarked_ids(h.services.database, 42) == frozenset()


# --- the bot's profile ---------------------------------------------------------------------------------------
async def test_the_profile_is_set_per_language_once_and_kept_when_unchanged(h: BotHarness) -> None:
    await h.run_job("profile")
    profile = h.api.profile
    assert profile[("name", "")] == "CMC 2024 companion"
    for code in ("", "es", "fr", "de", "it"):
        assert profile[("short_description", code)] and profile[("description", code)]
        assert len(profile[("description", code)]) <= 512 and len(profile[("short_description", code)]) <= 120
    assert profile[("description", "es")] != profile[("description", "")]
    assert h.api.sent(methods=("setChatMenuButton",))
    start = len(h.api.calls)
    await h.run_job("profile")  # a restart with the same texts: read, not written again
    assert not [c for c in h.api.calls[start:] if c.method.startswith("setMy")]


async def test_a_refused_profile_name_is_logged_and_not_retried(
    h: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    h.api.failures["setMyName"] = [ApiError(429, "Too Many Requests: retry after 3600", retry_after=3600)]
    start = len(h.api.calls)
    with caplog.at_level(logging.WARNING):
        await h.run_job("profile")
    assert [c.method for c in h.api.calls[start:]].count("setMyName") == 1
    assert "refused the bot's name" in caplog.text
    assert one(await h.say("/venue")).text.startswith("📍")  # the bot goes on as before


def test_an_id_telegram_would_refuse_in_a_payload_becomes_a_short_stable_hash(h: BotHarness) -> None:
    programme = h.services.programme
    odd = replace(programme.sessions[0], id="talk/42 über·alles")
    changed = replace(programme, sessions=(odd, *programme.sessions[1:]))
    payload = deep_links.session_payload(odd)
    assert re.fullmatch(r"s_h[0-9a-f]{16}", payload) and payload == deep_links.session_payload(odd)
    target = deep_links.parse(payload)
    assert target is not None and deep_links.find_session(changed, target.key) is odd
    assert deep_links.parse("s_" + "x" * 63) is None and deep_links.parse("s_a b") is None
