"""The harness itself: both engines answer, so no store test can pass by talking to nothing."""

from __future__ import annotations

import sqlalchemy as sa


def test_database_url_answers_on_each_engine(database_url: str) -> None:
    """Each parametrised URL reaches a live engine that runs SQL."""
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT 1 + 1")).scalar_one() == 2
    engine.dispose()
