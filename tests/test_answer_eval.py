"""`python -m bot eval`: the questions file format, the judging, the exit status — and the pass rates."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.evaluate import Case, judge, read_cases, visible
from bot.views.reply import Button, Reply
from tests.conftest import ROOT, SHARED_SCHEDULES

PUBLIC = SHARED_SCHEDULES.parent / "qa" / "public.yaml"
OWN = ROOT / "tests" / "qa_own.yaml"
HOLDOUT = ROOT / "tests" / "qa_holdout.yaml"
FEST = ROOT / "tests" / "fixtures" / "answer-fest.yaml"


def test_cases_are_read_with_their_defaults(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(
        "cases:\n"
        '  - {programme: conference, q: "where?", expect_any: [a, b]}\n'
        '  - {programme: x.json, now: "2024-06-26T11:40:00+02:00", lang: es, q: "¿qué?", expect: ["11:30"],'
        " reject: [Error], timezone: Europe/Madrid}\n",
        encoding="utf-8",
    )
    first, second = read_cases(path)
    assert (first.programme, first.lang, first.now, first.expect_any) == ("conference", "en", None, ("a", "b"))
    assert second.now is not None and second.now.utcoffset() is not None
    assert (second.lang, second.expect, second.reject, second.timezone) == (
        "es",
        ("11:30",),
        ("Error",),
        "Europe/Madrid",
    )


def test_judging_is_case_insensitive_and_checks_all_three_lists() -> None:
    case = Case(1, "conference", "q", expect=("palau",), expect_any=("X", "madrid"), reject=("traceback",))
    assert judge(case, "Palau de la Música, Europe/Madrid") == []
    problems = judge(case, "Nothing. Traceback")
    assert problems == ["missing 'palau'", "none of ['X', 'madrid']", "contains 'traceback'"]


def test_the_judged_text_is_what_the_user_reads_buttons_included() -> None:
    reply = Reply("<b>Caf&amp;é</b> <i>x</i>", ((Button("Tue 25 June 09:30 Opening", "ses|a"),),))
    assert visible(reply) == "Caf&é x\nTue 25 June 09:30 Opening"


def test_eval_exits_non_zero_below_the_threshold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(
        "cases:\n"
        '  - {programme: answer-fest.yaml, q: "when is the kubernetes talk", expect: ["10:00", "Tide Stage"]}\n'
        '  - {programme: answer-fest.yaml, q: "weather?", expect: ["sunny"]}\n',
        encoding="utf-8",
    )
    args = ["eval", str(path), "--schedules", str(FEST.parent)]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "FAIL #2" in out and "missing 'sunny'" in out and "I found nothing in the programme" in out
    assert "1/2 cases pass (50.0 %)" in out
    assert main([*args, "--threshold", "50"]) == 0


def _rate(out: str) -> float:
    last = [line for line in out.splitlines() if "cases pass" in line][-1]
    return float(last.split("(")[1].split("%")[0])


def test_public_questions_pass(capsys: pytest.CaptureFixture[str]) -> None:
    if not PUBLIC.exists():
        pytest.skip(f"{PUBLIC} is not available")
    assert main(["eval", str(PUBLIC)]) == 0
    assert _rate(capsys.readouterr().out) >= 95.0


def test_our_own_questions_pass(capsys: pytest.CaptureFixture[str]) -> None:
    if not SHARED_SCHEDULES.exists():
        pytest.skip(f"{SHARED_SCHEDULES} is not available")
    assert main(["eval", str(OWN), "--schedules", str(SHARED_SCHEDULES)]) == 0
    assert _rate(capsys.readouterr().out) >= 95.0


def test_held_out_questions_pass(capsys: pytest.CaptureFixture[str]) -> None:
    if not SHARED_SCHEDULES.exists():
        pytest.skip(f"{SHARED_SCHEDULES} is not available")
    assert main(["eval", str(HOLDOUT), "--schedules", str(SHARED_SCHEDULES)]) == 0
    assert _rate(capsys.readouterr().out) >= 95.0
