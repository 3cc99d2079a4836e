"""The bot speaks the delegate's language: complete catalogues, safe placeholders, and replies end to end."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from bot import i18n
from bot.answer.faq import FaqError, parse_faq
from bot.console.api import Call
from bot.reminders.queue import tick
from bot.storage.users import get_user
from bot.views.format import days_label
from tests.conftest import FIXTURES, ROOT, BotHarness, make_harness
from tests.support.outbox import get_by_key

TRANSLATED = ("es", "fr", "de", "it")
# The same keywords as `make messages`: Babel's defaults plus the project's own.
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "n_": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdgf]")
TAG = re.compile(r"<(/?)(\w+)[^>]*>")

Msgid = str | tuple[str, str]


def sends(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method in ("sendMessage", "editMessageText") and not c.error]


@cache
def source_msgids() -> tuple[Msgid, ...]:
    """Every catalogue text in the current source (not the committed template, which may be stale)."""
    found: dict[Msgid, None] = {}
    for folder in ("bot", "handlers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / folder), method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            key = message if isinstance(message, str) else (message[0], message[1])
            if key:
                found[key] = None
    return tuple(found)


@cache
def catalogue(code: str) -> Catalog:
    with (i18n.LOCALE_DIR / code / "LC_MESSAGES" / f"{i18n.DOMAIN}.po").open("rb") as fh:
        return read_po(fh, locale=code)


def pairs(msgid: Msgid, code: str) -> Iterator[tuple[str, str]]:
    """(English source, translation) for each form: form 0 follows the singular, the others the plural."""
    message = catalogue(code)[msgid[0] if isinstance(msgid, tuple) else msgid]
    assert message is not None
    if isinstance(msgid, tuple):
        assert isinstance(message.string, tuple)
        for n, form in enumerate(message.string):
            yield (msgid[0] if n == 0 else msgid[1]), form
    else:
        assert isinstance(message.string, str)
        yield msgid, message.string


def tags(text: str) -> Counter[str]:
    return Counter(m.group(0) for m in TAG.finditer(text))


def balanced(text: str) -> bool:
    stack: list[str] = []
    for m in TAG.finditer(text):
        closing, name = m.groups()
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


def test_the_extraction_finds_the_catalogue_texts() -> None:
    msgids = source_msgids()
    assert "Settings" in msgids and ("%(n)d session", "%(n)d sessions") in msgids
    assert "Welcome and main menu" in msgids  # marked with N_ where defined, translated where shown
    assert len(msgids) > 250


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_source_text_has_a_translation(code: str) -> None:
    cat = catalogue(code)
    problems = []
    for msgid in source_msgids():
        message = cat[msgid[0] if isinstance(msgid, tuple) else msgid]
        if message is None:
            problems.append(f"missing: {msgid!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        elif isinstance(msgid, tuple) != isinstance(message.string, tuple):
            problems.append(f"plural and singular mixed up: {msgid!r}")
        elif isinstance(message.string, tuple):
            if len(message.string) != cat.num_plurals or not all(f.strip() for f in message.string):
                problems.append(f"needs {cat.num_plurals} plural forms: {msgid!r}")
        elif not message.string.strip():
            problems.append(f"empty: {msgid!r}")
    assert not problems, f"{code}: run `make messages`, `pybabel update`, then translate:\n" + "\n".join(problems)


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalogue_states_the_plural_rule_of_its_language(code: str) -> None:
    expected = Catalog(locale=code)
    assert catalogue(code).num_plurals == expected.num_plurals
    assert catalogue(code).plural_expr == expected.plural_expr


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_placeholders_and_html(code: str) -> None:
    problems = []
    for msgid in source_msgids():
        if catalogue(code)[msgid[0] if isinstance(msgid, tuple) else msgid] is None:
            continue  # reported by the completeness test
        for english, translated in pairs(msgid, code):
            if Counter(PLACEHOLDER.findall(translated)) != Counter(PLACEHOLDER.findall(english)):
                problems.append(f"placeholders differ: {english!r} → {translated!r}")
            if "%" in PLACEHOLDER.sub("", translated).replace("%%", "") and "%" not in PLACEHOLDER.sub("", english):
                problems.append(f"a stray % would break formatting: {translated!r}")
            if tags(translated) != tags(english) or not balanced(translated):
                problems.append(f"HTML differs: {english!r} → {translated!r}")
    assert not problems, f"{code}:\n" + "\n".join(problems)


def test_every_translated_text_formats_with_the_values_the_code_gives() -> None:
    values = {name: 3 for msgid in source_msgids() for name in PLACEHOLDER.findall(str(msgid))}
    for code in TRANSLATED:
        for msgid in source_msgids():
            for _english, translated in pairs(msgid, code):
                if PLACEHOLDER.search(translated):
                    assert translated % values  # raises on a broken placeholder


@pytest.mark.parametrize(
    ("telegram", "chosen"),
    [
        ("es", "es"),
        ("es-ES", "es"),
        ("de_AT", "de"),
        ("FR", "fr"),
        ("it", "it"),
        ("ja", "en"),
        ("pt-br", "en"),
        (None, "en"),
    ],
)
def test_a_telegram_language_maps_to_a_catalogue_or_english(telegram: str | None, chosen: str) -> None:
    assert i18n.normalise(telegram) == chosen
    assert i18n.lang(telegram).code == chosen


def test_languages_are_offered_by_their_own_names() -> None:
    assert set(TRANSLATED) < set(i18n.available_languages())
    names = {code: i18n.native_name(code) for code in i18n.available_languages()}
    assert names == {"de": "Deutsch", "en": "English", "es": "Español", "fr": "Français", "it": "Italiano"}
    assert all(i18n.lang(code).locale.language == code for code in names)  # dates follow the same language


# --- end to end through the Bot API protocol -------------------------------------------------------------------
async def test_a_spanish_delegate_gets_start_a_day_and_a_card_in_spanish(harness: BotHarness) -> None:
    (menu,) = sends(await harness.say("/start", user_id=501, first_name="Ana", language="es"))
    assert "¡Hola, Ana!" in menu.shown and "Cities Mission Conference 2024" in menu.shown
    assert "mar, 25 de junio\u2009–\u2009mié, 26 de junio de 2024" in menu.shown  # CLDR's thin spaces
    assert "provisionales" in menu.shown
    assert menu.button_labels == [
        "📅 Programa",
        "⭐ Mi agenda",
        "⏱ Ahora",
        "⏭ Siguiente",
        "🎤 Ponentes",
        "📍 Sede",
        "⚙️ Ajustes",
        "❓ Ayuda",
    ]

    (days,) = sends(await harness.press(menu, "days", user_id=501))
    assert "elija un día" in days.shown
    assert days.button_labels == ["mar, 25 de junio · 15 sesiones", "mié, 26 de junio · 10 sesiones"]
    (tracks,) = sends(await harness.press(menu, days.buttons[1][0]["callback_data"], user_id=501))
    assert "miércoles, 26 de junio de 2024 · Líneas temáticas" in tracks.shown
    assert "Elija una línea temática (sus sesiones de ese día):" in tracks.shown
    assert tracks.button_labels[-4:] == ["Otras sesiones · 3", "📍 Por sala", "🕘 Por hora", "📅 Todos los días"]
    (day,) = sends(await harness.press(menu, "day|20240626|0", user_id=501))
    assert "miércoles, 26 de junio de 2024 · página 1 de 2" in day.shown
    assert "Horas en Europe/Madrid" in day.shown and "(provisional)" in day.shown
    assert "Después ▶" in day.button_labels and "⬅ mié, 26 de junio" in day.button_labels

    (card,) = sends(await harness.press(menu, "ses|cmc24-d1-inaugural", user_id=501))
    assert "🗓 mar, 25 de junio 09:30–10:15\n" in card.shown and "🎤 Ponentes" in card.shown
    assert "⚠️ Provisional: el programa oficial la sustituirá." in card.shown
    assert "📝 Nota de los organizadores: Reported by the press" in card.shown  # the note as the file has it
    assert card.shown.count("Provisional") == 1 and "will replace" not in card.shown
    assert "Inaugural session" in card.shown  # the programme stays as published
    assert card.button_labels[:3] == ["☆ Guardar en mi agenda", "🎤 María José Catalá", "🎤 Patrick Child"]
    assert card.button_labels[-2:] == ["⬅ Volver al mar, 25 de junio", "📤 Compartir"]


async def test_a_german_delegate_gets_help_in_german(harness: BotHarness) -> None:
    (reply,) = sends(await harness.say("/help", user_id=502, language="de"))
    assert "<b>Was ich für Cities Mission Conference 2024 kann</b>" in reply.text
    assert "/programme — Das Programm nach Tagen durchsehen" in reply.shown
    assert "/settings — Erinnerungen, Morgenübersicht und weitere Einstellungen" in reply.shown
    assert "Zeiten werden in der Zeitzone der Konferenz angezeigt." in reply.shown
    assert "⭐ Merkliste" in reply.button_labels and "What this bot can do" not in reply.shown


async def test_an_unsupported_language_falls_back_to_english(harness: BotHarness) -> None:
    (reply,) = sends(await harness.say("/start", user_id=503, first_name="Yuki", language="ja"))
    assert "Hello Yuki!" in reply.shown and "Tue 25 June – Wed 26 June 2024" in reply.shown
    assert reply.button_labels[0] == "📅 Programme"
    user = await get_user(harness.services.database, 503)
    assert user is not None and user.language == "en"


async def test_the_command_menu_is_registered_in_every_language(harness: BotHarness) -> None:
    registered = {
        c.params.get("language_code"): {d["command"]: d["description"] for d in c.params["commands"]}
        for c in harness.api.calls
        if c.method == "setMyCommands" and "scope" not in c.params
    }
    assert set(registered) == {None, *TRANSLATED}
    assert registered[None]["help"] == "What this bot can do"
    assert registered["es"]["help"] == "Qué puede hacer este bot"
    assert registered["fr"]["programme"] == "Parcourir le programme par jour"
    assert registered["de"]["now"] == "Was gerade läuft"
    assert registered["it"]["venue"] == "Sede, indirizzo e mappa"
    assert all(list(menu) == list(registered[None]) for menu in registered.values())


async def test_a_delegate_switches_language_in_settings(harness: BotHarness) -> None:
    (settings,) = sends(await harness.say("/settings", user_id=504, language="pt-br"))
    assert "🌐 Language: English" in settings.shown
    assert {"Deutsch", "✓ English", "Español", "Français", "Italiano"} <= set(settings.button_labels)

    calls = await harness.press(settings, "set|l|de", user_id=504)
    (changed,) = sends(calls)
    assert [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"] == ["Gespeichert."]
    assert "⚙️ <b>Einstellungen</b>" in changed.text and "🌐 Sprache: Deutsch" in changed.shown
    assert "✓ Deutsch" in changed.button_labels
    (menu,) = [c for c in calls if c.method == "setMyCommands"]  # the chat's menu follows the choice too
    assert menu.params["scope"] == {"type": "chat", "chat_id": 504}
    described = {d["command"]: d["description"] for d in menu.params["commands"]}
    assert described["help"] == "Was dieser Bot kann" and "broadcast" not in described
    user = await get_user(harness.services.database, 504)
    assert user is not None and user.language == "de"
    (helped,) = sends(await harness.say("/help", user_id=504, language="pt-br"))
    assert "Was dieser Bot kann" in helped.shown  # the choice outlives the phone's language

    calls = await harness.press(settings, "set|l|xx", user_id=504)
    assert "nicht mehr" in next(c.params["text"] for c in calls if c.method == "answerCallbackQuery")
    user = await get_user(harness.services.database, 504)
    assert user is not None and user.language == "de"


async def test_a_pending_reminder_follows_a_language_switch(tmp_path: Path) -> None:
    eve = datetime.fromisoformat("2024-06-24T18:00:00+02:00")
    async with make_harness(tmp_path, programme_path=FIXTURES / "agenda.yaml", now=eve) as h:
        (menu,) = sends(await h.say("/programme"))
        await h.press(menu, "ses|keynote")
        await h.press(h.api.messages[(42, menu.result["message_id"])], "bm|1c|keynote")
        h.clock.set(datetime.fromisoformat("2024-06-25T08:44:00+02:00"))
        await tick(h.services)
        key = "reminder:42:keynote:20240625T070000Z"
        queued = await get_by_key(h.services.database, key)
        assert queued is not None and queued.payload["text"].startswith("⏰ Starting soon:")

        (settings,) = sends(await h.say("/settings"))
        await h.press(settings, "set|l|de")
        queued = await get_by_key(h.services.database, key)
        assert queued is not None and queued.state == "pending"
        assert (
            queued.payload["text"].startswith("⏰ Beginnt gleich:")
            and "Di., 25. Juni 09:00–10:00" in queued.payload["text"]
        )


async def test_faq_answers_come_in_the_askers_language(harness: BotHarness) -> None:
    (spanish,) = sends(await harness.say("¿hay wifi en la sede?", user_id=505, language="es"))
    assert spanish.shown.startswith("Los datos de la wifi de la sede aún no se han publicado.")
    (italian,) = sends(await harness.say("come arrivare alla sede?", user_id=506, language="it"))
    assert "non sono ancora state pubblicate" in italian.shown and "Palau de la Música" in italian.shown
    assert italian.button_labels == ["🗺 Apri la mappa"]
    (german,) = sends(await harness.say("Ist das Programm endgültig?", user_id=507, language="de"))
    assert "Noch nicht:" in german.shown and "vorläufig" in german.shown
    (english,) = sends(await harness.say("is there wifi at the venue?", user_id=508))
    assert "Wi-Fi details for the venue have not been published yet." in english.shown


# --- the FAQ file's languages --------------------------------------------------------------------------------
FAQ_WITH = """
conference: Expo
entries:
  - id: tz
    ask: ["timezone"]
    answer: {answer}
