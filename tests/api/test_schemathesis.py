"""Property-based API fuzzing: schemathesis generates requests from the OpenAPI schema for every
practice-data and auth operation, authenticated as a practice admin with real record ids in
the path, and no response may be a server error. Bounded: a fixed number of examples per
operation, derandomized so failures reproduce."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openrcm.api.app import create_app
from openrcm.claims.scrub import scrubber
from openrcm.security.roles import Role
from openrcm.store.db import Database, create_schema
from tests.api.routes import url
from tests.api.world import Tenant, build_world, runtime
from tests.store.fixtures import engine_url
from tests.support.postgres import PostgresServer

EXAMPLES = 3
SKIP = {("POST", "/api/auth/logout")}  # would revoke the token the run signs in with


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql",
                                                                marks=pytest.mark.postgres)])
def fuzz_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[tuple[object, Tenant]]:
    if request.param == "sqlite":
        db_url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        db_url = engine_url(server.create_database())
    db = Database(db_url)
    create_schema(db.engine)
    rt = runtime(db, tmp_path_factory.mktemp("home"))
    a, _ = build_world(rt)
    app = create_app()
    app.state.runtime = rt
    # As in the other API tests: the TR3 and payer edits, without compiling the code tables,
    # whose first load on a fresh home outlasts the client's read timeout.
    app.state.claims_scrubber = scrubber()
    yield app, a
    db.dispose()


def _ours(path: str) -> bool:
    return path.startswith(("/api/practices", "/api/auth"))


@pytest.mark.slow
def test_no_server_errors_on_generated_requests(fuzz_app: tuple[object, Tenant],
                                               tmp_path: Path) -> None:
    """Every generated request gets a 2xx/4xx answer, never a 5xx."""
    app, a = fuzz_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = {"Authorization": f"Bearer {a.tokens[Role.ADMIN]}"}
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not _ours(operation.path) or (operation.method.upper(), operation.path) in SKIP:
            continue
        operations += 1
        _fuzz(operation, a, headers, failures)
    assert operations > 50
    assert failures == []


def _fuzz(operation: schemathesis.APIOperation, a: Tenant, headers: dict[str, str],
          failures: list[str]) -> None:
    template = operation.path

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(), real_ids=st.booleans())
    def run(case: schemathesis.Case, real_ids: bool) -> None:
        if case.path_parameters and "practice_id" in case.path_parameters:
            filled = url(template, a.practice_id, a.ids).split("/")
            for i, part in enumerate(template.split("/")):
                name = part.strip("{}")
                if part.startswith("{") and (real_ids or name == "practice_id"):
                    case.path_parameters[name] = filled[i]
        try:
            response = case.call(headers=headers)
        except Exception as exc:  # the app raised instead of answering: a server error
            failures.append(f"{case.method} {template}: {type(exc).__name__}: {exc}"[:300])
            return
        if response.status_code >= 500:
            failures.append(f"{case.method} {template}: {response.status_code} "
                            f"{response.text[:200]}")

    run()
