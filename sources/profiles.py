"""Site profiles: where the main text and its metadata sit on a known site.

The rules are data (sources/profiles.toml, one [[profile]] table per site), validated
when loaded so a typo in a selector fails at import, not silently on the next fetch:

    [[profile]]
    name = "state.gov"                       # the extractor is reported as "profile:state.gov"
    hosts = ["state.gov"]                    # the host itself and every subdomain of it
    content = "div.entry-content"            # CSS selector of the main-text container
    title = "h1.featured-content__headline"  # used when the page has no og:/twitter: title
    published = "p.article-meta__publish-date"  # used when no meta tag gives the date
    issuer = "U.S. Department of State"      # used when the page names no site or author
    drop = ["div.related-tags"]              # furniture inside the container
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from cssselect import SelectorError
from lxml.cssselect import CSSSelector

PROFILES_FILE = "profiles.toml"


class ProfileError(ValueError):
    """A profile file that does not describe valid profiles."""


@dataclass(frozen=True)
class Profile:
    """Where the main text sits on a known site."""

    name: str
    hosts: tuple[str, ...]
    content: str
    issuer: str
    title: str | None = None
    published: str | None = None
    drop: tuple[str, ...] = ()

    def matches(self, host: str) -> bool:
        return any(host == h or host.endswith("." + h) for h in self.hosts)


_REQUIRED = {"name": str, "hosts": list, "content": str, "issuer": str}
_OPTIONAL = {"title": str, "published": str, "drop": list}


def _selector(value: str, where: str) -> str:
    try:
        CSSSelector(value)
    except SelectorError as exc:
        raise ProfileError(f"{where}: bad CSS selector {value!r} ({exc})") from None
    return value


def _strings(value: list[Any], where: str) -> tuple[str, ...]:
    if not all(isinstance(v, str) and v.strip() for v in value):
        raise ProfileError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def _profile(entry: dict[str, Any], index: int) -> Profile:
    where = f"profile {index + 1} ({entry.get('name', '?')})"
    unknown = set(entry) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise ProfileError(f"{where}: unknown keys {sorted(unknown)}")
    for key, kind in {**_REQUIRED, **_OPTIONAL}.items():
        if key in entry and not isinstance(entry[key], kind):
            raise ProfileError(f"{where}: {key} must be a {kind.__name__}")
        if key in _REQUIRED and (key not in entry or not entry[key]):
            raise ProfileError(f"{where}: {key} is required")
    hosts = tuple(h.lower().strip(".") for h in _strings(entry["hosts"], f"{where}.hosts"))
    if any("/" in h or " " in h or not h for h in hosts):
        raise ProfileError(f"{where}.hosts: expected bare host names such as 'state.gov'")
    return Profile(
        name=entry["name"],
        hosts=hosts,
        content=_selector(entry["content"], f"{where}.content"),
        issuer=entry["issuer"],
        title=_selector(entry["title"], f"{where}.title") if "title" in entry else None,
        published=_selector(entry["published"], f"{where}.published") if "published" in entry else None,
        drop=tuple(_selector(s, f"{where}.drop") for s in _strings(entry.get("drop", []), f"{where}.drop")),
    )


def parse_profiles(text: str) -> tuple[Profile, ...]:
    """Profiles from the text of a profile file, in file order (the first match wins)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"not valid TOML: {exc}") from None
    if set(data) - {"profile"}:
        raise ProfileError(f"unknown top-level keys {sorted(set(data) - {'profile'})}")
    entries = data.get("profile", [])
    if not isinstance(entries, list):
        raise ProfileError("expected [[profile]] tables")
    profiles = tuple(_profile(e, i) for i, e in enumerate(entries))
    names = [p.name for p in profiles]
    if len(set(names)) != len(names):
        raise ProfileError(f"duplicate profile names in {names}")
    return profiles


def load_profiles() -> tuple[Profile, ...]:
    """The profiles shipped with the package (sources/profiles.toml)."""
    return parse_profiles(resources.files("sources").joinpath(PROFILES_FILE).read_text("utf-8"))


PROFILES: tuple[Profile, ...] = load_profiles()


def profile_for(url: str, profiles: tuple[Profile, ...] = PROFILES) -> Profile | None:
    host = (urlsplit(url).hostname or "").lower()
    for profile in profiles:
        if profile.matches(host):
            return profile
    return None
