"""The organisers' part of the privacy notice: who runs the bot, the contacts, why and on what legal basis.

The file (data/privacy.yaml) is edited by organisers; the rest of /privacy (what is stored, for how long, the
delegate's rights) follows from the code and lives in the message catalogues. A value that still holds a marker
such as "(organisers: replace)" is a placeholder: the notice shows it as it is, and start-up warns about it.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

logger = logging.getLogger(__name__)

LANGUAGES = ("en", "es", "fr", "de", "it")
# "(organisers: replace)", "(organisers: confirm)": what organisers must still fill in or check.
PLACEHOLDER = re.compile(r"\(organisers?:[^)]*\)", re.IGNORECASE)
MAX_LINE = 300  # a name, an address, a contact
MAX_TEXT = 1200  # a purpose, a legal basis, the free note: the whole notice stays within one Telegram message


class PrivacyError(Exception):
    """The privacy file cannot be used; the message says where and why."""


def _per_language(texts: dict[str, str], *, required: bool = True) -> dict[str, str]:
    unknown = sorted(set(texts) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unsupported language {', '.join(unknown)} (supported: {', '.join(LANGUAGES)})")
    missing = [code for code in LANGUAGES if not texts.get(code)]
    if required and missing:
        raise ValueError(f"missing text for {', '.join(missing)} (give every one of {', '.join(LANGUAGES)})")
    too_long = [code for code, text in texts.items() if len(text) > MAX_TEXT]
    if too_long:
        raise ValueError(f"{', '.join(too_long)}: longer than {MAX_TEXT} characters")
    return texts


class PrivacyNotice(BaseModel):
    """Who runs the bot and why, as the organisers wrote it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    controller: str = Field(min_length=1, max_length=MAX_LINE)
    contact: str = Field(min_length=1, max_length=MAX_LINE)
    dpo: str = Field(default="", max_length=MAX_LINE)  # the data protection officer, where there is one
    authority: str = Field(min_length=1, max_length=MAX_LINE)  # where a delegate may complain
    purpose: dict[str, str]
    legal_basis: dict[str, str]
    note: dict[str, str] = {}  # anything else the organisers want to say; optional in every language

    @field_validator("purpose", "legal_basis")
    @classmethod
    def _every_language(cls, texts: dict[str, str]) -> dict[str, str]:
        return _per_language(texts)

    @field_validator("note")
    @classmethod
    def _any_language(cls, texts: dict[str, str]) -> dict[str, str]:
        return _per_language(texts, required=False)

    def placeholders(self) -> list[str]:
        """The fields (`purpose.en`, `contact` …) whose value still holds an organisers' marker."""
        values = {"controller": self.controller, "contact": self.contact, "dpo": self.dpo, "authority": self.authority}
        for name, texts in (("purpose", self.purpose), ("legal_basis", self.legal_basis), ("note", self.note)):
            values.update({f"{name}.{code}": text for code, text in texts.items()})
        return [name for name, value in values.items() if PLACEHOLDER.search(value)]


def parse_notice(text: str) -> PrivacyNotice:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PrivacyError(f"not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise PrivacyError("expected a mapping with controller, contact, authority, purpose and legal_basis")
    try:
        return PrivacyNotice.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}" for e in exc.errors())
        raise PrivacyError(problems) from exc


_loaded: dict[Path, tuple[int, PrivacyNotice | None]] = {}


def load_notice(path: Path) -> PrivacyNotice | None:
    """The notice at `path`, re-read when organisers change it; None (and an error in the log) when unusable."""
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1
    cached = _loaded.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    notice: PrivacyNotice | None = None
    try:
        notice = parse_notice(path.read_text(encoding="utf-8"))
    except (PrivacyError, OSError, UnicodeDecodeError) as exc:
        logger.error("Privacy notice %s is not usable: /privacy shows no controller until it is fixed: %s", path, exc)
    _loaded[path] = (stamp, notice)
    return notice


def check_notice(path: Path) -> PrivacyNotice | None:
    """Load the notice at start-up and warn while organisers have placeholders left to fill in."""
    notice = load_notice(path)
    if notice is not None and (left := notice.placeholders()):
        logger.warning(
            "Privacy notice %s still has placeholders for the organisers to fill in: %s", path, ", ".join(left)
        )
    return notice
