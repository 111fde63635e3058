"""SQLite connection settings: page size of new databases, WAL and its size limit, foreign
keys."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from openrcm.store.db import PAGE_SIZE, WAL_SIZE_LIMIT, Database, create_schema


def _pragma(path: Path, name: str) -> object:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]


def test_new_database_gets_the_page_size_then_wal(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    db = Database(f"sqlite:///{path}")
    create_schema(db.engine)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_size_limit").scalar() == WAL_SIZE_LIMIT
    db.dispose()
    assert _pragma(path, "page_size") == PAGE_SIZE == 8192
    assert _pragma(path, "journal_mode") == "wal"


def test_existing_database_keeps_its_page_size(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA page_size=4096")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (x INTEGER)")
    db = Database(f"sqlite:///{path}")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 1
    db.dispose()
    assert _pragma(path, "page_size") == 4096
