"""Renderers: escaping, summaries cut at word boundaries, and the HTML page in Chromium."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest

from compare.diff import diff_texts
from compare.render import (
    render_html,
    render_markdown,
    render_mrkdwn,
    render_terminal,
    shorten,
    words_head,
    words_tail,
)

OLD = ("The United States will provide $80 million in assistance. <!channel> & <b>bold</b> "
       "We are defending democracy.\n\nA second paragraph stays the same.")
NEW = ("The United States will provide $58 million in assistance. <!channel> & <b>bold</b> "
       "We are defunding democracy.\n\nA second paragraph stays the same. <script>x</script>")
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def diff():
    return diff_texts(OLD, NEW)


def test_terminal(diff) -> None:
    out = render_terminal(diff, OLD, NEW)
    assert "\x1b[31m[-80-]" in out and "\x1b[32m{+58+}" in out
    assert "number changed: $80 million -> $58 million" in out
    plain = render_terminal(diff, OLD, NEW, color=False)
    assert "\x1b" not in plain and "[-defending-] {+defunding+}" in plain


def test_mrkdwn_escapes_scraped_text() -> None:
    old = "Call <!channel> now & see <https://evil.example|here> for 80 units."
    new = "Call <!channel> now & see <https://evil.example|here> for 58 units."
    out = render_mrkdwn(diff_texts(old, new), old, new, context_words=20)
    assert "<" not in out and ">" not in out
    assert "&lt;!channel&gt;" in out and "&amp;" in out
    assert "~80~ *58*" in out


def test_mrkdwn_formatting_characters_fall_back() -> None:
    old, new = "The fund is *80* million today.", "The fund is *58* million today."
    out = render_mrkdwn(diff_texts(old, new), old, new)
    assert "58" in out


def test_markdown(diff) -> None:
    out = render_markdown(diff, OLD, NEW)
    assert out.startswith("### substantive")
    assert "~~80~~ **58**" in out
    assert "<" not in out.replace(r"\<", "")  # every < escaped
    assert "| substantive |" in out
    assert "No change in wording" in render_markdown(diff_texts(OLD, OLD), OLD, OLD)


def test_long_diff_is_summarised_at_word_boundaries() -> None:
    words = [f"word{i}" for i in range(2000)]
    old = " ".join(words)
    new_words = list(words)
    for i in range(0, 2000, 40):
        new_words[i] = f"changed{i}"
    new = " ".join(new_words)
    diff = diff_texts(old, new)
    assert len(diff.changes) == 50
    for render, limit in ((render_mrkdwn, 2900), (render_markdown, 20_000)):
        out = render(diff, old, new, max_changes=20)
        assert len(out) <= limit + 200
        assert "more changes" in out
        # Every word shown is a whole token of the source texts.
        tokens = set(words) | set(new_words)
        for tok in re.findall(r"(?:word|changed)\d+", out):
            assert tok in tokens
    out = render_terminal(diff, old, new, max_changes=5, color=False)
    assert out.count("\n") < 20 and "and 45 more changes" in out
    long_change = diff_texts("a " + old + " z", "a z")
    text = render_mrkdwn(long_change, "a " + old + " z", "a z")
    assert "…" in text and "word1999" in text and "word1000" not in text


def test_word_helpers() -> None:
    assert words_head("one two three", 2) == "one two …"
    assert words_tail("one two three", 2) == "… two three"
    assert shorten("a b c d e f", 4) == "a b … e f"
    assert shorten("a b", 4) == "a b"


def test_html_is_escaped_and_self_contained(diff) -> None:
    page = render_html(diff, OLD, NEW, title="Statement <1>")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "&lt;!channel&gt;" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert '<del class="substantive"' in page and '<ins class="substantive"' in page
    assert "Statement &lt;1&gt;" in page


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG into rows of raw pixels (no third-party imaging)."""
    width, height = _png_size(data)
    bit_depth, color_type = data[24], data[25]
    assert bit_depth == 8 and color_type in (2, 6)
    bpp = 3 if color_type == 2 else 4
    pos, idat = 8, b""
    while pos < len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kind = data[pos + 4:pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 0xFF
            elif f == 2:
                line[x] = (line[x] + b) & 0xFF
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, bpp, rows


def _count_colour(rows: list[bytes], bpp: int, rgb: tuple[int, int, int]) -> int:
    n = 0
    for row in rows:
        for x in range(0, len(row), bpp):
            if abs(row[x] - rgb[0]) <= 6 and abs(row[x + 1] - rgb[1]) <= 6 and abs(row[x + 2] - rgb[2]) <= 6:
                n += 1
    return n


def test_html_renders_in_headless_chromium(diff, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("ONRECORD_REQUIRE_CHROMIUM") == "1":
            pytest.fail(f"{CHROMIUM} not found and ONRECORD_REQUIRE_CHROMIUM=1")
        pytest.skip("chromium not installed (apt-get install chromium)")
    page = tmp_path / "diff.html"
    page.write_text(render_html(diff, OLD, NEW), encoding="utf-8")
    shot = tmp_path / "shot.png"
    profile = tempfile.mkdtemp(prefix="onrecord-chromium-")
    try:
        proc = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--no-first-run",
             f"--user-data-dir={profile}", "--hide-scrollbars", "--window-size=1000,700",
             f"--screenshot={shot}", page.as_uri()],
            capture_output=True, timeout=90, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    data = shot.read_bytes()
    width, bpp, rows = _png_pixels(data)
    assert width == 1000
    # The deletion (#ffc9c9) and insertion (#b7f0c0) backgrounds are visible on screen.
    assert _count_colour(rows, bpp, (0xFF, 0xC9, 0xC9)) > 50
    assert _count_colour(rows, bpp, (0xB7, 0xF0, 0xC0)) > 50
    if os.environ.get("ONRECORD_KEEP_SCREENSHOT"):
        Path(os.environ["ONRECORD_KEEP_SCREENSHOT"]).write_bytes(data)


def test_command_line_json(tmp_path: Path, capsys) -> None:
    import json

    from compare.render import main
    (tmp_path / "old.txt").write_text("We give \u201c$80 million\u201d today.\n\nSecond.\n")
    (tmp_path / "new.txt").write_text('We give "$58 million" today.\n\n\nSecond.\n')
    assert main([str(tmp_path / "old.txt"), str(tmp_path / "new.txt"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {"significance": "substantive", "changes": [
        {"op": "replace", "old": "80", "new": "58", "significance": "substantive",
         "reasons": ["number changed: $80 million -> $58 million"]}]}
