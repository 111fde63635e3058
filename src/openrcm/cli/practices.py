"""``openrcm practices``: onboard a practice and list the installation's practices."""

from __future__ import annotations

import typer
from pydantic import ValidationError

from openrcm.cli._common import JSON_OPTION, emit, fail, runtime
from openrcm.services import tenants
from openrcm.services.errors import InvalidInput, ServiceError

app = typer.Typer(help="Practices (tenants) and their organizations.", no_args_is_help=True)


def _command(**values: str) -> tenants.PracticeIn:
    """The validated command; the first problem names its option, never the value."""
    try:
        return tenants.PracticeIn(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "input"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise InvalidInput(f"--{field.replace('_', '-')}: {message}", field=field) from exc


@app.command()
def create(
    name: str = typer.Option(..., help="The practice's name, as on its claims."),
    npi: str = typer.Option(..., help="Group (type 2) NPI."),
    tax_id: str = typer.Option(..., "--tax-id", help="Federal tax id (EIN), nine digits."),
    organization: str = typer.Option("", help="Owning billing company or group "
                                     "(default: the practice itself)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Create a practice; then add its users with ``openrcm users create --practice ID``."""
    try:
        out = tenants.create_practice(
            runtime().db, _command(name=name, npi=npi, tax_id=tax_id, organization=organization),
            actor="cli")
    except ServiceError as exc:
        raise fail(exc, as_json) from exc
    emit(out.model_dump(), as_json, f"created practice {out.name}: {out.id} "
         f"(organization {out.organization})")


@app.command("list")
def list_cmd(as_json: bool = JSON_OPTION) -> None:
    """Every practice with its id, organization, NPI and number of users."""
    rows = tenants.list_practices(runtime().db)
    lines = [f"{p.id}  {p.name} ({p.organization}; NPI {p.npi or '-'}; "
             f"{p.members} user{'' if p.members == 1 else 's'})" for p in rows]
    emit({"practices": [p.model_dump() for p in rows]}, as_json,
         "\n".join(lines) or "no practice yet: `openrcm practices create` or `openrcm demo load`")
