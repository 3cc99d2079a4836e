"""Room signs (#17): a page per room in use plus the entrance's, each page's QR code read back from the PDF
decodes (as a phone would) to the right deep link and is segno's matrix of it; the CLI and /signs make it."""

from __future__ import annotations

import io
import re
import struct
import zlib
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from PIL import Image, ImageOps

from bot import deep_links, i18n
from bot.cli import main
from bot.programme.loader import load_programme
from bot.programme.model import Programme
from bot.signs import MODULE_PIXELS, qr_matrix, rooms_in_use, signs, signs_pdf
from tests.conftest import BUNDLED, BotHarness, shared_schedule
from tests.support.organisers import ORGANISER, organiser_harness

BOT = "conference_companion_bot"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def drawn_qr(page: pypdf.PageObject) -> Image.Image:
    """The one image a page draws, as it appears on the page (dark modules dark).

    matplotlib stores a two-colour image as 1-bit indexed pixels with PNG predictors, which is exactly a PNG's
    compressed data: wrapped in a PNG header, Pillow decodes it (pypdf's own decoder garbles such rows).
    """
    content = page.get_contents()
    assert content is not None
    stream = content.get_data().decode("latin-1")
    (name,) = re.findall(r"/(\w+) Do", stream)
    (d,) = re.findall(r"[-\d.]+ [-\d.]+ [-\d.]+ ([-\d.]+) [-\d.]+ [-\d.]+ cm /" + name + " Do", stream)
    image = page["/Resources"]["/XObject"]["/" + name].get_object()
    assert image["/BitsPerComponent"] == 1 and image["/ColorSpace"][3] == b"\xff\xff\xff\x00\x00\x00"
    width, height = int(image["/Width"]), int(image["/Height"])
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grey: index 1 (black) reads as white
    png = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", image._data)
    picture = ImageOps.invert(Image.open(io.BytesIO(png + _png_chunk(b"IEND", b""))).convert("L"))
    # matplotlib writes the rows bottom-up and draws them with a negative height: flip them back.
    return picture.transpose(Image.Transpose.FLIP_TOP_BOTTOM) if float(d) < 0 else picture


def modules(picture: Image.Image, size: int) -> list[list[bool]]:
    """The drawn image sampled at each module's centre: dark or not."""
    half = MODULE_PIXELS // 2
    return [[picture.getpixel((x * MODULE_PIXELS + half, y * MODULE_PIXELS + half)) < 128 for x in range(size)]
            for y in range(size)]  # fmt: skip


def check_signs(programme: Programme, pdf: bytes) -> None:
    rooms = rooms_in_use(programme)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == len(rooms) + 1
    expected = [deep_links.url(BOT, deep_links.room_payload(r)) for r in rooms]
    expected.append(deep_links.url(BOT, deep_links.PROGRAMME))
    for n, (page, url) in enumerate(zip(reader.pages, expected, strict=True)):
        picture = drawn_qr(page)
        matrix = qr_matrix(url)
        assert modules(picture, len(matrix)) == matrix, f"page {n + 1}: not segno's code of {url}"
        assert [code.text for code in zxingcpp.read_barcodes(picture)] == [url], f"page {n + 1}"
        text = page.extract_text()
        title = programme.room(rooms[n]).name if n < len(rooms) else programme.name
        assert title[:30] in text, f"page {n + 1}: {title!r} not in {text[:80]!r}"
        assert url in text  # the link printed under the code, for those without a camera


def test_the_bundled_conference_signs_have_a_page_per_room_and_the_entrance() -> None:
    programme = load_programme(BUNDLED)
    lang = i18n.lang("es")
    pages = signs(programme, BOT, lang)
    assert pages[0].heading == lang._("What's on in this room")
    check_signs(programme, signs_pdf(pages, lang))


def test_fosdem_2025_signs_render_with_every_room() -> None:
    programme = load_programme(shared_schedule("fosdem-2025-pentabarf.xml"))
    lang = i18n.lang("en")
    pages = signs(programme, BOT, lang, today=programme.days[0])
    assert len(pages) > 20
    check_signs(programme, signs_pdf(pages, lang))


def test_a_list_longer_than_a_page_shows_what_fits_and_counts_the_rest() -> None:
    lang = i18n.lang("en")
    (room, *_) = signs(load_programme(BUNDLED), BOT, lang)
    crowded = replace(room, lines=tuple(f"{9 + n // 60:02d}:{n % 60:02d}  Talk {n}" for n in range(130)))
    text = pypdf.PdfReader(io.BytesIO(signs_pdf([crowded], lang))).pages[0].extract_text()
    assert "Talk 78" in text and "Talk 79" not in text
    assert "… and 51 more: scan the code" in text


def test_the_command_line_writes_the_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["signs", "--out", str(tmp_path / "out"), "--bot-username", f"@{BOT}"]) == 0
    programme = load_programme(BUNDLED)
    check_signs(programme, (tmp_path / "out" / "signs.pdf").read_bytes())
    rooms = len(rooms_in_use(programme))
    assert f"{rooms} rooms and the entrance, {rooms + 1} A4 pages" in capsys.readouterr().out


def test_the_command_line_says_what_is_missing_without_a_bot_username(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="--bot-username NAME or set BOT_USERNAME"):
        main(["signs", "--out", str(tmp_path)])


async def test_organisers_get_the_signs_as_a_document_and_others_do_not(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path) as h:
        await check_signs_command(h)


async def check_signs_command(h: BotHarness) -> None:
    refused = await h.say("/signs", user_id=42)
    assert [c.text for c in refused if c.method == "sendMessage"] == ["Sorry, this is for organisers."]
    start = len(h.api.calls)
    h.api.send_text(ORGANISER, "/signs")
    document = await h.api.wait_for(lambda c: c.method == "sendDocument", timeout=30, start=start)
    assert not document.error
    rooms = len(rooms_in_use(h.services.programme))
    assert document.text.startswith(f"Signs for {rooms} rooms and the entrance")
    (content,) = document.files.values()
    check_signs(h.services.programme, content[1])


def test_provisional_sessions_are_marked_and_the_mark_explained_even_under_a_long_list() -> None:
    lang = i18n.lang("en")
    programme = load_programme(BUNDLED)  # every session of the bundled conference is provisional
    (room, *_) = signs(programme, BOT, lang)
    assert all(line[5] == "*" for line in room.lines if not line.startswith("# "))  # '09:30* Inaugural …'
    assert room.note == "* provisional: the time or the speakers may still change"
    crowded = replace(room, lines=tuple(f"09:{n % 60:02d}* Talk {n}" for n in range(130)))
    text = pypdf.PdfReader(io.BytesIO(signs_pdf([crowded], lang))).pages[0].extract_text()
    assert "the time or the speakers may still change" in text  # not cut with the list

    fosdem = load_programme(shared_schedule("fosdem-2025-pentabarf.xml"))  # a published programme: no marks
    (first, *_) = signs(fosdem, BOT, lang)
    assert not first.note and not any(line[5:6] == "*" for line in first.lines)
