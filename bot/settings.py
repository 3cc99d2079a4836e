"""Configuration, read once from the environment (and `.env`) into a frozen object."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PROGRAMME = ROOT / "data" / "programme.yaml"
DEFAULT_DATABASE = ROOT / "var" / "bot.sqlite3"


class Settings(BaseSettings):
    """Every key is documented in `.env.example`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True)

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_token_refused_seconds: float = Field(default=300.0, gt=0)  # refused this long while polling: exit
    bot_username: str | None = None  # for links made offline (`signs`); the running bot asks Telegram (getMe)
    database_path: Path = DEFAULT_DATABASE
    programme_path: Path = DEFAULT_PROGRAMME
    programme_url: str | None = None  # fetched by /reload and, every PROGRAMME_POLL_MINUTES, by the bot
    programme_poll_minutes: float = Field(default=5.0, ge=0)  # 0: never poll
    programme_auto_apply: bool = False  # apply polled changes at once instead of asking the organisers
    programme_fetch_timeout: float = Field(default=60.0, gt=0)  # seconds for a whole read: download and parsing
    programme_max_mb: float = Field(default=20.0, gt=0)  # a larger download or file is refused while reading it
    programme_max_sessions: int = Field(default=5000, ge=1)
    programme_max_rooms: int = Field(default=500, ge=1)
    programme_allow_private_redirects: bool = False  # follow redirects to loopback or private addresses
    # A new version removing more than this share of the sessions in force is never applied without an
    # organiser's confirmation: not at start-up, not by PROGRAMME_AUTO_APPLY (a truncated file or feed).
    programme_max_removed_share: float = Field(default=0.2, ge=0, le=1)
    change_alert_debounce_minutes: float = Field(default=10.0, ge=0)  # imports this close merge into one alert
    event_timezone: str | None = None
    retention_days: int = Field(default=30, ge=0)  # personal data kept this long after the last day, then purged
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    bot_clock_start: datetime | None = None
    bot_clock_speed: float = Field(default=1.0, gt=0)
    send_rate_per_second: float = Field(default=30.0, gt=0)  # the bot's overall pace of messages (Telegram: 30)
    send_max_in_flight: int = Field(default=0, ge=0)  # outbox requests on the wire at once; 0: as the rate needs
    update_concurrency: int = Field(default=64, ge=1)  # updates handled at once (one chat's always in order)
    input_burst: int = Field(default=12, ge=1)  # updates one person may send at once before the excess is dropped
    input_per_second: float = Field(default=1.0, gt=0)  # ... and how fast that allowance refills
    log_level: str = "INFO"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_max_body_kb: int = Field(default=1024, ge=1)  # a larger webhook request is refused (413)
    http_port: int | None = Field(default=None, ge=0, le=65535)  # polling mode: serve feeds, /healthz, /metrics
    http_listen: str = "127.0.0.1"  # polling mode's HTTP address (webhook mode listens on WEBHOOK_LISTEN)
    public_url: str | None = None  # https://host: the calendar feeds' base; else WEBHOOK_URL's scheme and host
    backup_dir: Path | None = None  # a daily backup goes here (none when empty)
    backup_keep: int = Field(default=7, ge=1)  # ... and the newest this many are kept
    backup_hour: int = Field(default=4, ge=0, le=23)  # ... at this hour of event time
    faq_path: Path = ROOT / "data" / "faq.yaml"
    digest_time: time = time(8, 0)  # each delegate's morning message, in event time
    digest_latest: time = time(11, 0)  # a bot down at DIGEST_TIME sends it on start-up until then, else skips it
    runup_path: Path = ROOT / "data" / "runup.yaml"  # the run-up plan; re-read when it changes
    runup_tick_seconds: float = Field(default=30.0, gt=0)  # how often due run-up messages are looked for
    broadcast_tick_seconds: float = Field(default=3.0, gt=0)  # live progress edits, scheduled broadcasts
    privacy_path: Path = ROOT / "data" / "privacy.yaml"  # who runs the bot and why: /privacy shows it
    # FreeDict's dictd files (Debian: dict-freedict-deu-eng, -spa-eng, -fra-eng, -ita-eng): topic words asked in
    # another language than the programme's; the lookup file is kept beside the database.
    dictionary_dir: Path = Path("/usr/share/dictd")
    # Apertium's translation pairs (Debian: apertium-eng-spa, apertium-fr-es, apertium-spa-ita, with lttoolbox):
    # Spanish, French and Italian topic words FreeDict lacks; read into the same lookup file.
    apertium_dir: Path = Path("/usr/share/apertium")
    # WordNet's database (Debian: wordnet-base): the programme's own English word for a translation that is a
    # synonym of it ('nocturnal' → night); read into the same lookup file.
    wordnet_dir: Path = Path("/usr/share/wordnet")
    # The sentence-embedding model of the `semantic` extra, when installed: the session closest in meaning to a
    # question whose words found nothing. Off saves its memory (~70 MB) on a small server.
    semantic_answers: bool = True

    @property
    def dictionary_cache(self) -> Path:
        """The dictionary lookup file, beside the database."""
        return self.database_path.parent / "dictionary.sqlite3"

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        return value

    @field_validator(
        "telegram_bot_token",
        "webhook_secret",
        "event_timezone",
        "webhook_url",
        "programme_url",
        "public_url",
        "http_port",
        "backup_dir",
        mode="before",
    )
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("bot_clock_start")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("BOT_CLOCK_START needs a UTC offset, e.g. 2024-06-25T09:00:00+02:00")
        return value

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    @property
    def telegram_file_base_url(self) -> str:
        """Where files are downloaded from: beside the Bot API (`…/bot` → `…/file/bot`), as Telegram and a
        self-hosted Bot API server both lay it out."""
        base = self.telegram_api_base_url.rstrip("/")
        return base[: -len("bot")] + "file/bot" if base.endswith("/bot") else base + "/file/bot"

    @property
    def public_base_url(self) -> str | None:
        """Where delegates' calendar apps reach the bot's web server: PUBLIC_URL, else WEBHOOK_URL's origin."""
        if self.public_url:
            return self.public_url.rstrip("/")
        if self.webhook_url:
            parts = urlsplit(self.webhook_url)
            return f"{parts.scheme}://{parts.netloc}"
        return None

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids
