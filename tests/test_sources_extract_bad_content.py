"""Bad content is never stored as a statement: binary bytes without NULs, a soft 404 in
plain words, a navigation-only page of 100+ words, and UTF-8 under a wrong <meta charset>
(decoded right, never stored as mojibake)."""

from __future__ import annotations

import random

import pytest

from sources.decode import decode_body
from sources.extract import ExtractionError, extract

URL = "https://gov.example/statement"
BODY = ("The Ministry of Health today confirmed funding of 80 million dollars for new "
        "rural clinics, to be built over the next three years in twelve provinces. ")


def _page(inner: str, title: str = "Statement", charset: str = "utf-8") -> str:
    return (f'<html><head><meta charset="{charset}"><title>{title}</title></head>'
            f"<body>{inner}</body></html>")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_binary_without_nuls_is_refused(seed: int) -> None:
    rng = random.Random(seed)
    noisy = bytes(b for b in rng.randbytes(6000) if b)  # random bytes, no NUL
    high = bytes(rng.randrange(0x80, 0x100) for _ in range(6000))  # no NUL, no C0 control
    for body in (noisy, high):
        with pytest.raises(ExtractionError, match="binary"):
            extract(body, URL, content_type="text/html")


def test_a_real_latin1_page_is_not_taken_for_binary() -> None:
    body = _page(f"<article><p>{BODY} Café São Paulo.</p><p>{BODY}</p></article>",
                 charset="iso-8859-1").encode("latin-1")
    doc = extract(body, URL)
    assert "Café São Paulo" in doc.text


@pytest.mark.parametrize("wording", [
    "We could not find the page you were looking for.",
    "Sorry, we couldn't find that page. It may have moved.",
    "The page you requested cannot be found on this server.",
    "This page no longer exists.",
])
def test_soft_404_in_plain_words_is_refused(wording: str) -> None:
    html = _page(f"<main><h1>Oops</h1><p>{wording} Try the search box above, or go back to "
                 "the home page and browse our latest news and statements from there.</p>"
                 "</main>", title="Oops")
    with pytest.raises(ExtractionError, match="not found"):
        extract(html.encode(), URL)


def test_statement_mentioning_a_missing_page_is_kept() -> None:
    text = (f"<article><p>{BODY}</p><p>{BODY} Officials said they could not find the page "
            f"numbers in the audit cited by critics.</p><p>{BODY}</p></article>")
    doc = extract(_page(text).encode(), URL)
    assert "80 million" in doc.text


def test_navigation_only_page_of_100_words_is_refused() -> None:
    sections = ["Home", "About the Ministry", "Press releases", "Statements and speeches",
                "Health services near you", "Vaccination programme", "Hospitals and clinics",
                "Public health alerts", "Careers at the Ministry", "Contact us",
                "Freedom of information requests", "Accessibility statement",
                "Privacy and cookies", "Regional offices directory", "Annual reports archive",
                "Budget and spending data", "Consultations open now", "Ministers and officials",
                "Laws and regulations", "Emergency contacts"]
    lists = "".join(
        "<ul>" + "".join(f'<li><a href="/{i}/{j}">{s} {part}</a></li>'
                         for j, s in enumerate(sections)) + "</ul>"
        for i, part in enumerate(("overview", "documents", "archive")))
    html = _page(f"<div class='menu'>{lists}</div>", title="Ministry of Health")
    with pytest.raises(ExtractionError, match="navigation"):
        extract(html.encode(), URL)


def test_statement_with_some_links_is_kept() -> None:
    paras = "".join(f'<p>{BODY} See <a href="/r{i}">the report</a> for details.</p>'
                    for i in range(6))
    doc = extract(_page(f"<article>{paras}</article>").encode(), URL)
    assert "80 million" in doc.text


@pytest.mark.parametrize("declared", ["iso-8859-1", "windows-1252", "windows-1251",
                                      "iso-8859-2", "windows-1250", "koi8-r", "mac-roman"])
def test_utf8_under_a_wrong_meta_charset_is_decoded_as_utf8(declared: str) -> None:
    text = f"{BODY} Le ministre a déclaré : « São Tomé reçoit 80 M€ » — fin."
    body = _page(f"<article><p>{text}</p><p>{BODY}</p></article>", charset=declared)
    doc = extract(body.encode("utf-8"), URL)
    assert "déclaré" in doc.text and "São Tomé" in doc.text and "80 M€" in doc.text
    assert "Ã" not in doc.text and "Г©" not in doc.text
    assert "São Tomé" in decode_body(body.encode("utf-8"), declared)
