"""Every setting is documented in .env.example and the README, and nothing stale is documented."""

from __future__ import annotations

import re

from bot.settings import Settings
from tests.conftest import ROOT


def test_every_setting_is_documented_and_no_documented_key_is_stale() -> None:
    keys = {name.upper() for name in Settings.model_fields}
    example = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    readme = (ROOT / "README.md").read_text()
    assert len(keys) > 10
    assert sorted(keys - example) == []
    assert sorted(example - keys) == []
    assert sorted(k for k in keys if k not in readme) == []
