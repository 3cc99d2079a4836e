"""`python -m bot eval`: the questions file format, the judging, the exit status — and the pass rates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from babel.dates import get_month_names

from bot.cli import main
from bot.evaluate import Case, Programmes, judge, read_cases, visible
from bot.programme.model import Programme
from bot.views.reply import Button, Reply
from tests.conftest import ROOT, SHARED_SCHEDULES

PUBLIC = SHARED_SCHEDULES.parent / "qa" / "public.yaml"
OWN = ROOT / "tests" / "qa_own.yaml"
HOLDOUT = ROOT / "tests" / "qa_holdout.yaml"
FEST = ROOT / "tests" / "fixtures" / "answer-fest.yaml"
ROUND2 = ROOT / "tests" / "qa_round2.yaml"
ROUND3 = ROOT / "tests" / "qa_round3.yaml"


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


def test_eval_prints_figures_per_language_and_kind_and_counts_wrong_facts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(
        "cases:\n"
        '  - {programme: answer-fest.yaml, kind: when, q: "when is the kubernetes talk", expect: ["10:00"]}\n'
        '  - {programme: answer-fest.yaml, kind: when, lang: de, q: "wann ist der Kubernetes-Vortrag",'
        ' expect: ["10:00"], reject: ["Kubernetes"]}\n',
        encoding="utf-8",
    )
    assert main(["eval", str(path), "--schedules", str(FEST.parent)]) == 1
    out = capsys.readouterr().out
    assert "by language: en 1/1, de 0/1" in out and "by kind: when 1/2" in out
    assert "wrong facts stated (a rejected string in the reply): 1" in out


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


# --- The round-two held-out set (issue 15): only its shape is checked here. It is NOT run through the engine
# in the suite: it was written before the round-two changes and its first run is the generalisation figure.
ROUND2_KEYS = {"kind", "programme", "q", "lang", "now", "expect", "expect_any", "reject", "timezone"}
ROUND2_KINDS = {"colloquial", "trap", "crosslang", "twopart", "exact", "data", "answerlang", "ordinary"}
# Strings in `expect` that are the bot's words rather than programme data: status words, 'starts in' /
# 'is over' around the event, and month names that tell the reply's language.
MONTHS = {"october", "oktober", "octubre", "octobre", "ottobre", "junio"}
REPLY_WORDS = {"starts in", "over", "cancelled", "provisional"} | MONTHS


def _data_text(programme: Programme) -> str:
    """Everything a reply may quote from the programme: titles, rooms, capacities, speakers, venue, times."""
    rooms = {r.id: r for r in programme.rooms}
    speakers = {s.id: s for s in programme.speakers}
    parts = [programme.name]
    if programme.venue:
        parts += [programme.venue.name, programme.venue.address]
    parts += [f"{r.name} {r.capacity or ''}" for r in programme.rooms]
    for s in programme.sessions:
        parts += [s.title, rooms[s.room_id].name if s.room_id in rooms else "", s.track, f"{s.start:%H:%M}"]
        parts += [f"{s.start:%H:%M}–{s.end:%H:%M}", f"{s.day:%a} {s.day.day} {s.day:%B}"]
        people = [speakers[i] for i in s.speaker_ids if i in speakers]
        parts += [f"{p.name} {p.role} {p.organisation}" for p in people]
    return "\n".join(parts).lower()


# --- The round-three held-out set: only its shape is checked here, never its answers. Like round two it is
# NOT run through the engine in the suite: it was written without looking at the engine or its replies, so
# its first run is a generalisation figure. Its own programme (public health, food and culture in Lisbon,
# December) is new, so month names of December in the five languages tell the reply's language.
ROUND3_MONTHS = {"december", "dezember", "diciembre", "décembre", "dicembre", "agosto", "août"}
ROUND3_MONTHS |= {"septiembre", "septembre", "settembre"}
ROUND3_REPLY_WORDS = REPLY_WORDS | ROUND3_MONTHS
ROUND3_OWN = "round3-conference.yaml"


def test_round_three_programme_has_what_its_questions_rely_on() -> None:
    programme = Programmes(ROOT / "data" / "programme.yaml", [ROOT / "tests" / "fixtures"], None).get(ROUND3_OWN)
    used = {s.room_id for s in programme.sessions}
    empty = [r.name for r in programme.rooms if r.id not in used]
    assert empty == ["Meeting Room 12"]
    assert {s.status.value for s in programme.sessions} >= {"confirmed", "cancelled", "provisional"}
    names = {s.name for s in programme.speakers}
    assert {"Rose Baker", "Tom Hope", "Lena Fisher"} <= names
    assert len({s.track for s in programme.sessions if s.track}) >= 4 and len(programme.days) == 3


# --- The round-four held-out set: only its shape is checked here, never its answers. Like rounds two and three
# it is NOT run through the engine in the suite: it was written without looking at the engine or its replies,
# so its first run is a generalisation figure. Its own programme (energy, buildings, water and education in
# Helsinki, February) is new again; February's names tell the reply's language ('Februar' is part of
# 'February', so those cases also reject the other languages' names).
ROUND4 = ROOT / "tests" / "qa_round4.yaml"
ROUND4_MONTHS = {"february", "februar", "febrero", "février", "febbraio", "june", "juni", "junio", "giugno"}
ROUND4_MONTHS |= {"august", "août", "agosto", "september", "septiembre", "septembre", "settembre"}
ROUND4_REPLY_WORDS = REPLY_WORDS | ROUND4_MONTHS
ROUND4_OWN = "round4-conference.yaml"


def test_round4_programme_has_what_its_questions_rely_on() -> None:
    programme = Programmes(ROOT / "data" / "programme.yaml", [ROOT / "tests" / "fixtures"], None).get(ROUND4_OWN)
    assert str(programme.timezone) == "Europe/Helsinki" and len(programme.days) == 3
    used = {s.room_id for s in programme.sessions}
    empty = [r.name for r in programme.rooms if r.id not in used]
    assert empty == ["Committee Room 9"]
    assert len(used) == 6 and [r.name for r in programme.rooms if r.capacity is None] == ["Glass Foyer"]
    statuses = [s.status.value for s in programme.sessions]
    assert statuses.count("cancelled") == 1 and statuses.count("provisional") == 1
    names = {s.name for s in programme.speakers}
    assert {"Kate Miller", "Sam Bishop", "Anna Fields"} <= names
    assert len({s.track for s in programme.sessions if s.track}) >= 4 and len(programme.sessions) >= 45


# --- Rounds five and six: written by separate sessions after this session's first changes and run once, after
# the changes they judge (their first runs are in the README). Their own programmes are Ljubljana in October and
# Gdańsk in December; the December names tell the reply's language (none contains another).
ROUND5 = ROOT / "tests" / "qa_round5.yaml"
ROUND6 = ROOT / "tests" / "qa_round6.yaml"
ROUND7 = ROOT / "tests" / "qa_round7.yaml"  # Porto in July, written after round six's first run
ROUND8 = ROOT / "tests" / "qa_round8.yaml"  # Tallinn in June, written after round seven's
ROUND9 = ROOT / "tests" / "qa_round9.yaml"  # Aarhus in October, written at the start of session eight
ROUND10 = ROOT / "tests" / "qa_round10.yaml"  # Kraków in March, written at the start of session nine
ROUND11 = ROOT / "tests" / "qa_round11.yaml"  # Trondheim in January, written at the start of session ten
ROUND12 = ROOT / "tests" / "qa_round12.yaml"  # Graz in May, written mid-session ten
ROUND13 = ROOT / "tests" / "qa_round13.yaml"  # Dubrovnik in September, written for round thirteen
ROUND14 = ROOT / "tests" / "qa_round14.yaml"  # Ljubljana in March, written for round fourteen
ROUND15 = ROOT / "tests" / "qa_round15.yaml"  # Naples in November, written for round fifteen
ROUND16 = ROOT / "tests" / "qa_round16.yaml"  # Tampere in February, written for round sixteen
ROUND17 = ROOT / "tests" / "qa_round17.yaml"  # Leuven in April, written for round seventeen
ROUND18 = ROOT / "tests" / "qa_round18.yaml"  # Ghent in May, written for round eighteen
ROUND19 = ROOT / "tests" / "qa_round19.yaml"  # Porto in October, written for round nineteen
ROUND20 = ROOT / "tests" / "qa_round20.yaml"  # Malmö in March, written for round twenty
ROUND21 = ROOT / "tests" / "qa_round21.yaml"  # Bologna in January, written for round twenty-one
ROUND22 = ROOT / "tests" / "qa_round22.yaml"  # Lyon in November, written for round twenty-two
ROUND23 = ROOT / "tests" / "qa_round23.yaml"  # Vilnius in June, written for round twenty-three
ROUND24 = ROOT / "tests" / "qa_round24.yaml"  # Seville in April, written for round twenty-four
ROUND25 = ROOT / "tests" / "qa_round25.yaml"  # Rotterdam in September, written for round twenty-five
ROUND26 = ROOT / "tests" / "qa_round26.yaml"  # Bratislava in February, written for round twenty-six
ROUND27 = ROOT / "tests" / "qa_round27.yaml"  # Cork in July, written for round twenty-seven
ROUND28 = ROOT / "tests" / "qa_round28.yaml"  # Thessaloniki in May, written for round twenty-eight
ROUND29 = ROOT / "tests" / "qa_round29.yaml"  # Antwerp in October, written for round twenty-nine
ROUND30 = ROOT / "tests" / "qa_round30.yaml"  # Zaragoza in November, written for round thirty
ROUND31 = ROOT / "tests" / "qa_round31.yaml"  # Marseille in April, written for round thirty-one
ROUND32 = ROOT / "tests" / "qa_round32.yaml"  # Wrocław in September, written for round thirty-two
ROUND33 = ROOT / "tests" / "qa_round33.yaml"  # Linz in March, written for round thirty-three
ROUND34 = ROOT / "tests" / "qa_round34.yaml"  # Sofia in May, written for round thirty-four
ROUND35 = ROOT / "tests" / "qa_round35.yaml"  # Tampere in September, written for round thirty-five
ROUND36 = ROOT / "tests" / "qa_round36.yaml"  # Bratislava in November, written for round thirty-six
ROUND37 = ROOT / "tests" / "qa_round37.yaml"  # Valletta in August, written for round thirty-seven
ROUND38 = ROOT / "tests" / "qa_round38.yaml"  # Bergen in October, written for round thirty-eight
ROUND39 = ROOT / "tests" / "qa_round39.yaml"  # Seville in March, written for round thirty-nine
ROUND40 = ROOT / "tests" / "qa_round40.yaml"  # Riga in September, written for round forty
ROUND41 = ROOT / "tests" / "qa_round41.yaml"  # Lisbon in November, written for round forty-one
ROUND42 = ROOT / "tests" / "qa_round42.yaml"  # Innsbruck in February, written for round forty-two
ROUND43 = ROOT / "tests" / "qa_round43.yaml"  # Nantes in May, written for round forty-three
ROUND44 = ROOT / "tests" / "qa_round44.yaml"  # Bilbao in October, written for round forty-four
ROUND45 = ROOT / "tests" / "qa_round45.yaml"  # Cluj-Napoca in April, written for round forty-five
ROUND46 = ROOT / "tests" / "qa_round46.yaml"  # Budapest in May, written for round forty-six
ROUND47 = ROOT / "tests" / "qa_round47.yaml"  # Trieste in October, written for round forty-seven
ROUND48 = ROOT / "tests" / "qa_round48.yaml"  # Gdańsk in November, written for round forty-eight
ROUND49 = ROOT / "tests" / "qa_round49.yaml"  # Tallinn in September, written for round forty-nine
ROUND50 = ROOT / "tests" / "qa_round50.yaml"  # Luxembourg in October, written for round fifty
ROUND51 = ROOT / "tests" / "qa_round51.yaml"  # Palermo in November, written for round fifty-one
ROUND52 = ROOT / "tests" / "qa_round52.yaml"  # Lausanne in June, written for round fifty-two
ROUND53 = ROOT / "tests" / "qa_round53.yaml"  # Brno in March, written for round fifty-three
ROUND54 = ROOT / "tests" / "qa_round54.yaml"  # Groningen in April, written for round fifty-four
ROUND55 = ROOT / "tests" / "qa_round55.yaml"  # Cádiz in January, written for round fifty-five
ROUND56 = ROOT / "tests" / "qa_round56.yaml"  # Turin in February, written for round fifty-six
ROUND57 = ROOT / "tests" / "qa_round57.yaml"  # Ghent in February, written for round fifty-seven
ROUND58 = ROOT / "tests" / "qa_round58.yaml"  # Seville in February, written for round fifty-eight
ROUND59 = ROOT / "tests" / "qa_round59.yaml"  # Kraków in January, written for round fifty-nine
ROUND60 = ROOT / "tests" / "qa_round60.yaml"  # Marseille in March, written for round sixty
ROUND61 = ROOT / "tests" / "qa_round61.yaml"  # Rotterdam in January, written for round sixty-one
ROUND62 = ROOT / "tests" / "qa_round62.yaml"  # Bilbao in November, written for round sixty-two
ROUND63 = ROOT / "tests" / "qa_round63.yaml"  # Genoa in November, written for round sixty-three
ROUND64 = ROOT / "tests" / "qa_round64.yaml"  # Leipzig in December, written for round sixty-four
ROUND65 = ROOT / "tests" / "qa_round65.yaml"  # Nantes in January, written for round sixty-five
ROUND66 = ROOT / "tests" / "qa_round66.yaml"  # Porto in March, written for round sixty-six
ROUND67 = ROOT / "tests" / "qa_round67.yaml"  # Vienna in November, written for round sixty-seven
ROUND68 = ROOT / "tests" / "qa_round68.yaml"  # Palermo in September, written for round sixty-eight
# Every month name in the five languages (Babel): the reply's language is told by the month it prints.
EVERY_MONTH = {
    m.lower() for loc in ("en", "de", "es", "fr", "it") for m in get_month_names("wide", locale=loc).values()
}
ROUND5_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH
ROUND8_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"tallinn", "eest", "utc+03:00", "+03:00", "utc+3"}
ROUND9_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"copenhagen", "cest", "utc+02:00", "+02:00", "utc+2"}
ROUND7_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"lisbon", "west", "utc+01:00", "+01:00", "utc+1"}
ROUND6_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"warsaw", "cet", "utc+01:00", "+01:00", "utc+1"}
ROUND11_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"oslo", "cet", "utc+01:00", "+01:00", "utc+1"}
ROUND12_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"vienna", "cest", "utc+02:00", "+02:00", "utc+2"}
ROUND13_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"zagreb", "cest", "utc+02:00", "+02:00", "utc+2"}
ROUND14_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"ljubljana", "cet", "utc+01:00", "+01:00", "utc+1"}
ROUND15_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"rome", "cet", "utc+01:00", "+01:00", "utc+1"}
ROUND16_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"helsinki", "eet", "utc+02:00", "+02:00", "utc+2"}
ROUND17_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"brussels", "cest", "utc+02:00", "+02:00", "utc+2"}
ROUND18_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"brussels", "cest", "utc+02:00", "+02:00", "utc+2"}
# Porto on 15-17 October 2036 is still on summer time (WEST, UTC+1); the clocks go back on 26 October.
ROUND19_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"lisbon", "west", "utc+01:00", "+01:00", "utc+1"}
# Malmö on 24-26 March 2037 is still on winter time (CET, UTC+1); the clocks go forward on 29 March.
ROUND20_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"stockholm", "cet", "utc+01:00", "+01:00", "utc+1"}
# Bologna on 21-23 January 2037 is on winter time (CET, UTC+1).
ROUND21_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"rome", "cet", "utc+01:00", "+01:00", "utc+1"}
# Lyon on 17-19 November 2037 is on winter time (CET, UTC+1); the clocks went back on 25 October.
ROUND22_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"paris", "cet", "utc+01:00", "+01:00", "utc+1"}
# Vilnius on 2-4 June 2037 is on summer time (EEST, UTC+3).
ROUND23_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"vilnius", "eest", "utc+03:00", "+03:00", "utc+3"}
# Seville on 28-30 April 2037 is on summer time (CEST, UTC+2); the clocks went forward on 29 March.
ROUND24_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"madrid", "cest", "utc+02:00", "+02:00", "utc+2"}
# Rotterdam on 23-25 September 2037 is on summer time (CEST, UTC+2); the clocks go back on 25 October.
ROUND25_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"amsterdam", "cest", "utc+02:00", "+02:00", "utc+2"}
# Bratislava on 17-19 February 2037 is on winter time (CET, UTC+1); the clocks go forward on 29 March.
ROUND26_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"bratislava", "cet", "utc+01:00", "+01:00", "utc+1"}
# Cork on 1-3 July 2037 is on summer time (IST, UTC+1); the clocks go back on 25 October.
ROUND27_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"dublin", "ist", "utc+01:00", "+01:00", "utc+1"}
# Thessaloniki on 19-21 May 2037 is on summer time (EEST, UTC+3); the clocks went forward on 29 March.
ROUND28_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"thessaloniki", "athens", "eest", "utc+03:00", "+03:00", "utc+3"}
# Antwerp on 13-15 October 2037 is still on summer time (CEST, UTC+2); the clocks go back on 25 October.
ROUND29_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"brussels", "antwerp", "cest", "utc+02:00", "+02:00", "utc+2"}
# Zaragoza on 16-18 November 2037 is on winter time (CET, UTC+1); the clocks went back on 25 October.
ROUND30_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"madrid", "zaragoza", "cet", "utc+01:00", "+01:00", "utc+1"}
# Marseille on 15-17 April 2037 is on summer time (CEST, UTC+2); the clocks went forward on 29 March.
ROUND31_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"paris", "marseille", "cest", "utc+02:00", "+02:00", "utc+2"}
# Wrocław on 15-17 September 2037 is on summer time (CEST, UTC+2); the clocks go back on 25 October.
ROUND32_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"warsaw", "wroclaw", "cest", "utc+02:00", "+02:00", "utc+2"}
# Linz on 9-11 March 2038 is on winter time (CET, UTC+1); the clocks go forward on 28 March.
ROUND33_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"vienna", "linz", "cet", "utc+01:00", "+01:00", "utc+1"}
# Sofia on 18-20 May 2038 is on summer time (EEST, UTC+3); the clocks went forward on 28 March.
ROUND34_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"sofia", "eest", "utc+03:00", "+03:00", "utc+3"}
# Tampere on 14-16 September 2038 is on summer time (EEST, UTC+3); the clocks go back on 31 October.
ROUND35_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"helsinki", "tampere", "eest", "utc+03:00", "+03:00", "utc+3"}
# Bratislava on 10-12 November 2037 is on winter time (CET, UTC+1); the clocks went back on 25 October.
ROUND36_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"bratislava", "cet", "utc+01:00", "+01:00", "utc+1"}
# Valletta on 18-20 August 2037 is on summer time (CEST, UTC+2); the clocks go back on 25 October.
ROUND37_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"malta", "valletta", "cest", "utc+02:00", "+02:00", "utc+2"}
# Bergen on 5-7 October 2038 is still on summer time (CEST, UTC+2); the clocks go back on 31 October.
ROUND38_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"oslo", "bergen", "cest", "utc+02:00", "+02:00", "utc+2"}
# Seville on 2-4 March 2038 is on winter time (CET, UTC+1); the clocks go forward on 28 March.
ROUND39_REPLY_WORDS = (
    REPLY_WORDS | EVERY_MONTH | {"madrid", "seville", "sevilla", "cet", "utc+01:00", "+01:00", "utc+1"}
)
# Riga on 28-30 September 2038 is on summer time (EEST, UTC+3); the clocks go back on 31 October.
ROUND40_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"riga", "eest", "utc+03:00", "+03:00", "utc+3"}
# Lisbon on 24-26 November 2038 is on winter time (WET, UTC+00:00); the clocks went back on 31 October.
ROUND41_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"lisbon", "lisboa", "wet", "utc+00:00", "+00:00", "utc", "gmt"}
# Innsbruck on 16-18 February 2038 is on winter time (CET, UTC+1); the clocks go forward on 28 March.
ROUND42_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"vienna", "innsbruck", "cet", "utc+01:00", "+01:00", "utc+1"}
# Nantes on 12-14 May 2038 is on summer time (CEST, UTC+2); the clocks went forward on 28 March.
ROUND43_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"paris", "nantes", "cest", "utc+02:00", "+02:00", "utc+2"}
# Bilbao on 12-14 October 2038 is still on summer time (CEST, UTC+2); the clocks go back on 31 October.
ROUND44_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"madrid", "bilbao", "cest", "utc+02:00", "+02:00", "utc+2"}
# Cluj-Napoca on 27-29 April 2038 is on summer time (EEST, UTC+3); the clocks went forward on 28 March.
ROUND45_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"bucharest", "cluj", "eest", "utc+03:00", "+03:00", "utc+3"}
# Budapest on 26-28 May 2038 is on summer time (CEST, UTC+2); the clocks went forward on 28 March.
ROUND46_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"budapest", "cest", "utc+02:00", "+02:00", "utc+2"}
# Trieste on 19-21 October 2038 is still on summer time (CEST, UTC+2); the clocks go back on 31 October.
ROUND47_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"rome", "trieste", "cest", "utc+02:00", "+02:00", "utc+2"}
# Gdańsk on 16-18 November 2038 is on winter time (CET, UTC+1); the clocks went back on 31 October.
ROUND48_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"warsaw", "gdansk", "gdańsk", "cet", "utc+01:00", "+01:00", "utc+1"}
# Tallinn on 6-8 September 2039 is on summer time (EEST, UTC+3); the clocks go back on 30 October.
ROUND49_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"tallinn", "eest", "utc+03:00", "+03:00", "utc+3"}
# Luxembourg on 4-6 October 2039 is still on summer time (CEST, UTC+2); the clocks go back on 30 October.
ROUND50_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"luxembourg", "cest", "utc+02:00", "+02:00", "utc+2"}
# Palermo on 15-17 November 2039 is on winter time (CET, UTC+1); the clocks went back on 30 October.
ROUND51_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"palermo", "cet", "utc+01:00", "+01:00", "utc+1"}
# Lausanne on 28-30 June 2039 is on summer time (CEST, UTC+2); the clocks went forward on 27 March.
ROUND52_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"lausanne", "cest", "utc+02:00", "+02:00", "utc+2"}
# Brno on 2-4 March 2039 is on winter time (CET, UTC+1); the clocks go forward on 27 March.
ROUND53_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"brno", "cet", "utc+01:00", "+01:00", "utc+1"}
# Groningen on 24-26 April 2040 is on summer time (CEST, UTC+2); the clocks went forward on 25 March.
ROUND54_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"groningen", "cest", "utc+02:00", "+02:00", "utc+2"}
# Cádiz on 17-19 January 2040 is on winter time (CET, UTC+1); the clocks go forward on 25 March.
ROUND55_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"cadiz", "cádiz", "cet", "utc+01:00", "+01:00", "utc+1"}
# Turin on 6-8 February 2041 is on winter time (CET, UTC+1); the clocks go forward on 31 March.
ROUND56_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"torino", "turin", "cet", "utc+01:00", "+01:00", "utc+1"}
# Ghent on 26-28 February 2041 is on winter time (CET, UTC+1); the clocks go forward on 31 March.
ROUND57_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"gent", "ghent", "gand", "cet", "utc+01:00", "+01:00", "utc+1"}
# Seville on 15-17 February 2040 is on winter time (CET, UTC+1); the clocks go forward on 25 March.
ROUND58_REPLY_WORDS = (
    REPLY_WORDS | EVERY_MONTH | {"sevilla", "seville", "séville", "siviglia", "cet", "utc+01:00", "+01:00", "utc+1"}
)
# Kraków on 15-17 January 2041 is on winter time (CET, UTC+1); the clocks go forward on 31 March.
ROUND59_REPLY_WORDS = (
    REPLY_WORDS
    | EVERY_MONTH
    | {"kraków", "krakow", "cracovie", "cracovia", "krakau", "cet", "utc+01:00", "+01:00", "utc+1"}
)
# Marseille on 5-7 March 2041 is on winter time (CET, UTC+1); the clocks go forward on 31 March.
ROUND60_REPLY_WORDS = (
    REPLY_WORDS | EVERY_MONTH | {"marseille", "marsella", "marsiglia", "cet", "utc+01:00", "+01:00", "utc+1"}
)
# Rotterdam on 16-18 January 2041 is on winter time (CET, UTC+1); the clocks go forward on 31 March.
ROUND61_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"rotterdam", "róterdam", "cet", "utc+01:00", "+01:00", "utc+1"}
# Bilbao on 14-16 November 2040 is on winter time (CET, UTC+1); the clocks went back on 28 October.
ROUND62_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"bilbao", "bilbo", "cet", "utc+01:00", "+01:00", "utc+1"}
# Genoa on 13-15 November 2041 is on winter time (CET, UTC+1); the clocks went back on 27 October.
ROUND63_REPLY_WORDS = (
    REPLY_WORDS | EVERY_MONTH | {"genova", "genoa", "gênes", "génova", "genua", "cet", "utc+01:00", "+01:00", "utc+1"}
)
# Leipzig on 3-5 December 2041 is on winter time (CET, UTC+1); the clocks went back on 27 October.
ROUND64_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"leipzig", "lipsia", "cet", "utc+01:00", "+01:00", "utc+1"}
# Nantes on 22-24 January 2042 is on winter time (CET, UTC+1); the clocks go forward on 30 March.
ROUND65_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"nantes", "cet", "utc+01:00", "+01:00", "utc+1"}
# Porto on 4-6 March 2043 is on winter time (WET, UTC+00:00); the clocks go forward on 29 March.
ROUND66_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"porto", "wet", "utc+00:00", "+00:00", "gmt"}
# Vienna on 12-14 November 2042 is on winter time (CET, UTC+1); the clocks went back on 26 October.
ROUND67_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"wien", "vienna", "cet", "utc+01:00", "+01:00", "utc+1"}
# Palermo on 24-26 September 2042 is on summer time (CEST, UTC+2); the clocks go back on 26 October.
ROUND68_REPLY_WORDS = REPLY_WORDS | EVERY_MONTH | {"palermo", "cest", "utc+02:00", "+02:00", "utc+2"}


@dataclass(frozen=True)
class HeldOut:
    """What a held-out set promises about itself: its size, its languages, its kinds, its own programme."""

    path: Path
    own: str
    least: int
    non_english: float
    german: int
    each_other: int
    own_share: tuple[float, float]
    reply_words: frozenset[str]
    every_reject: bool = True
    crosslang: float = 0.0


HELD_OUT = {
    "round2": HeldOut(ROUND2, "round2-conference.yaml", 200, 0.42, 30, 20, (1 / 3, 1.0), frozenset(REPLY_WORDS), False),
    "round3": HeldOut(ROUND3, ROUND3_OWN, 220, 0.5, 45, 20, (0.4, 0.6), frozenset(ROUND3_REPLY_WORDS)),
    "round4": HeldOut(ROUND4, ROUND4_OWN, 200, 0.55, 45, 25, (0.5, 0.7), frozenset(ROUND4_REPLY_WORDS), True, 0.25),
    "round5": HeldOut(
        ROUND5, "round5-conference.yaml", 220, 0.75, 58, 36, (0.55, 0.75), frozenset(ROUND5_REPLY_WORDS), True, 0.25
    ),
    "round6": HeldOut(
        ROUND6, "round6-conference.yaml", 230, 0.75, 60, 38, (0.55, 0.75), frozenset(ROUND6_REPLY_WORDS), True, 0.25
    ),
    "round7": HeldOut(
        ROUND7, "round7-conference.yaml", 230, 0.75, 60, 38, (0.55, 0.75), frozenset(ROUND7_REPLY_WORDS), True, 0.25
    ),
    "round8": HeldOut(
        ROUND8, "round8-conference.yaml", 220, 0.75, 58, 36, (0.55, 0.75), frozenset(ROUND8_REPLY_WORDS), True, 0.25
    ),
    "round9": HeldOut(
        ROUND9, "round9-conference.yaml", 240, 0.75, 55, 45, (0.55, 0.7), frozenset(ROUND9_REPLY_WORDS), True, 0.25
    ),
    "round10": HeldOut(
        ROUND10, "round10-conference.yaml", 250, 0.8, 60, 55, (0.55, 0.75), frozenset(ROUND6_REPLY_WORDS), True, 0.25
    ),
    "round11": HeldOut(
        ROUND11, "round11-conference.yaml", 280, 0.8, 60, 55, (0.55, 0.75), frozenset(ROUND11_REPLY_WORDS), True, 0.25
    ),
    "round12": HeldOut(
        ROUND12, "round12-conference.yaml", 280, 0.8, 60, 55, (0.55, 0.75), frozenset(ROUND12_REPLY_WORDS), True, 0.25
    ),
    "round13": HeldOut(
        ROUND13, "round13-conference.yaml", 280, 0.8, 60, 55, (0.55, 0.75), frozenset(ROUND13_REPLY_WORDS), True, 0.25
    ),
    "round14": HeldOut(
        ROUND14, "round14-conference.yaml", 280, 0.8, 60, 55, (0.55, 0.75), frozenset(ROUND14_REPLY_WORDS), True, 0.25
    ),
    "round15": HeldOut(
        ROUND15, "round15-conference.yaml", 280, 0.8, 60, 55, (0.55, 0.75), frozenset(ROUND15_REPLY_WORDS), True, 0.25
    ),
    "round16": HeldOut(
        ROUND16, "round16-conference.yaml", 280, 0.8, 60, 55, (0.55, 0.75), frozenset(ROUND16_REPLY_WORDS), True, 0.25
    ),
    "round17": HeldOut(
        ROUND17, "round17-conference.yaml", 280, 0.8, 60, 55, (0.55, 0.75), frozenset(ROUND17_REPLY_WORDS), True, 0.25
    ),
    "round18": HeldOut(
        ROUND18, "round18-conference.yaml", 280, 0.8, 62, 56, (0.55, 0.75), frozenset(ROUND18_REPLY_WORDS), True, 0.25
    ),
    "round19": HeldOut(
        ROUND19, "round19-conference.yaml", 280, 0.8, 62, 56, (0.55, 0.75), frozenset(ROUND19_REPLY_WORDS), True, 0.25
    ),
    "round20": HeldOut(
        ROUND20, "round20-conference.yaml", 280, 0.8, 62, 56, (0.55, 0.75), frozenset(ROUND20_REPLY_WORDS), True, 0.25
    ),
    "round21": HeldOut(
        ROUND21, "round21-conference.yaml", 280, 0.8, 62, 56, (0.55, 0.75), frozenset(ROUND21_REPLY_WORDS), True, 0.25
    ),
    "round22": HeldOut(
        ROUND22, "round22-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND22_REPLY_WORDS), True, 0.28
    ),
    "round23": HeldOut(
        ROUND23, "round23-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND23_REPLY_WORDS), True, 0.28
    ),
    "round24": HeldOut(
        ROUND24, "round24-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND24_REPLY_WORDS), True, 0.28
    ),
    "round25": HeldOut(
        ROUND25, "round25-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND25_REPLY_WORDS), True, 0.28
    ),
    "round26": HeldOut(
        ROUND26, "round26-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND26_REPLY_WORDS), True, 0.28
    ),
    "round27": HeldOut(
        ROUND27, "round27-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND27_REPLY_WORDS), True, 0.28
    ),
    "round28": HeldOut(
        ROUND28, "round28-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND28_REPLY_WORDS), True, 0.28
    ),
    "round29": HeldOut(
        ROUND29, "round29-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND29_REPLY_WORDS), True, 0.28
    ),
    "round30": HeldOut(
        ROUND30, "round30-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND30_REPLY_WORDS), True, 0.28
    ),
    "round31": HeldOut(
        ROUND31, "round31-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND31_REPLY_WORDS), True, 0.28
    ),
    "round32": HeldOut(
        ROUND32, "round32-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND32_REPLY_WORDS), True, 0.28
    ),
    "round33": HeldOut(
        ROUND33, "round33-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND33_REPLY_WORDS), True, 0.28
    ),
    "round34": HeldOut(
        ROUND34, "round34-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND34_REPLY_WORDS), True, 0.28
    ),
    "round35": HeldOut(
        ROUND35, "round35-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND35_REPLY_WORDS), True, 0.28
    ),
    "round36": HeldOut(
        ROUND36, "round36-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND36_REPLY_WORDS), True, 0.28
    ),
    "round37": HeldOut(
        ROUND37, "round37-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND37_REPLY_WORDS), True, 0.28
    ),
    "round38": HeldOut(
        ROUND38, "round38-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND38_REPLY_WORDS), True, 0.28
    ),
    "round39": HeldOut(
        ROUND39, "round39-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND39_REPLY_WORDS), True, 0.28
    ),
    "round40": HeldOut(
        ROUND40, "round40-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND40_REPLY_WORDS), True, 0.28
    ),
    "round41": HeldOut(
        ROUND41, "round41-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND41_REPLY_WORDS), True, 0.28
    ),
    "round42": HeldOut(
        ROUND42, "round42-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND42_REPLY_WORDS), True, 0.28
    ),
    "round43": HeldOut(
        ROUND43, "round43-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND43_REPLY_WORDS), True, 0.28
    ),
    "round44": HeldOut(
        ROUND44, "round44-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND44_REPLY_WORDS), True, 0.28
    ),
    "round45": HeldOut(
        ROUND45, "round45-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND45_REPLY_WORDS), True, 0.28
    ),
    "round46": HeldOut(
        ROUND46, "round46-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND46_REPLY_WORDS), True, 0.28
    ),
    "round47": HeldOut(
        ROUND47, "round47-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND47_REPLY_WORDS), True, 0.28
    ),
    "round48": HeldOut(
        ROUND48, "round48-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND48_REPLY_WORDS), True, 0.28
    ),
    "round49": HeldOut(
        ROUND49, "round49-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND49_REPLY_WORDS), True, 0.28
    ),
    "round50": HeldOut(
        ROUND50, "round50-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND50_REPLY_WORDS), True, 0.28
    ),
    "round51": HeldOut(
        ROUND51, "round51-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND51_REPLY_WORDS), True, 0.28
    ),
    "round52": HeldOut(
        ROUND52, "round52-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND52_REPLY_WORDS), True, 0.28
    ),
    "round53": HeldOut(
        ROUND53, "round53-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND53_REPLY_WORDS), True, 0.28
    ),
    "round54": HeldOut(
        ROUND54, "round54-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND54_REPLY_WORDS), True, 0.28
    ),
    "round55": HeldOut(
        ROUND55, "round55-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND55_REPLY_WORDS), True, 0.28
    ),
    "round56": HeldOut(
        ROUND56, "round56-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND56_REPLY_WORDS), True, 0.28
    ),
    "round57": HeldOut(
        ROUND57, "round57-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND57_REPLY_WORDS), True, 0.28
    ),
    "round58": HeldOut(
        ROUND58, "round58-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND58_REPLY_WORDS), True, 0.28
    ),
    "round59": HeldOut(
        ROUND59, "round59-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND59_REPLY_WORDS), True, 0.28
    ),
    "round60": HeldOut(
        ROUND60, "round60-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND60_REPLY_WORDS), True, 0.28
    ),
    "round61": HeldOut(
        ROUND61, "round61-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND61_REPLY_WORDS), True, 0.28
    ),
    "round62": HeldOut(
        ROUND62, "round62-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND62_REPLY_WORDS), True, 0.28
    ),
    "round63": HeldOut(
        ROUND63, "round63-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND63_REPLY_WORDS), True, 0.28
    ),
    "round64": HeldOut(
        ROUND64, "round64-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND64_REPLY_WORDS), True, 0.28
    ),
    "round65": HeldOut(
        ROUND65, "round65-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND65_REPLY_WORDS), True, 0.28
    ),
    "round66": HeldOut(
        ROUND66, "round66-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND66_REPLY_WORDS), True, 0.28
    ),
    "round67": HeldOut(
        ROUND67, "round67-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND67_REPLY_WORDS), True, 0.28
    ),
    "round68": HeldOut(
        ROUND68, "round68-conference.yaml", 300, 0.85, 64, 58, (0.58, 0.70), frozenset(ROUND68_REPLY_WORDS), True, 0.28
    ),
}


@pytest.mark.parametrize("name", HELD_OUT)
def test_a_held_out_set_is_well_formed_and_read_from_the_programmes(name: str) -> None:
    """Only the shape of each set is checked here, never its answers: its first run is a generalisation figure."""
    spec = HELD_OUT[name]
    raw = yaml.safe_load(spec.path.read_text(encoding="utf-8"))["cases"]
    cases = read_cases(spec.path)
    assert len(cases) >= spec.least
    assert all(set(item) <= ROUND2_KEYS and item.get("kind") in ROUND2_KINDS for item in raw)
    kinds = [item["kind"] for item in raw]
    assert set(kinds) == ROUND2_KINDS
    if name != "round2":
        assert all(kinds.count(kind) >= len(kinds) * 0.04 for kind in ROUND2_KINDS)
    assert kinds.count("crosslang") >= len(kinds) * spec.crosslang
    assert all(c.question and (c.expect or c.expect_any or c.reject) for c in cases)
    if spec.every_reject:  # every case names what must not be shown instead
        assert all(c.reject for c in cases), [c.number for c in cases if not c.reject]
    langs = [c.lang for c in cases]
    assert sum(lang != "en" for lang in langs) / len(langs) >= spec.non_english
    assert langs.count("de") >= spec.german and all(langs.count(x) >= spec.each_other for x in ("es", "fr", "it"))
    own = [c for c in cases if c.programme == spec.own]
    assert len(cases) * spec.own_share[0] <= len(own) <= len(cases) * spec.own_share[1]
    dirs = [ROOT / "tests" / "fixtures", SHARED_SCHEDULES]
    programmes = Programmes(ROOT / "data" / "programme.yaml", dirs, None)
    for case in cases:
        if case.programme not in ("conference", spec.own) and not SHARED_SCHEDULES.exists():
            continue
        programme = programmes.get(case.programme, case.timezone)
        text = _data_text(programme)
        missing = [e for e in case.expect if e.lower() not in text and e.lower() not in spec.reply_words]
        assert not missing, (case.number, case.question, missing)
        if case.now is not None:
            assert case.now.utcoffset() == case.now.astimezone(programme.timezone).utcoffset(), case.number
