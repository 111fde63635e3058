"""``openrcm keys``: PHI key management (generate a key, rotate stored values to the newest)."""

from __future__ import annotations

import typer

from openrcm.cli._common import JSON_OPTION, emit, runtime
from openrcm.security.phi import generate_key
from openrcm.services import keys

app = typer.Typer(help="PHI encryption keys.", no_args_is_help=True)


@app.command()
def generate(as_json: bool = JSON_OPTION) -> None:
    """Print a new key to put first in OPENRCM_PHI_KEYS (then run `openrcm keys rotate`)."""
    key = generate_key()
    emit({"key": key}, as_json, key)


@app.command()
def rotate(as_json: bool = JSON_OPTION) -> None:
    """Re-encrypt every PHI value written under an older key with the newest key."""
    rt = runtime()
    counts = keys.rotate(rt.db, rt.cipher)
    emit({"rewritten": counts}, as_json,
         "re-encrypted: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
