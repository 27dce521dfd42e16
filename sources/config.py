"""Sources configuration: a TOML file of what to watch."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from sources.document import KINDS


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
                 "selector", "keywords", "max_items", "issuer"}
        unknown = set(entry) - known
        if unknown:
            raise ConfigError(f"{origin}: source {name!r}: unknown keys {', '.join(sorted(unknown))}")
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
            )
        )
    sinks = data.get("sink", [])
    if not isinstance(sinks, list):
        raise ConfigError(f"{origin}: [[sink]] must be an array of tables")
    return Config(tuple(sources), tuple(sinks))


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
