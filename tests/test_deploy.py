"""The container and service files say what the code does: files the Dockerfile copies exist, the commands they
run are the documented ones, dev tools stay out of the image, and the systemd unit is hardened.

Docker itself is not needed (CI does not build the image); these read the files.
"""

from __future__ import annotations

import json
import re
import shlex

import yaml

from bot.cli import build_parser
from bot.settings import Settings
from tests.conftest import ROOT

DOCUMENTED_RUN = ["python", "-m", "bot", "run"]
DEV_TOOLS = ("pytest", "ruff", "mypy", "[dev]", ".[dev]")


def _instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions (continuation lines joined, comments dropped) as (INSTRUCTION, arguments)."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    found = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def _exec_form(arguments: str) -> list[str]:
    command: list[str] = json.loads(arguments)
    return command


def test_every_file_the_dockerfile_copies_exists() -> None:
    copies = [args for word, args in _instructions() if word == "COPY"]
    assert copies
    for arguments in copies:
        *sources, _dest = shlex.split(arguments)
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: no such file in the repository"


def test_the_image_runs_the_documented_command_as_a_user_with_a_health_check() -> None:
    instructions = _instructions()
    words = [word for word, _ in instructions]
    assert instructions[0] == ("FROM", "python:3.12-slim")
    (cmd,) = [args for word, args in instructions if word == "CMD"]
    assert _exec_form(cmd) == DOCUMENTED_RUN
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert " ".join(DOCUMENTED_RUN) in readme
    (user,) = [args for word, args in instructions if word == "USER"]
    assert user not in ("root", "0") and words.index("USER") > words.index("RUN")
    (health,) = [args for word, args in instructions if word == "HEALTHCHECK"]
    command = _exec_form(health.split("CMD", 1)[1].strip())
    assert command[:3] == ["python", "-m", "bot"]
    build_parser().parse_args(command[3:])  # a command the bot has (argparse exits otherwise)
    (volume,) = [args for word, args in instructions if word == "VOLUME"]
    env = " ".join(args for word, args in instructions if word == "ENV")
    database = re.search(r"DATABASE_PATH=(\S+)", env)
    assert database and database.group(1).rsplit("/", 1)[0] in _exec_form(volume)


def test_the_image_installs_production_dependencies_only() -> None:
    runs = " ".join(args for word, args in _instructions() if word == "RUN")
    assert "pip install '.[semantic]'" in runs  # the model of meaning, not the tests' tools
    assert not any(tool in runs for tool in DEV_TOOLS) and "[dev" not in runs, runs


def test_compose_keeps_the_database_on_a_volume_and_restarts_the_bot() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    bot = compose["services"]["bot"]
    assert bot["restart"] == "unless-stopped"
    assert bot["env_file"] == ".env"
    volumes = [v.split(":") for v in bot["volumes"]]
    assert ["bot-data", "/var/lib/conference-bot"] in volumes
    assert "bot-data" in compose["volumes"]
    assert all(port.startswith("127.0.0.1:") for port in bot["ports"])  # behind the HTTPS reverse proxy


def _unit() -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in (ROOT / "deploy" / "conference-bot.service").read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def test_the_systemd_unit_is_hardened_and_runs_the_documented_command() -> None:
    unit = _unit()
    assert unit["ExecStart"][0].split()[1:] == DOCUMENTED_RUN[1:]
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "Restart": "on-failure",
        "UMask": "0077",
    }.items():
        assert unit[key] == [value], key
    database = next(v for v in unit["Environment"] if v.startswith("DATABASE_PATH="))
    folder = database.split("=", 1)[1].rsplit("/", 1)[0]
    assert folder in unit["ReadWritePaths"][0].split()


def test_the_deploy_settings_are_settings() -> None:
    keys = {name.upper() for name in Settings.model_fields}
    unit_keys = {v.split("=", 1)[0] for v in _unit()["Environment"]}
    docker_env = " ".join(args for word, args in _instructions() if word == "ENV")
    image_keys = set(re.findall(r"([A-Z_]+)=", docker_env)) - {
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONUNBUFFERED",
        "PIP_NO_CACHE_DIR",
        "PIP_DISABLE_PIP_VERSION_CHECK",
    }
    assert unit_keys <= keys and image_keys <= keys
