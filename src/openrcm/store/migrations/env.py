"""Alembic environment: runs migrations on the connection or URL ``openrcm.store.migrate`` gives."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from openrcm.store.db import make_engine
from openrcm.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use the connection handed in by ``migrate.upgrade`` or open one on the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "", pool=False)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("openrcm migrations run online only: openrcm db upgrade")
run_migrations_online()
