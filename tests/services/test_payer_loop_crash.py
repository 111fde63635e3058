"""A process killed in the middle of posting an 835 leaves nothing half posted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from openrcm.services import ledger
from openrcm.services.payer_loop import post_era
from openrcm.store.db import Database, create_schema
from openrcm.store.models import JournalEntryRow, Remittance
from openrcm.x12.builders.envelope import Envelope
from openrcm.x12.builders.remittance import write_remittance
from openrcm.x12.views.common import Entity
from openrcm.x12.views.remittance import Remittance as RemittanceView
from tests.services.payer_loop_world import PAID_ON, D, build, payment

CHILD = """
import sys, time
from openrcm.security.phi import PhiCipher, generate_key
from openrcm.security.roles import Role
from openrcm.services.context import Actor, Ctx
from openrcm.services.payer_loop import post_era
from openrcm.store.db import Database

url, practice, path = sys.argv[1:4]
ctx = Ctx(db=Database(url), cipher=PhiCipher([generate_key()]),
          actor=Actor(user_id="crash", practice_id=practice, roles=frozenset({Role.ADMIN})))

def progress(done: int) -> None:
    print(f"progress {done}", flush=True)
    time.sleep(60)  # killed here: the first remittance is written, not committed

post_era(ctx, open(path, "rb").read(), progress=progress)
print("committed", flush=True)
"""


def _entries(db: Database, practice: str) -> int:
    with db.uow(practice) as uow:
        return int(uow.session.execute(select(func.count()).select_from(JournalEntryRow).where(
            JournalEntryRow.id.like("era-%"))).scalar_one())


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_midway_then_rerun_posts_exactly_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    db = Database(url)
    create_schema(db.engine)
    w = build(db, count=2)
    practice = w.ctx.actor.practice_id
    views = [RemittanceView(f"{n:04d}", "I", D("80.00"), "C", "ACH", PAID_ON, f"TRACE{n}",
                            Entity("PR", "PAYER", id_qualifier="XV", id="SIMPPO"),
                            Entity("PE", "CLINIC"),
                            claims=(payment(claim.id, "99213", "150.00", "80.00",
                                            ("CO", "45", "40.00"), ("PR", "2", "30.00")),))
             for n, claim in enumerate(w.claims, start=1)]
    path = tmp_path / "two.835"
    path.write_text(write_remittance(views, Envelope("PAYER", "CLINIC", 7, 7, PAID_ON)))
    child = subprocess.Popen([sys.executable, "-c", CHILD, url, practice, str(path)],
                             stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.startswith("progress 1"), line
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert _entries(db, practice) == 0  # nothing of the first remittance survived
    with db.uow(practice) as uow:
        assert uow.session.execute(select(func.count()).select_from(Remittance)).scalar_one() == 0
    result = post_era(w.ctx, path.read_bytes())
    assert [r.posted for r in result.remittances] == [1, 1]
    assert post_era(w.ctx, path.read_bytes()).duplicate
    assert ledger.patient_account(w.ctx, w.ids["patient"]).patient_balance == D("60.00")
    db.dispose()
