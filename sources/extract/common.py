"""What every extractor shares: the error type and the "is there any text?" test."""

from __future__ import annotations

import re


class ExtractionError(Exception):
    """A body that yields no usable main text."""


# Fewer words than this is not a statement (an empty page, a bare link list).
MIN_WORDS = 12
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def words(paras: tuple[str, ...]) -> int:
    """Words, counting Chinese, Japanese and Korean text (written without spaces) at
    two characters a word, so a short CJK statement is not taken for an empty page."""
    total = 0
    for p in paras:
        cjk = len(_CJK.findall(p))
        total += len(_CJK.sub(" ", p).split()) + cjk // 2
    return total


def require_text(paragraphs: tuple[str, ...], url: str) -> None:
    if words(paragraphs) < MIN_WORDS:
        raise ExtractionError(f"{url}: no main text found (empty or too short)")
