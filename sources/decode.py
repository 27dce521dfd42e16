"""Bytes to text: HTTP charset, meta charset, detection, then mojibake repair."""

from __future__ import annotations

import codecs
import re

import ftfy
from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


# UTF-8 read as latin-1/cp1252 always shows a lead byte (Â..ô) followed by a continuation
# byte (0x80-0xBF, or what cp1252 maps those to). Without such a pair there is nothing
# for ftfy to repair, and its badness scan is the dearest step of decoding.
_MOJIBAKE_PAIR = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def repair(text: str) -> str:
    """Undo double-encoded UTF-8 ("El NiÃ±o" -> "El Niño"); a no-op on clean text."""
    if not _MOJIBAKE_PAIR.search(text):
        return text
    return ftfy.fix_encoding(text)


def decode_body(body: bytes, http_charset: str | None = None) -> str:
    """Decode a page body to str, repairing double-encoded UTF-8 ("El NiÃ±o")."""
    if body.startswith(codecs.BOM_UTF8):
        text = body[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
        return repair(text)
    head = body[:4096]
    candidates = [_known(http_charset)]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        m = pattern.search(head)
        if m:
            candidates.append(_known(m.group(1).decode("ascii", "ignore")))
    text = None
    if _is_utf8(body):
        # Whatever the page declares, bytes that are valid UTF-8 with multibyte sequences
        # are UTF-8 (a CMS writing UTF-8 under an old template's <meta charset>): read as a
        # declared windows-1251, ISO-8859-2 or KOI8-R, "déclaré" would be stored as
        # "dГ©clarГ©", which no repair undoes. Text in a legacy charset is practically
        # never valid UTF-8 by chance (the premise of every charset detector).
        return repair(body.decode("utf-8"))
    for name in candidates:
        if not name:
            continue
        try:
            text = body.decode(name)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = _declared_with_errors(body, [c for c in candidates if c]) or _detect(body)
    return repair(text)


def _is_utf8(body: bytes) -> bool:
    """Valid UTF-8 with at least one multibyte character."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _declared_with_errors(body: bytes, declared: list[str]) -> str | None:
    """A declared charset that fits all but a few bytes (a page pasted together from two
    sources) beats detection, which would guess a wrong codec for the whole page."""
    for name in declared:
        try:
            text = body.decode(name, errors="replace")
        except LookupError:
            continue
        if text.count("\ufffd") <= max(3, len(text) // 1000):
            return text
    return None


def _detect(body: bytes) -> str:
    """Undeclared, not UTF-8: detection, but windows-1252 (the web's legacy default, per
    WHATWG) unless detection finds a non-Latin script. Detectors mix up the Latin code
    pages on short texts ("São" read as cp1250 "Săo"), and a wrong guess would show up as
    a wording change."""
    best = from_bytes(body).best()
    detected = str(best) if best is not None else None
    if detected is not None:
        letters = [c for c in detected if ord(c) > 127 and c.isalpha()]
        if letters and sum(ord(c) > 0x24F for c in letters) > len(letters) / 2:
            return detected
    try:
        return body.decode("cp1252")
    except UnicodeDecodeError:
        return detected if detected is not None else body.decode("utf-8", errors="replace")


# C0 controls text never has: not tab, LF, VT, FF, CR, nor ESC (ISO-2022-JP shifts with it).
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 27), *range(28, 32)])


def looks_binary(body: bytes) -> bool:
    """True for bodies that are clearly not text: NUL bytes, or control bytes that text in
    any charset lacks. Random or compressed bytes have ~10% of them; a 2% share (and at
    least 8) is far past stray characters in a real page."""
    sample = body[:4096]
    if b"\x00" in sample:
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return bool(sample) and control >= min(8, len(sample)) and control / len(sample) > 0.02


# What decoding binary bytes leaves behind: replacement characters, C1 controls, private use.
_GARBAGE = re.compile("[\ufffd\x80-\x9f\ue000-\uf8ff]")
_TAG = re.compile(r"<[^<>]{0,500}>")
# Scripts written without spaces, where a space share says nothing.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u3040-\u30ff\u3400-\u4dbf"
                       "\u4e00-\u9fff\uac00-\ud7af]")


def looks_garbled(text: str) -> bool:
    """Decoded text that is not text: binary bytes without NULs come out of a codec as
    replacement characters and controls, or as a run of symbols without spaces."""
    if len(_GARBAGE.findall(text[:4096])) > 0.05 * len(text[:4096]):
        return True
    # Markup has no spaces to speak of (<div><div>...): judge the text between the tags.
    sample = _TAG.sub("", text[:20_000])[:4096]
    if len(sample) < 64:
        return False
    if len(_GARBAGE.findall(sample)) > 0.05 * len(sample):
        return True
    if len(_UNSPACED.findall(sample)) > 0.2 * len(sample):
        return False
    spaces = sum(ch.isspace() for ch in sample)
    return spaces < 0.02 * len(sample)
