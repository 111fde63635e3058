"""Sign-in over HTTP: session cookie and bearer token, who-am-I, logout, problem+json 401s."""

from __future__ import annotations

from fastapi.testclient import TestClient

from openrcm.security.roles import Role
from openrcm.services import auth
from openrcm.services.bootstrap import Runtime
from tests.api.world import PASSWORD, Tenant


def test_session_cookie_and_token_sign_in(client: TestClient, rt: Runtime,
                                          world: tuple[Tenant, Tenant]) -> None:
    """A session sets an HttpOnly cookie that authenticates; logout revokes it."""
    a, b = world
    auth.create_user(rt.db, "two@practices.test", PASSWORD,
                     {a.practice_id: [Role.CODER], b.practice_id: [Role.BILLER]})
    login = client.post("/api/auth/login", json={"email": "two@practices.test",
                                                 "password": PASSWORD})
    assert login.status_code == 200
    assert "httponly" in login.headers["set-cookie"].lower()
    assert sorted(login.json()["practices"]) == sorted([a.practice_id, b.practice_id])
    me = client.get("/api/auth/me")  # the cookie jar carries the session
    assert me.status_code == 200
    assert me.json()["practices"] == {a.practice_id: ["coder"], b.practice_id: ["biller"]}
    mine = client.get("/api/practices").json()
    assert {p["id"]: p["roles"] for p in mine} == me.json()["practices"]
    # the same user has different rights in each practice
    assert client.post(f"/api/practices/{a.practice_id}/payers", json={
        "payer_code": "11111", "name": "X", "claim_filing_indicator": "CI"}).status_code == 403
    assert client.get(f"/api/practices/{b.practice_id}/patients/"
                      f"{b.ids['patient']}/account").status_code == 200
    assert client.post("/api/auth/logout").status_code == 204
    client.cookies.clear()
    token = login.json()["token"]
    again = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 401
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["code"] == "unauthenticated"


def test_wrong_password_is_401_without_saying_which_part(client: TestClient,
                                                        world: tuple[Tenant, Tenant]) -> None:
    """Unknown e-mail and wrong password answer alike (no account enumeration)."""
    unknown = client.post("/api/auth/login", json={"email": "nobody@a.test",
                                                   "password": PASSWORD})
    wrong = client.post("/api/auth/login", json={"email": "admin@a.test",
                                                 "password": "not the password"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json()["detail"] == wrong.json()["detail"]
