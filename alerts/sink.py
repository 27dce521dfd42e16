"""What every sink returns, the sink base class, and the registry of sink kinds.

A sink is one small class, modelled on urlwatch's reporters: it registers itself by `kind`,
says what it can do as data (`Abilities`), and builds itself from a `[[sink]]` table of the
sources file (`from_config`). `alerts.deliver` reads the abilities, never probes the object;
`alerts.config` finds the classes here. Adding a sink is one module in this package:

    class PagerSink(Sink, kind="pager"):
        '''Page someone.

            [[sink]]
            kind = "pager"
            number_env = "PAGER_NUMBER"
        '''
        abilities = Abilities()

        @classmethod
        def _from_options(cls, name: str, opts: Options, basics: Basics) -> PagerSink: ...

        def send(self, alert, thread=None, ref=None) -> Delivery: ...
"""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from alerts.message import Alert
from alerts.routing import LEVELS, Route, Routes, parse_route

# Prefect Secret block name -> its value (flows/ passes one in; alerts/ does no I/O of its own).
SecretLoader = Callable[[str], str]


@dataclass(frozen=True)
class Delivery:
    """Result of one send.

    A failure is one of: `permanent` (the channel's settings are wrong: stop the channel until
    they change), `rejected` (this message can never be sent: fail the alert only), or
    transient. `ambiguous` marks a transient failure after which the message may still have
    been posted (a timeout, a 5xx): the next attempt looks it up before sending again.
    """

    ok: bool
    remote_id: str | None = None
    error: str | None = None
    permanent: bool = False
    rejected: bool = False
    retry_after: float | None = None
    ambiguous: bool = False


@dataclass(frozen=True)
class Lookup:
    """What a sink found of earlier sends: alert ref -> message id, or why it cannot tell."""

    found: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    # True when retrying the look-up is pointless (e.g. a missing scope): send anyway.
    unsupported: bool = False


@dataclass(frozen=True)
class Abilities:
    """What a sink can do beyond `send`, declared by its class.

    threads: later alerts about a document reply to the first one (`send` gets its id);
    history_lookup: `find_sent` tells whether an uncertain send went out after all, so an
    ambiguous failure is never posted twice; digests: `send_digest` posts many alerts as one.
    """

    threads: bool = False
    history_lookup: bool = False
    digests: bool = False


def alert_ref(dedupe_key: str) -> str:
    """A short, stable reference to an outbox alert, carried in the message's metadata."""
    return hashlib.sha256(dedupe_key.encode("utf-8")).hexdigest()[:24]


