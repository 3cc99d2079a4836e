"""End to end: /privacy from the organisers' file in every language, its links from /start, /settings and /help,
and logs at INFO that name delegates by id only."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.console.api import Call
from bot.i18n import available_languages
from bot.privacy import LANGUAGES, PrivacyError, load_notice, parse_notice
from bot.storage.db import open_database
from bot.views import callback_data as cb
from tests.conftest import ROOT, BotHarness, make_harness
from tests.test_e2e_speakers import assert_phone_layout, flat, sends

BUNDLED = ROOT / "data" / "privacy.yaml"
MAX_MESSAGE = 4096

OWN_NOTICE = """
controller: "Ajuntament de Prova <Data Office>"
contact: "dades@prova.test"
dpo: ""
authority: "Autoritat Catalana de Protecció de Dades"
purpose: {en: "Helping delegates.", es: "Ayudar.", fr: "Aider.", de: "Helfen.", it: "Aiutare."}
legal_basis: {en: "Consent.", es: "Consentimiento.", fr: "Consentement.", de: "Einwilligung.", it: "Consenso."}
note: {de: "Mehr unter prova.test."}
"""


def only(calls: list[Call]) -> Call:
    (reply,) = sends(calls)
    assert_phone_layout(reply)
    assert len(reply.shown) <= MAX_MESSAGE
    return reply


async def test_privacy_in_english_names_the_controller_from_the_file_and_the_commands(harness: BotHarness) -> None:
    notice = load_notice(BUNDLED)
    assert notice is not None
    reply = only(await harness.say("/privacy"))
    for value in (notice.controller, notice.contact, notice.dpo, notice.authority, notice.purpose["en"]):
        assert value in reply.shown
    assert "/mydata" in reply.shown and "/forget" in reply.shown
    assert "first name" in reply.shown and "bookmarks" in reply.shown
    # The bundled conference ends on Wednesday 26 June 2024; RETENTION_DAYS defaults to 30.
    assert "Until Friday 26 July 2024, 30 days after the conference's last day" in reply.shown
    assert reply.button_labels == ["⚙️ Settings", "❓ Help"]


async def test_privacy_in_german_speaks_german_with_the_files_german_texts(harness: BotHarness) -> None:
    notice = load_notice(BUNDLED)
    assert notice is not None
    reply = only(await harness.say("/privacy", language="de"))
    assert notice.controller in reply.shown and notice.purpose["de"] in reply.shown
    assert notice.legal_basis["de"] in reply.shown and notice.note["de"] in reply.shown
    assert "Datenschutz" in reply.shown and "Ihre Rechte" in reply.shown
    assert "/mydata" in reply.shown and "/forget" in reply.shown
    assert "26. Juli 2024" in reply.shown


@pytest.mark.parametrize("code", available_languages())
async def test_every_language_fits_one_message_and_a_phone(harness: BotHarness, code: str) -> None:
    reply = only(await harness.say("/privacy", language=code))
    assert reply.text.count("<b>") == reply.text.count("</b>") >= 5


async def test_an_organisers_own_file_and_retention_are_shown_escaped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    own = tmp_path / "privacy.yaml"
    own.write_text(OWN_NOTICE, encoding="utf-8")
    caplog.set_level(logging.WARNING)
    async with make_harness(tmp_path, privacy_path=own, retention_days=1) as h:
        assert "placeholders" not in caplog.text
        reply = only(await h.say("/privacy", language="de"))
        assert "Ajuntament de Prova &lt;Data Office&gt;" in reply.text
        assert "Ajuntament de Prova <Data Office>" in reply.shown
        assert "dades@prova.test" in reply.shown and "Mehr unter prova.test." in reply.shown
        assert "Datenschutzbeauftragte" not in reply.shown  # no DPO given, no line for one
        assert "1 Tag nach dem letzten Konferenztag" in reply.shown
        (english,) = sends(await h.say("/privacy", user_id=43))
        assert "Mehr unter" not in english.shown  # a note in German only is not shown in English


async def test_a_missing_file_still_tells_what_is_stored_and_the_rights(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with make_harness(tmp_path, privacy_path=tmp_path / "absent.yaml") as h:
        reply = only(await h.say("/privacy"))
    assert "The organisers have not published their details yet" in reply.shown
    assert "/mydata" in reply.shown and "first name" in reply.shown
    assert "absent.yaml is not usable" in caplog.text


async def test_start_up_names_the_placeholders_left_in_the_bundled_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    async with make_harness(tmp_path):
        pass
    (warning,) = [r for r in caplog.records if "placeholders" in r.getMessage()]
    assert "contact" in warning.getMessage() and "legal_basis.en" in warning.getMessage()


async def test_start_settings_help_and_the_menu_lead_to_it(harness: BotHarness) -> None:
    (start,) = sends(await harness.say("/start"))
    assert "/privacy" in start.shown
    assert len(flat(start)) <= 10 and all(len(row) <= 2 for row in start.buttons)
    (settings,) = sends(await harness.say("/settings"))
    (button,) = [b for b in flat(settings) if b["callback_data"] == cb.PRIVACY]
    assert button["text"] == "🔒 Privacy"
    notice = only(await harness.press(settings, cb.PRIVACY))
    assert notice.method == "editMessageText" and "Who runs this bot" in notice.shown
    (back,) = sends(await harness.press(notice, cb.SETTINGS))
    assert "Settings" in back.shown and "Reminders" in back.shown
    (helped,) = sends(await harness.say("/help", language="fr"))
    assert "/privacy — " in helped.shown
    menu = next(c for c in harness.api.calls if c.method == "setMyCommands")
    assert "privacy" in [c["command"] for c in menu.params["commands"]]


async def test_logs_at_info_name_delegates_by_id_only(harness: BotHarness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    name, question = "Zebulonia", "Where does Zebulonia's quokka panel meet?"
    await harness.say("/start", user_id=4242, first_name=name)
    await harness.say(question, user_id=4242, first_name=name)
    (settings,) = sends(await harness.say("/settings", user_id=4242, first_name=name))
    await harness.press(settings, f"{cb.SETTINGS}|zebulonia|1", user_id=4242)
    info = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert any("4242" in line for line in info)  # the forged button is logged, by id
    assert not [line for line in info if "zebulonia" in line.lower() or "quokka" in line.lower()]


def test_the_file_needs_every_language_and_knows_no_other() -> None:
    with pytest.raises(PrivacyError, match=r"purpose: .*missing text for it"):
        parse_notice(OWN_NOTICE.replace(', it: "Aiutare."', ""))
    with pytest.raises(PrivacyError, match=r"note: .*unsupported language pt"):
        parse_notice(OWN_NOTICE.replace('note: {de: "Mehr unter prova.test."}', 'note: {pt: "Mais."}'))
    with pytest.raises(PrivacyError, match="authority"):
        parse_notice(OWN_NOTICE.replace('authority: "Autoritat Catalana de Protecció de Dades"', ""))
    with pytest.raises(PrivacyError, match="not valid YAML"):
        parse_notice("controller: [")
    assert parse_notice(OWN_NOTICE).placeholders() == []


def test_the_bundled_file_is_complete_and_marks_what_organisers_must_replace() -> None:
    notice = parse_notice(BUNDLED.read_text(encoding="utf-8"))
    assert set(notice.purpose) == set(notice.legal_basis) == set(LANGUAGES)
    left = notice.placeholders()
    assert {"controller", "contact", "dpo", "authority"} <= set(left)
    assert "example.org" in notice.contact  # never a real address until the organisers give one


async def test_the_readme_accounts_for_every_table_of_the_schema() -> None:
    db = await open_database(":memory:")
    try:
        rows = await db.execute_fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
    finally:
        await db.close()
    tables = {row[0] for row in rows if not row[0].startswith("sqlite_")}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### What is stored, why and for how long", 1)[1].split("\n### ", 1)[0]
    assert len(tables) > 10
    assert sorted(t for t in tables if f"`{t}`" not in section) == []
