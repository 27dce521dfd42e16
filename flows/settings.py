"""Settings from the environment (secrets never printed)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from compare.model import LEVELS, MINOR


@dataclass(frozen=True)
class Settings:
    """Everything configurable outside the sources file."""

    database_url: str | None = None
    slack_token: str | None = field(default=None, repr=False)
    slack_channel: str | None = None
    slack_webhook_url: str | None = field(default=None, repr=False)
    slack_api_url: str = "https://slack.com/api/"
    report_base: str | None = None
    contact: str = "onrecord@example.org"
    allow_private: bool = False
    min_significance: str = MINOR

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        api = env.get("SLACK_API_URL") or "https://slack.com/api/"
        if not api.endswith("/"):
            api += "/"
        level = env.get("ONRECORD_MIN_SIGNIFICANCE", MINOR)
        if level not in LEVELS:
            raise ValueError(f"ONRECORD_MIN_SIGNIFICANCE must be one of {', '.join(LEVELS)}")
        return cls(
            database_url=env.get("ONRECORD_DATABASE_URL") or None,
            slack_token=env.get("SLACK_BOT_TOKEN") or None,
            slack_channel=env.get("SLACK_CHANNEL") or None,
            slack_webhook_url=env.get("SLACK_WEBHOOK_URL") or None,
            slack_api_url=api,
            report_base=env.get("ONRECORD_REPORT_BASE") or None,
            contact=env.get("ONRECORD_CONTACT") or "onrecord@example.org",
            allow_private=env.get("ONRECORD_ALLOW_PRIVATE_URLS") == "1",
            min_significance=level,
        )

    @property
    def slack_configured(self) -> bool:
        return bool((self.slack_token and self.slack_channel) or self.slack_webhook_url)
