"""Small talk is answered as small talk, and only when nothing else is said."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.answer.engine import answer
from bot.answer.result import Frame, Kind
from bot.answer.small_talk import Social, small_talk, without_time_greeting
from bot.answer.text import fold, words
from bot.programme.model import Programme
from tests.conftest import BotHarness
from tests.test_e2e_ask import sends

NOW = datetime.fromisoformat("2024-06-25T11:00:00+02:00")


@pytest.mark.parametrize(
    ("said", "social"),
    [
        ("thanks!", Social.THANKS),
        ("Thank you very much", Social.THANKS),
        ("muchas gracias", Social.THANKS),
        ("merci beaucoup", Social.THANKS),
        ("vielen Dank", Social.THANKS),
        ("grazie mille", Social.THANKS),
        ("bye", Social.GOODBYE),
        ("au revoir", Social.GOODBYE),
        ("hasta luego", Social.GOODBYE),
        ("tschüss", Social.GOODBYE),
        ("good morning", Social.GREETING),
        ("¡Buenos días!", Social.GREETING),
        ("guten Morgen", Social.GREETING),
        ("bonsoir", Social.GREETING),
        ("ciao", Social.GREETING),
        ("what's your name?", Social.ABOUT_BOT),
        ("hello, who are you?", Social.ABOUT_BOT),
        ("¿qué puedes hacer?", Social.ABOUT_BOT),
        ("que peux-tu faire ?", Social.ABOUT_BOT),
        ("wer bist du", Social.ABOUT_BOT),
        ("come ti chiami?", Social.ABOUT_BOT),
    ],
)
def test_small_talk_is_recognised_in_five_languages(said: str, social: Social) -> None:
    assert small_talk(words(fold(said))) is social


@pytest.mark.parametrize(
    "said",
    [
        "thanks, and where is lunch?",
        "good morning, what's on now?",
        "morning sessions",
        "what can you do about parking",
        "what is good tomorrow morning",
        "buenas prácticas de financiación",
        "ok",
    ],
)
def test_anything_more_than_small_talk_is_a_question(said: str) -> None:
    assert small_talk(words(fold(said))) is None


def test_an_opening_good_morning_greets_and_names_no_time() -> None:
    assert without_time_greeting(fold("Good morning, what's on now?")) == "what's on now?"
    assert without_time_greeting(fold("¡Buenos días! ¿Quién habla?")) == "quien habla?"
    assert without_time_greeting(fold("what's a good evening event?")) == "what's a good evening event?"


def test_the_engine_answers_small_talk_without_searching(cmc: Programme) -> None:
    assert answer("thanks a lot!", cmc, NOW).kind is Kind.THANKS
    assert answer("goodbye", cmc, NOW).kind is Kind.GOODBYE
    assert answer("good morning", cmc, NOW).kind is Kind.EMPTY  # the greeting reply: what can be asked
    assert answer("what's your name", cmc, NOW).kind is Kind.HELP
    now = answer("good morning, what's on now?", cmc, NOW)
    assert now.kind is Kind.SESSIONS and now.frame is Frame.RUNNING  # on now, not 'the morning's sessions'
    assert now.scope is not None and not now.scope.windows


async def test_a_delegate_thanking_the_bot_in_spanish_is_answered_in_kind(harness: BotHarness) -> None:
    (reply,) = sends(await harness.say("¡Muchas gracias!", user_id=601, language="es"))
    assert reply.shown.startswith("😊 ¡De nada!") and "Cities Mission Conference 2024" in reply.shown
    (bye,) = sends(await harness.say("adiós", user_id=601, language="es"))
    assert bye.shown.startswith("👋 ¡Adiós")
