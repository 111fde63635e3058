"""``openrcm users``: create users with roles in practices."""

from __future__ import annotations

import sys

import typer

from openrcm.cli._common import JSON_OPTION, emit, fail, runtime
from openrcm.security.passwords import PasswordPolicyError
from openrcm.security.roles import Role
from openrcm.services import auth
from openrcm.services.errors import InvalidInput, ServiceError

app = typer.Typer(help="Users and their practice roles.", no_args_is_help=True)


@app.command()
def create(
    email: str = typer.Option(..., help="Sign-in e-mail."),
    practice: list[str] = typer.Option(..., help="Practice id (repeat for several)."),
    role: list[Role] = typer.Option(..., help="Role in those practices (repeatable)."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from standard input."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Create a user with the given roles in each given practice."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        try:
            user_id = auth.create_user(runtime().db, email, password,
                                       {pid: role for pid in practice}, actor="cli")
        except PasswordPolicyError as exc:
            raise InvalidInput(str(exc), field="password") from exc
    except ServiceError as exc:
        raise fail(exc, as_json) from exc
    emit({"user_id": user_id, "practices": practice, "roles": [r.value for r in role]},
         as_json, f"created user {user_id}")
