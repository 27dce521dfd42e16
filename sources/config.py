"""Sources configuration: a TOML file of what to watch."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from sources.document import KINDS
from sources.urls import syntax_error

# Expected type of each optional key, as said in an error message.
_STR_KEYS = ("kind", "feed", "listing", "link_selector", "sitemap", "selector", "issuer")
_URL_KEYS = ("feed", "listing", "sitemap")


class ConfigError(ValueError):
    """An invalid sources file; the message names the file and the problem."""


@dataclass(frozen=True)
class Source:
    """One thing to watch: how to discover its items and how to read them."""

    name: str
    kind: str
    feed: str | None = None
    listing: str | None = None
    link_selector: str | None = None
    sitemap: str | None = None
    urls: tuple[str, ...] = ()
    selector: str | None = None
    keywords: tuple[str, ...] = ()
    max_items: int = 20
    issuer: str | None = None
    # Fetch this source's own hosts (those of its feed, listing, sitemap and urls) even on
    # private addresses (an intranet press server); a link or redirect to any other private
    # host is still refused. The global ONRECORD_ALLOW_PRIVATE_URLS=1 allows every address.
    allow_private: bool = False
    # Alert the first version of each item (AlertKind.NEW); None: by kind, on for
    # statements and off for coverage (alerts.compose.wants_new_alert).
    alert_new: bool | None = None

    @property
    def private_hosts(self) -> frozenset[str]:
        """The hosts this source may fetch on private addresses: its own, if allow_private.

        >>> Source("s", "statement", feed="http://Press.intranet/feed", allow_private=True).private_hosts
        frozenset({'press.intranet'})
        """
        from urllib.parse import urlsplit

        if not self.allow_private:
            return frozenset()
        named = (self.feed, self.listing, self.sitemap, *self.urls)
        return frozenset(h for h in (urlsplit(u).hostname for u in named if u) if h)

    @property
    def host_key(self) -> str:
        from urllib.parse import urlsplit

        first = self.feed or self.listing or self.sitemap or (self.urls[0] if self.urls else "")
        return urlsplit(first).hostname or self.name


@dataclass(frozen=True)
class Config:
    sources: tuple[Source, ...] = field(default_factory=tuple)
    # The raw [[sink]] tables: alerts.config validates and builds them.
    sinks: tuple[object, ...] = field(default_factory=tuple)


def parse_config(data: dict, origin: str = "<config>") -> Config:
    """Validate a parsed TOML mapping into a Config."""
    raw = data.get("source", data.get("sources", []))
    if not isinstance(raw, list):
        raise ConfigError(f"{origin}: [[source]] must be an array of tables")
    sources = []
    names = set()
    for i, entry in enumerate(raw, 1):
        if not isinstance(entry, dict):
            raise ConfigError(f"{origin}: source #{i} is not a table")
        name = entry.get("name")
        if not name or not isinstance(name, str):
            raise ConfigError(f"{origin}: source #{i} needs a name")
        if name in names:
            raise ConfigError(f"{origin}: duplicate source name {name!r}")
        names.add(name)
        kind = entry.get("kind", "statement")
        if kind not in KINDS:
            raise ConfigError(f"{origin}: source {name!r}: kind must be one of {', '.join(KINDS)}")
        urls = entry.get("urls", [])
        if isinstance(urls, str):
            urls = [urls]
        if not (entry.get("feed") or entry.get("listing") or entry.get("sitemap") or urls):
            raise ConfigError(f"{origin}: source {name!r} needs feed, listing, sitemap or urls")
        if entry.get("listing") and not entry.get("link_selector"):
            raise ConfigError(f"{origin}: source {name!r}: listing needs link_selector")
        known = {"name", "kind", "feed", "listing", "link_selector", "sitemap", "urls",
                 "selector", "keywords", "max_items", "issuer", "allow_private", "alert_new"}
        unknown = set(entry) - known
        if unknown:
            raise ConfigError(f"{origin}: source {name!r}: unknown keys {', '.join(sorted(unknown))}")
        _check_source(entry, urls, f"{origin}: source {name!r}")
        sources.append(
            Source(
                name=name,
                kind=kind,
                feed=entry.get("feed"),
                listing=entry.get("listing"),
                link_selector=entry.get("link_selector"),
                sitemap=entry.get("sitemap"),
                urls=tuple(urls),
                selector=entry.get("selector"),
                keywords=tuple(k.lower() for k in entry.get("keywords", [])),
                max_items=int(entry.get("max_items", 20)),
                issuer=entry.get("issuer"),
                allow_private=entry.get("allow_private", False),
                alert_new=entry.get("alert_new"),
            )
        )
    sinks = data.get("sink", [])
    if not isinstance(sinks, list):
        raise ConfigError(f"{origin}: [[sink]] must be an array of tables")
    return Config(tuple(sources), tuple(sinks))


def _check_source(entry: dict, urls: list, where: str) -> None:
    """Types, URL syntax and CSS selectors of one [[source]] table: a bad value is a
    one-line error when the file is loaded, not a crash in the middle of a pass."""
    _check_types(entry, where)
    for key, value in [*((k, entry.get(k)) for k in _URL_KEYS), *(("urls", u) for u in urls)]:
        problem = syntax_error(value) if value else None
        if problem:
            raise ConfigError(f"{where}: {key}: {problem}")
    for key in ("selector", "link_selector"):
        problem = selector_error(entry.get(key))
        if problem:
            raise ConfigError(f"{where}: {key} {entry[key]!r} is not a valid CSS selector ({problem})")


def _check_types(entry: dict, where: str) -> None:
    """Each key's value of the type it needs: TOML gives `max_items = "many"` or
    `keywords = "text"` (which would be read letter by letter) without complaint."""
    for key in _STR_KEYS:
        if key in entry and not isinstance(entry[key], str):
            raise ConfigError(f"{where}: {key} must be a string, not {_toml_type(entry[key])}")
    for key in ("urls", "keywords"):
        value = entry.get(key)
        if value is None or (key == "urls" and isinstance(value, str)):
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be an array of strings, not "
                              f"{_toml_type(value)}")
    if "max_items" in entry:
        value = entry["max_items"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{where}: max_items must be a positive integer, not "
                              f"{_toml_type(value)}")
    for key in ("allow_private", "alert_new"):
        if key in entry and not isinstance(entry[key], bool):
            raise ConfigError(f"{where}: {key} must be true or false, not "
                              f"{_toml_type(entry[key])}")


def _toml_type(value: object) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({value[:40]!r})"
    if isinstance(value, list):
        inner = next((_toml_type(v) for v in value if not isinstance(v, str)), None)
        return f"an array containing {inner}" if inner else "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def selector_error(selector: str | None) -> str | None:
    """Why `selector` is not a CSS selector lxml can use, or None."""
    if selector is None:
        return None
    from cssselect import GenericTranslator, SelectorError

    try:
        GenericTranslator().css_to_xpath(selector)
    except SelectorError as exc:
        return " ".join(str(exc).split())[:120] or type(exc).__name__
    return None


def load_config(path: str | Path) -> Config:
    """Read and validate a sources TOML file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None
    return parse_config(data, str(path))
