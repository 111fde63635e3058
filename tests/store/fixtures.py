"""Database fixtures shared by tests/store, tests/services and tests/api.

Each test gets a fresh database on each engine (the ``database_url`` fixture). On PostgreSQL the
schema is created by a non-superuser role that owns the tables, because superusers bypass
row-level security: the suite then exercises the same policies production runs under.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import make_url

from openrcm.store.db import Database, create_schema
from openrcm.store.models import Organization, Practice

APP_ROLE = "openrcm_app"


def app_role_url(database_url: str) -> str:
    """Hand a fresh PostgreSQL database to the unprivileged application role; return its URL."""
    import psycopg

    url = make_url(database_url)
    with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname=url.database,
                         autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (APP_ROLE,)).fetchone()
        if not exists:
            conn.execute(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS")
        conn.execute(f'ALTER DATABASE "{url.database}" OWNER TO {APP_ROLE}')
        conn.execute(f"ALTER SCHEMA public OWNER TO {APP_ROLE}")
    return url.set(username=APP_ROLE).render_as_string(hide_password=False)


def engine_url(database_url: str) -> str:
    """The URL the application uses: unchanged for SQLite, the app role for PostgreSQL."""
    if database_url.startswith("postgresql"):
        return app_role_url(database_url)
    return database_url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A fresh database with the full schema (tables, triggers, policies)."""
    database = Database(engine_url(database_url))
    create_schema(database.engine)
    yield database
    database.dispose()


def new_practice(database: Database, name: str = "Test practice") -> str:
    """A practice (in an organization of its own) committed to ``database``; its id."""
    with database.system() as uow:
        org = Organization(name=f"{name} billing")
        uow.session.add(org)
        uow.session.flush()
        practice = Practice(organization_id=org.id, name=name)
        uow.session.add(practice)
        uow.session.flush()
        return practice.id
