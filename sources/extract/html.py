"""HTML pages: pick the main-text container (caller's selector, site profile, feed fragment,
trafilatura, dense-paragraph fallback), read its blocks, and attach the page metadata."""

from __future__ import annotations

import re

import lxml.html
from cssselect import SelectorError

from sources.document import Document
from sources.extract.blocks import (
    best_container,
    blocks,
    drop_selected,
    filter_lines,
    filter_widget_lines,
    mostly_links,
    strip_boilerplate,
)
from sources.extract.common import MIN_WORDS, ExtractionError, words
from sources.extract.generic import generic_paragraphs
from sources.extract.metadata import container_links, links_near, page_metadata
from sources.extract.parsing import is_fragment, parse_html
from sources.normalize import clean_paragraphs, drop_hidden
from sources.profiles import Profile, profile_for

# Pages answered 200 that say they are missing, in the wordings sites use ("We could not
# find the page", "The page you requested cannot be found", "This page no longer exists").
_SOFT_404 = re.compile(
    r"\b(page|content) (was )?not found\b|\b404\b.*\bnot found\b"
    r"|\b(could not|couldn['’]t|cannot|can['’]t|can not|unable to|did not|didn['’]t) find "
    r"(the|this|that|your|any) (page|content|document|article)"
    r"|\b(page|content|document|article) (you|you're|you are) (were |are )?"
    r"(looking for|requested|trying to reach)[^.]{0,40}\b(not|cannot|can't|no longer)\b"
    r"|\b(page|document) (does not|doesn['’]t|no longer) exists?\b", re.I)


def _declared_text(container: lxml.html.HtmlElement, drop: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Text of a container declared to be the statement (profile, selector, feed body):
    every line in it is content except widget labels and the profile's named furniture."""
    drop_selected(container, drop)
    strip_boilerplate(container)
    return filter_widget_lines(clean_paragraphs(blocks(container)))


def extract_html(html: str, url: str, kind: str, selector: str | None) -> Document:
    try:
        root = parse_html(html)
    except ExtractionError as exc:
        raise ExtractionError(f"{url}: {exc}") from None
    profile: Profile | None = profile_for(url)
    meta = page_metadata(root, url, profile)
    warnings: list[str] = []
    paras: tuple[str, ...] = ()
    container = None
    extractor = "generic"
    chosen_selector = selector or (profile.content if profile else None)
    if chosen_selector:
        try:
            found = root.cssselect(chosen_selector)
        except SelectorError as exc:  # sources.config validates selectors; this is the rest
            raise ExtractionError(f"{url}: invalid CSS selector {chosen_selector!r} ({exc})") from None
        if found:
            container = found[0]
            # A caller's explicit selector means "this element is the text": no profile furniture.
            drop = profile.drop if (profile and not selector) else ()
            paras = _declared_text(container, drop)
            extractor = f"profile:{profile.name}" if profile and not selector else "selector"
            if words(paras) < MIN_WORDS:
                warnings.append(f"selector {chosen_selector!r} matched no text; used the generic extractor")
                paras, container = (), None
        elif not is_fragment(html):
            warnings.append(f"selector {chosen_selector!r} matched nothing; used the generic extractor")
    if not paras and is_fragment(html):
        # Feed content is the statement body itself: every block is main text.
        container = root.find("body") if root.find("body") is not None else root
        paras = _declared_text(container)
        extractor = "fragment"
    if not paras:
        paras = generic_paragraphs(root, url)
        extractor = "generic"
    if not paras:
        # trafilatura found nothing: a dense-paragraph heuristic, on what is left after
        # dropping navigation and furniture.
        strip_boilerplate(root)
        container = best_container(root)
        paras = filter_lines(clean_paragraphs(blocks(container)))
        extractor = "generic:fallback"
    # The page's own heading repeats its title: compared as the paragraphs were cleaned
    # (a bidi or control character in the title must not keep the heading as a paragraph).
    if meta.title and paras and paras[0] == " ".join(drop_hidden(meta.title).split()):
        paras = paras[1:]
    word_count = words(paras)
    if extractor.startswith("generic") and paras and mostly_links(root, paras, word_count):
        raise ExtractionError(f"{url}: only navigation links found (boilerplate-only page)")
    joined = " ".join(paras)
    if word_count < MIN_WORDS:
        raise ExtractionError(f"{url}: no main text found (empty or boilerplate-only page)")
    if (word_count < 60 and _SOFT_404.search(joined + " " + meta.title)) or (
        word_count < 150 and _SOFT_404.search(meta.title)
    ):
        raise ExtractionError(f"{url}: page says it was not found (soft 404)")
    if container is not None:
        links = container_links(container, url)
    else:
        links = links_near(root, url, paras)
    issuer = meta.issuer or (profile.issuer if profile else None)
    return Document(
        url=url,
        title=meta.title,
        paragraphs=paras,
        kind=kind,
        canonical_url=meta.canonical,
        published=meta.published,
        issuer=issuer,
        links=links,
        extractor=extractor,
        warnings=tuple(warnings),
    )
