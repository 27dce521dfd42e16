"""Settings from the environment (secrets never printed), and where the sinks come from:
the [[sink]] tables of the sources file, else the same sinks described by the environment."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from compare.vocab import Significance

LEVELS = tuple(level.value for level in Significance)


@dataclass(frozen=True)
class Settings:
    """Everything configurable outside the sources file."""

    database_url: str | None = None
    slack_token: str | None = field(default=None, repr=False)
    slack_channel: str | None = None
    slack_webhook_url: str | None = field(default=None, repr=False)
    slack_api_url: str = "https://slack.com/api/"
    report_base: str | None = None
    # Where `onrecord web` is reachable ($ONRECORD_WEB_URL): alerts link to its pages.
    web_url: str | None = None
    contact: str = "onrecord@example.org"
    allow_private: bool = False
    min_significance: Significance = Significance.MINOR
    host_delay: float = 1.0  # seconds between requests to one host
    host_concurrency: int = 2
    # Alert routing and noise (see alerts/routing.py); a Prefect Secret block for the token.
    slack_token_block: str | None = None
    slack_routes: str = ""
    slack_min_significance: Significance | None = None
    slack_digest: int = 0
    # The sources file ($ONRECORD_CONFIG, else ./sources.toml): its [[sink]] tables, if any,
    # configure the alert sinks instead of the SLACK_* variables.
    config_path: str = "sources.toml"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        api = env.get("SLACK_API_URL") or "https://slack.com/api/"
        if not api.endswith("/"):
            api += "/"
        level = env.get("ONRECORD_MIN_SIGNIFICANCE", Significance.MINOR)
        if level not in LEVELS:
            raise ValueError(f"ONRECORD_MIN_SIGNIFICANCE must be one of {', '.join(LEVELS)}")
        slack_level = env.get("SLACK_MIN_SIGNIFICANCE") or None
        if slack_level is not None and slack_level not in LEVELS:
            raise ValueError(f"SLACK_MIN_SIGNIFICANCE must be one of {', '.join(LEVELS)}")
        routes = env.get("SLACK_ROUTES") or ""
        from alerts.message import default_report_base
        from alerts.routing import parse_routes

        parse_routes(routes)  # a bad route is a usage error now, not a lost alert later
        digest = (env.get("SLACK_DIGEST") or "0").strip().lower()
        if digest in ("1", "on", "true", "yes"):
            digest = "2"  # digest whenever a run has two or more alerts for a channel
        if digest in ("off", "false", "no", ""):
            digest = "0"
        if not digest.isdigit():
            raise ValueError("SLACK_DIGEST must be on, off or a number of alerts")
        return cls(
            database_url=env.get("ONRECORD_DATABASE_URL") or None,
            slack_token=env.get("SLACK_BOT_TOKEN") or None,
            slack_channel=env.get("SLACK_CHANNEL") or None,
            slack_webhook_url=env.get("SLACK_WEBHOOK_URL") or None,
            slack_api_url=api,
            report_base=default_report_base(env),
            web_url=env.get("ONRECORD_WEB_URL") or None,
            contact=env.get("ONRECORD_CONTACT") or "onrecord@example.org",
            allow_private=env.get("ONRECORD_ALLOW_PRIVATE_URLS") == "1",
            min_significance=Significance(level),
            host_delay=_number(env, "ONRECORD_HOST_DELAY", 1.0),
            host_concurrency=int(_number(env, "ONRECORD_HOST_CONCURRENCY", 2)),
            slack_token_block=env.get("SLACK_BOT_TOKEN_BLOCK") or None,
            slack_routes=routes,
            slack_min_significance=Significance(slack_level) if slack_level else None,
            slack_digest=int(digest),
            config_path=env.get("ONRECORD_CONFIG") or "sources.toml",
        )

    def sink_tables(self) -> tuple[object, ...]:
        """The [[sink]] tables of the sources file; none when it has none (or is missing)."""
        from sources.config import load_config

        if not os.path.isfile(self.config_path):
            return ()
        return load_config(self.config_path).sinks

    def implicit_sinks(self, *, console: bool = True
                       ) -> tuple[list[dict[str, object]], dict[str, str]]:
        """[[sink]] tables equivalent to the environment variables, and the secrets they name
        (the bot token loaded from its Prefect Secret block if need be).

        The console; then with a bot token, one Slack sink per SLACK_ROUTES entry in order
        and the catch-all (SLACK_CHANNEL, outbox channel "slack") last, chained so that an
        alert goes to the first route that matches; else the SLACK_WEBHOOK_URL webhook.
        """
        from alerts.routing import Route, parse_routes

        tables: list[dict[str, object]] = [{"kind": "console"}] if console else []
        secrets: dict[str, str] = {}
        extra: dict[str, object] = {"report_base": self.report_base} if self.report_base else {}
        token = self.slack_bot_token() if self.slack_channel else None
        if self.slack_channel and token:
            secrets["SLACK_BOT_TOKEN"] = token  # from the environment, else the block
            extra["token_env"] = "SLACK_BOT_TOKEN"
            names: set[str] = set()
            for route in (*parse_routes(self.slack_routes), Route("*", self.slack_channel)):
                if route.name in names:
                    continue  # a second "*" route: the first one wins
                names.add(route.name)
                level = route.min_level or self.slack_min_significance
                tables.append({"kind": "slack", "name": route.name, "channel": route.channel,
                               "route": route.match, "api_url": self.slack_api_url,
                               "digest": self.slack_digest,
                               **({"min_significance": level} if level else {}), **extra})
        elif self.slack_webhook_url:
            secrets["SLACK_WEBHOOK_URL"] = self.slack_webhook_url
            level = self.slack_min_significance
            tables.append({"kind": "webhook", "name": "slack-webhook",
                           "url_env": "SLACK_WEBHOOK_URL",
                           **({"min_significance": level} if level else {}), **extra})
        return tables, secrets

    def load_secret(self, block: str) -> str:
        """A Prefect Secret block's value (sinks name blocks with `*_block` keys)."""
        return _load_prefect_secret(block)

    @property
    def slack_configured(self) -> bool:
        token = self.slack_token or self.slack_token_block
        return bool((token and self.slack_channel) or self.slack_webhook_url)

    def slack_bot_token(self, load_secret: Callable[[str], str] | None = None) -> str | None:
        """The bot token: SLACK_BOT_TOKEN, else the Prefect Secret block SLACK_BOT_TOKEN_BLOCK.

        Errors name the block, never a value.
        """
        if self.slack_token:
            return self.slack_token
        if not self.slack_token_block:
            return None
        loader = load_secret or _load_prefect_secret
        try:
            value = loader(self.slack_token_block)
        except Exception as exc:  # noqa: BLE001 - Prefect raises many types; report one line
            raise ValueError(f"cannot load the Prefect Secret block {self.slack_token_block!r} "
                             f"({type(exc).__name__})") from None
        return str(value).strip() or None


def _load_prefect_secret(name: str) -> str:
    # Imported here: Prefect costs a second to import and most commands never need it.
    from prefect.blocks.system import Secret

    return Secret.load(name).get()


def _number(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return value