"""


def faq_answer(answer: str) -> str:
    entry = parse_faq(FAQ_WITH.format(answer=answer)).entries[0]
    return " | ".join(entry.answer_in(code) for code in ("en", "es", "de"))


def test_faq_answers_per_language_fall_back_to_english() -> None:
    assert (
        faq_answer('"Times are {timezone}."') == "Times are {timezone}. | Times are {timezone}. | Times are {timezone}."
    )
    both = '{en: "Times are {timezone}.", es: "Las horas son {timezone}."}'
    assert faq_answer(both) == "Times are {timezone}. | Las horas son {timezone}. | Times are {timezone}."
    # A language the bot has no catalogue for yet is kept, not refused: the file stays usable.
    assert faq_answer('{en: "Times are {timezone}.", pt: "Horário: {timezone}."}').startswith("Times are")


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ('{es: "Hola"}', "en required"),
        ('{en: "Hi", xx: "Hi"}', "'xx' is not a language code"),
        ('{en: "Hi", ES: "Hola"}', "'ES' is not a language code"),
        ('{en: "Hi", es: ""}', "answer (tz).es: empty"),
        ('{en: "At {venue}.", fr: "Au lieu."}', "fr: placeholders differ"),
        ('{en: "Hi", es: [1]}', "answer (tz).es: empty"),
        ("[1, 2]", "en required"),
    ],
)
def test_faq_translations_are_validated(answer: str, reason: str) -> None:
    with pytest.raises(FaqError, match=re.escape(reason)):
        parse_faq(FAQ_WITH.format(answer=answer))


def test_the_shipped_faq_is_translated_with_the_same_placeholders() -> None:
    faq = parse_faq((ROOT / "data" / "faq.yaml").read_text(encoding="utf-8"))
    for entry in faq.entries:
        texts = dict(entry.translations)
        if re.sub(r"\{\w+\}", "", entry.answer).strip(" :.,"):  # words to translate, not only placeholders
            assert set(texts) == set(TRANSLATED), entry.id


@pytest.mark.parametrize(
    ("code", "month"),
    [("en", "September"), ("de", "September"), ("es", "septiembre"), ("fr", "septembre"), ("it", "settembre")],
)
def test_the_events_dates_name_the_month_whole(code: str, month: str) -> None:
    # CLDR's intervals shorten it in most languages ('mar 15 – gio 17 set 2037'); a delegate reads the month.
    shown = days_label(date(2037, 9, 15), date(2037, 9, 17), i18n.lang(code))
    assert month in shown and "2037" in shown and shown.count(month) <= 2, shown
