"""Export / import: SQLite -> PostgreSQL -> SQLite without losing or changing anything."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from compare.embed import DIM, SentenceVectors, pack
from compare.observe import Outcome
from flows.cli import main
from store import Store, StoreError
from store import schema as t
from store.migrate import head_revision
from store.records import ClaimCheckRecord, CoverageRecord, NewAlert, QuoteCheckRecord
from store.transfer import export_jsonl, import_jsonl
from tests.storefixtures import obs, record, truncate_all

T0 = datetime(2025, 5, 1, 9, 30, 15, 123456, tzinfo=UTC)


def populate(store: Store) -> None:
    """A little of everything: versions, a revert, aliases, removal, checks, outbox, sends."""
    def alerts(decision):  # noqa: ANN001, ANN202
        if decision.outcome is not Outcome.CHANGED:
            return ()
        return (NewAlert("edit", "console", f"edit|{decision.seq}", {"n": decision.seq,
                                                                    "text": "“é” ✓"}),)

    url = "http://gov.example/s1"
    for i, text in enumerate(("$80 million.", "$58 million.", "$80 million.")):
        record(store, obs(url, "Joint statement.", text, canonical_url="http://gov.example/?p=1",
                          body=f"<p>{text}</p>".encode() * 50, etag=f'"e{i}"',
                          body_hash=f"body{i}"),
               alerts=alerts, at=T0 + timedelta(hours=i))
    store.record_check(url, outcome="not_modified", status=304, at=T0 + timedelta(hours=4))
    store.record_check("http://gov.example/bad", outcome="error", status=500, error="boom")
    store.record_observation(obs("http://other.example/s1", "Joint statement.", "$80 million."))
    store.record_observation(obs("http://gov.example/gone", "Soon gone."))
    store.mark_removed("http://gov.example/gone", 410,
                       [NewAlert("removed", "slack:C1", "removed|gone", {"u": 1})])
    art = store.record_observation(obs("http://news.example/a", "“We pledge $58 million”",
                                       kind="coverage"))
    st = store.latest_version(url)
    store.save_quote_checks(art.version.id, [QuoteCheckRecord(
        art.version.id, st.id, "We pledge",
        1, 10, "stale", "minor", {"reasons": ["edited later"], "score": 0.875})],
        (NewAlert("misquote", "console", "quote|a", {"k": [1, 2.5, None]}),), art.document.id)
    # A reported claim's verdict and the article's coverage map (0006_claims).
    store.save_claim_checks(art.version.id, [ClaimCheckRecord(
        art.version.id, st.id, "They pledged $18 million", 2, 26, "drift", "number", "major",
        {"reasons": ["'$58 million' reported as '$18 million'"], "score": 0.91})],
        [CoverageRecord(art.version.id, url, 1, "$58 million.", "paraphrased")])
    # Statement sentence vectors (0008_sentence_vectors), bytes as stored.
    store.save_sentence_vectors(SentenceVectors("test-model", (
        ("a" * 64, pack(np.full(DIM, DIM ** -0.5, dtype=np.float32))), ("b" * 64, bytes(range(256)) * 3))))
    sent = store.claim_alerts("console", limit=1)[0]
    store.mark_sent(sent.id, "ts-1")
    store.set_thread_id(sent.document_id, "console", "ts-1")
    failed = store.claim_alerts("slack:C1")[0]
    store.begin_send(failed.id, T0 + timedelta(hours=5))
    store.mark_failed(failed.id, "channel_not_found")
    store.block_channel("slack:C1", "f" * 64, "channel_not_found")
    store.save_robots("https://gov.example", 200, "User-agent: *\nDisallow: /x\n",
                      (T0 + timedelta(days=1)).timestamp())


def dump(store: Store) -> str:
    out = io.StringIO()
    export_jsonl(store, out)
    return out.getvalue()


def test_round_trip_sqlite_postgresql_sqlite_compares_equal(tmp_path: Path, pg_url: str) -> None:
    truncate_all(pg_url)
    source = Store(f"sqlite:///{tmp_path / 'source.sqlite'}")
    populate(source)
    exported = dump(source)
    source_body_hash = source.last_fetch("http://gov.example/s1").body_hash
    source.close()
    assert len(exported.splitlines()) > 30

    pg = Store(pg_url)
    try:
        counts = import_jsonl(pg, io.StringIO(exported))
        assert counts["versions"] == 6 and counts["outbox"] == 4
        # Every table of the schema is in the export, with rows, and comes back unchanged.
        assert set(counts) == set(t.metadata.tables)
        assert [name for name, n in counts.items() if not n] == []
        assert dump(pg) == exported  # byte for byte: nothing lost, nothing changed
        # Sequences moved past the imported ids: new rows do not collide.
        assert pg.record_observation(obs("http://gov.example/new", "After the move.")).created
        with pytest.raises(StoreError, match="not empty"):
            import_jsonl(pg, io.StringIO(exported))
        truncate_all(pg_url)
        import_jsonl(pg, io.StringIO(exported))
        again = dump(pg)
    finally:
        pg.close()
    back = Store(f"sqlite:///{tmp_path / 'back.sqlite'}")
    try:
        import_jsonl(back, io.StringIO(again))
        assert dump(back) == exported
        assert back.body(source_body_hash) == b"<p>$80 million.</p>" * 50
        assert [v.revert_of for v in back.versions("http://gov.example/?p=1")] == [None, None, 1]
    finally:
        back.close()
    truncate_all(pg_url)


def test_truncated_export_imports_nothing(store: Store, tmp_path: Path) -> None:
    source = Store(f"sqlite:///{tmp_path / 'source.sqlite'}")
    populate(source)
    lines = dump(source).splitlines(keepends=True)
    source.close()
    with pytest.raises(StoreError, match="ends early"):
        import_jsonl(store, lines[:-5])
    assert sum(store.counts().values()) == 0  # all or nothing
    with pytest.raises(StoreError, match="not an onrecord export"):
        import_jsonl(store, ['{"hello": 1}\n'])


def test_cli_db_upgrade_export_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    source_url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    monkeypatch.setenv("ONRECORD_DATABASE_URL", source_url)
    assert main(["db", "upgrade"]) == 0
    assert f"schema revision {head_revision()}" in capsys.readouterr().out
    store = Store(source_url)
    populate(store)
    expected = dump(store)
    store.close()
    backup = tmp_path / "backup.jsonl.gz"
    assert main(["export", "--output", str(backup)]) == 0
    monkeypatch.setenv("ONRECORD_DATABASE_URL", f"sqlite:///{tmp_path / 'b.sqlite'}")
    assert main(["import", str(backup)]) == 0
    assert "imported" in capsys.readouterr().out
    assert main(["import", str(backup)]) == 2  # into a non-empty store: refused
    assert "not empty" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "missing.jsonl")]) == 2
    restored = Store(f"sqlite:///{tmp_path / 'b.sqlite'}")
    try:
        assert dump(restored) == expected
    finally:
        restored.close()


def test_export_without_a_newer_table_still_imports(store: Store, tmp_path: Path) -> None:
    """An export written before a table existed has no count for it: it imports."""
    source = Store(f"sqlite:///{tmp_path / 'source.sqlite'}")
    populate(source)
    lines = dump(source).splitlines(keepends=True)
    source.close()
    older = [line for line in lines if '"table":"channel_blocks"' not in line]
    end = json.loads(older[-1])
    del end["counts"]["channel_blocks"]
    older[-1] = json.dumps(end) + "\n"
    counts = import_jsonl(store, older)
    assert counts["channel_blocks"] == 0 and counts["outbox_sends"] == 1
    assert store.channel_block("slack:C1") is None