def fingerprint(*parts: str | None) -> str:
    """A hash of sink settings: tells whether they changed without storing a secret."""
    joined = "\x1f".join(p or "" for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


# -- reading a [[sink]] table ---------------------------------------------------------------

class SinkConfigError(ValueError):
    """A bad [[sink]] table: one line naming the sink and the key."""


class Options:
    """A [[sink]] table being read: typed getters whose errors name the sink and the key.

    Every key read is ticked off; `finish` rejects the rest, so a typo is an error rather
    than a silently ignored setting. `env` is where `*_env` keys find their secrets.
    """

    def __init__(self, where: str, table: Mapping[str, object], env: Mapping[str, str],
                 load_secret: SecretLoader | None = None) -> None:
        self.where = where
        self.env = env
        self._table = dict(table)
        self._used: set[str] = set()
        self._load_secret = load_secret

    def error(self, key: str, problem: str) -> SinkConfigError:
        return SinkConfigError(f"{self.where}: {key}: {problem}")

    def has(self, key: str) -> bool:
        return key in self._table

    def _get(self, key: str) -> object:
        self._used.add(key)
        return self._table.get(key)

    def text(self, key: str, default: str | None = None, *, required: bool = False
             ) -> str | None:
        value = self._get(key)
        if value is None:
            if required and default is None:
                raise self.error(key, "required")
            return default
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, "must be a non-empty string")
        return value.strip()

    def required(self, key: str) -> str:
        value = self.text(key, required=True)
        assert value is not None  # required=True raised otherwise
        return value

    def number(self, key: str, default: float, *, minimum: float = 0) -> float:
        value = self._get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            raise self.error(key, f"must be a number of at least {minimum:g}")
        return float(value)

    def integer(self, key: str, default: int, *, minimum: int = 0, maximum: int | None = None
                ) -> int:
        value = self._get(key)
        if value is None:
            return default
        if (isinstance(value, bool) or not isinstance(value, int) or value < minimum
                or (maximum is not None and value > maximum)):
            bound = f" and at most {maximum}" if maximum is not None else ""
            raise self.error(key, f"must be a whole number of at least {minimum}{bound}")
        return value

    def choice(self, key: str, choices: Sequence[str], default: str) -> str:
        value = self.text(key, default)
        if value is None or value not in choices:
            raise self.error(key, f"must be one of {', '.join(choices)}")
        return value

    def strings(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self._get(key)
        if value is None:
            if required:
                raise self.error(key, "required")
            return ()
        if isinstance(value, str):
            value = [value]
        if (not isinstance(value, list)
                or not all(isinstance(v, str) and v.strip() for v in value)):
            raise self.error(key, "must be a list of non-empty strings")
        if required and not value:
            raise self.error(key, "must not be empty")
        return tuple(v.strip() for v in value)

    def table(self, key: str) -> Options | None:
        value = self._get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise self.error(key, "must be a table, e.g. { kinds = [\"misquote\"] }")
        return Options(f"{self.where}: {key}", value, self.env, self._load_secret)

    def secret(self, key: str, *, required: bool = True) -> str | None:
        """A secret named by `<key>_env` (an environment variable) or `<key>_block` (a
        Prefect Secret block): never the value itself, which must not live in the file."""
        self._used.add(key)
        if key in self._table:
            raise self.error(key, f"secrets never go in the file: name an environment "
                                  f"variable with {key}_env (or a Prefect Secret block with "
                                  f"{key}_block)")
        var = self.text(f"{key}_env")
        block = self.text(f"{key}_block")
        if var and block:
            raise self.error(f"{key}_env", f"give {key}_env or {key}_block, not both")
        if var:
            value = self.env.get(var, "").strip()
            if not value:
                raise self.error(f"{key}_env", f"the environment variable {var} is not set")
            return value
        if block:
            if self._load_secret is None:
                raise self.error(f"{key}_block", "Prefect Secret blocks are not available here")
            try:
                value = str(self._load_secret(block)).strip()
            except Exception as exc:  # noqa: BLE001 - Prefect raises many types; one line
                raise self.error(f"{key}_block", f"cannot load the Prefect Secret block "
                                                 f"{block!r} ({type(exc).__name__})") from None
            if not value:
                raise self.error(f"{key}_block", f"the Prefect Secret block {block!r} is empty")
            return value
        if required:
            raise self.error(f"{key}_env", "required (the environment variable holding it)")
        return None

    def finish(self) -> None:
        unknown = sorted(set(self._table) - self._used)
        if unknown:
            raise self.error(unknown[0], "unknown key" + (
                f" (also: {', '.join(unknown[1:])})" if unknown[1:] else ""))


@dataclass(frozen=True)
class Basics:
    """The keys every sink shares: what reaches it, and whether it digests."""

    min_significance: str | None = None
    routes: Routes = Routes()
    route: Route | None = None
    digest_min: int = 0

    @classmethod
    def read(cls, opts: Options, abilities: Abilities, name: str) -> Basics:
        level = opts.text("min_significance")
        if level is not None and level not in LEVELS:
            raise opts.error("min_significance", f"must be one of {', '.join(LEVELS)}")
        sub = opts.table("routes")
        routes = Routes()
        if sub is not None:
            try:
                routes = Routes.of(kinds=sub.strings("kinds"), hosts=sub.strings("hosts"),
                                   issuers=sub.strings("issuers"))
            except ValueError as exc:
                raise sub.error("kinds", str(exc)) from None
            sub.finish()
        route = None
        match = opts.text("route")
        if match is not None:
            try:
                route = parse_route(match, name)
            except ValueError as exc:
                raise opts.error("route", str(exc)) from None
        digest = opts._get("digest")
        if digest is None or digest is False:
            digest_min = 0
        elif digest is True:
            digest_min = 2  # whenever a run has two or more alerts for the channel
        elif isinstance(digest, int) and digest >= 0:
            digest_min = digest
        else:
            raise opts.error("digest", "must be true, false or a number of alerts")
        if digest_min and not abilities.digests:
            raise opts.error("digest", "this kind of sink cannot send digests")
        return cls(level, routes, route, digest_min)


# -- the base class and the registry --------------------------------------------------------

_KINDS: dict[str, type[Sink]] = {}


class Sink:
    """A delivery target; `send` never raises for a delivery problem.

    `name` is the outbox channel. `min_significance`, `routes` and `route` decide which
    alerts reach it (see alerts.routing.channels_for); `fingerprint` identifies the settings
    a permanent error belongs to (never a secret in clear); `thread_scope` keys the thread
    ids of sinks with threads.
    """

    kind: ClassVar[str] = ""
    abilities: ClassVar[Abilities] = Abilities()

    def __init__(self, name: str, *, min_significance: str | None = None,
                 routes: Routes | None = None, route: Route | None = None,
                 digest_min: int = 0, fingerprint: str = "",
                 thread_scope: str | None = None) -> None:
        self.name = name
        self.min_significance = min_significance
        self.routes = routes if routes is not None else Routes()
        self.route = route
        self.digest_min = digest_min if self.abilities.digests else 0
        self.fingerprint = fingerprint
        self.thread_scope = thread_scope if self.abilities.threads else None

    def __init_subclass__(cls, kind: str | None = None, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if kind is None:
            return
        known = _KINDS.get(kind)
        if known is not None and known.__qualname__ != cls.__qualname__:
            raise TypeError(f"sink kind {kind!r} is taken by {known.__qualname__}")
        cls.kind = kind
        _KINDS[kind] = cls

    def __repr__(self) -> str:  # subclasses holding secrets keep them out of here
        return f"{type(self).__name__}(name={self.name!r})"

    @classmethod
    def from_config(cls, name: str, options: Mapping[str, object], env: Mapping[str, str], *,
                    where: str | None = None, load_secret: SecretLoader | None = None) -> Sink:
        """Build from a [[sink]] table (without `kind` and `name`); SinkConfigError names
        the key at fault. Secrets come from `env` or a Prefect Secret block."""
        opts = Options(where or f"sink {name!r}", options, env, load_secret)
        basics = Basics.read(opts, cls.abilities, name)
        sink = cls._from_options(name, opts, basics)
        opts.finish()
        return sink

    @classmethod
    def _from_options(cls, name: str, opts: Options, basics: Basics) -> Sink:
        raise NotImplementedError(f"{cls.__qualname__} cannot be configured from a file")

    def send(self, alert: Alert, thread: str | None = None, ref: str | None = None) -> Delivery:
        raise NotImplementedError

    def send_digest(self, alerts: Sequence[Alert], refs: Sequence[str]) -> Delivery:
        """Many alerts as one message; only called when `abilities.digests`."""
        raise NotImplementedError

    def find_sent(self, refs: Sequence[str], since: datetime,
                  thread: str | None = None) -> Lookup:
        """Earlier sends carrying any of `refs`; only called when `abilities.history_lookup`."""
        raise NotImplementedError


def sink_kinds() -> dict[str, type[Sink]]:
    """Every registered sink class by kind, after importing each module of this package.

    Importing is what registers a class, so a new sink module needs no list to join.
    """
    import alerts

    for module in pkgutil.iter_modules(alerts.__path__):
        importlib.import_module(f"alerts.{module.name}")
    return dict(sorted(_KINDS.items()))
