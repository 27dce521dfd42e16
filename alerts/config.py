"""Sinks from the `[[sink]]` tables of the sources file.

    [[sink]]
    kind = "slack"                     # a registered kind: console, email, slack, webhook
    name = "newsroom"                  # the outbox channel (default: the kind)
    channel = "C0123456789"
    token_env = "SLACK_BOT_TOKEN"      # secrets: an environment variable or a Prefect block
    min_significance = "minor"         # below it, a change is stored but not sent here
    routes = { kinds = ["misquote", "stale", "drift"], hosts = ["state.gov"] }
    digest = 5                         # one message for a run with at least 5 alerts

Every sink takes `min_significance`, `routes` (kinds, hosts, issuers), `route` (a chain:
first match wins, as SLACK_ROUTES) and, if it can, `digest`; the rest is the kind's own,
read by its class (see each sink's docstring). The outbox keys alerts by `name`: renaming a
sink leaves its pending alerts behind, changing its other settings does not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from alerts.sink import SecretLoader, Sink, SinkConfigError, sink_kinds


def build_sinks(tables: Sequence[object], env: Mapping[str, str], *,
                origin: str = "sources file",
                load_secret: SecretLoader | None = None) -> dict[str, Sink]:
    """Outbox channel name -> sink, in table order (the order chained routes are tried).

    SinkConfigError, one line naming the file, the sink and the key, for anything wrong;
    secrets are read from `env` (or Prefect Secret blocks via `load_secret`), never printed.
    """
    kinds = sink_kinds()
    sinks: dict[str, Sink] = {}
    for i, table in enumerate(tables, 1):
        if not isinstance(table, Mapping):
            raise SinkConfigError(f"{origin}: sink #{i} is not a table")
        kind = table.get("kind")
        if not isinstance(kind, str) or kind not in kinds:
            raise SinkConfigError(f"{origin}: sink #{i}: kind must be one of "
                                  f"{', '.join(kinds)}")
        name = table.get("name", kind)
        if not isinstance(name, str) or not name.strip():
            raise SinkConfigError(f"{origin}: sink #{i}: name must be a non-empty string")
        name = name.strip()
        if name in sinks:
            raise SinkConfigError(f"{origin}: sink #{i}: duplicate sink name {name!r} "
                                  "(give each sink of a kind its own name)")
        options = {k: v for k, v in table.items() if k not in ("kind", "name")}
        sinks[name] = kinds[kind].from_config(name, options, env,
                                              where=f"{origin}: sink {name!r}",
                                              load_secret=load_secret)
    return sinks
