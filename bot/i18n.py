"""Message catalogues: gettext `.po` files under bot/locale, compiled in memory with Babel at first use."""

from __future__ import annotations

import gettext
import io
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

logger = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT_LANGUAGE = "en"
DOMAIN = "messages"
# The bot's English is British ('organisers', 'Tue 25 June'); CLDR's plain English writes dates the American
# way ('Tue, June 25'), so English dates are formatted with the British locale.
FORMAT_LOCALES = {"en": "en_GB"}


def N_(message: str) -> str:
    """Mark a string for the catalogue where it is defined; it is translated later, where it is shown."""
    return message


@dataclass(frozen=True)
class Lang:
    """One user's language: translated texts and the Babel locale to format dates with."""

    code: str
    translations: gettext.NullTranslations

    def _(self, message: str) -> str:
        return self.translations.gettext(message)

    def n_(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    @property
    def locale(self) -> Locale:
        """The Babel locale dates are formatted with."""
        return _babel_locale(FORMAT_LOCALES.get(self.code, self.code))


@cache
def available_languages() -> tuple[str, ...]:
    """English and every language with a catalogue; read once, as the catalogues ship with the code."""
    found = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return tuple(sorted(found | {DEFAULT_LANGUAGE}))


def native_name(code: str) -> str:
    """A language as its speakers write it ('Español', 'Deutsch'), for choosing one in /settings."""
    name = _babel_locale(code).get_display_name(_babel_locale(code)) or code
    return name[:1].upper() + name[1:]


def is_language(code: object) -> bool:
    """A plain language code Babel knows ('es', 'pt'), whether or not the bot has its catalogue yet."""
    if not isinstance(code, str) or not code.isalpha() or not code.islower():
        return False
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def normalise(code: str | None) -> str:
    """Map a Telegram language_code ('pt-br', 'es') to a supported catalogue, else English."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in available_languages() else DEFAULT_LANGUAGE


@cache
def lang(code: str | None = None) -> Lang:
    chosen = normalise(code)
    return Lang(chosen, _translations(chosen))


@cache
def _translations(code: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=code)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


@cache
def _babel_locale(code: str) -> Locale:
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LANGUAGE)
