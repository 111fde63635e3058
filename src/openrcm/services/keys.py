"""PHI keys from configuration, a generated development key, and rotation of stored values.

Production configures OPENRCM_PHI_KEYS (newest first). Without it, a development key is
generated once into OPENRCM_HOME/phi.key (mode 0600) and a warning is logged, so the demo runs
out of the box but nobody mistakes it for a managed key. ``rotate`` re-encrypts every stored
PHI value still written under an older key.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select

from openrcm.config import Settings
from openrcm.security.phi import PhiCipher, generate_key
from openrcm.services import audit
from openrcm.services.context import SYSTEM_ACTOR
from openrcm.store.db import Database
from openrcm.store.models import Base, Coverage, EncounterDocument, Patient, User

log = logging.getLogger(__name__)

DEV_KEY_FILE = "phi.key"

ENCRYPTED_FIELDS: dict[type[Base], dict[str, str]] = {
    Patient: {
        "first_name_enc": "patient.first_name",
        "last_name_enc": "patient.last_name",
        "birth_date_enc": "patient.birth_date",
        "address_enc": "patient.address",
        "phone_enc": "patient.phone",
        "email_enc": "patient.email",
        "guarantor_enc": "patient.guarantor",
    },
    Coverage: {"subscriber_enc": "coverage.subscriber", "member_id_enc": "coverage.member_id"},
    EncounterDocument: {"content_enc": "document.content"},
    User: {"totp_secret_enc": "user.totp_secret"},
}
"""Every ciphertext column and the encryption context its values are bound to."""


def dev_key_path(settings: Settings) -> Path:
    return settings.home / DEV_KEY_FILE


def phi_keys(settings: Settings) -> tuple[str, ...]:
    """The configured keys, or the development key (created on first use, with a warning)."""
    if settings.phi_keys:
        return settings.phi_keys
    path = dev_key_path(settings)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(generate_key() + "\n")
    log.warning("OPENRCM_PHI_KEYS is not set: using the development PHI key in %s; "
                "configure managed keys before storing real patient data", path)
    keys = [k.strip() for k in path.read_text().splitlines() if k.strip()]
    return tuple(keys)


def cipher_for(settings: Settings) -> PhiCipher:
    """The PHI cipher for these settings."""
    return PhiCipher(phi_keys(settings))


def _batches(db: Database, model: type[Base]) -> Iterator[list[str]]:
    with db.uow(None) as uow:
        ids = list(uow.session.scalars(select(model.id)))  # type: ignore[attr-defined]
    for start in range(0, len(ids), 500):
        yield ids[start:start + 500]


def rotate(db: Database, cipher: PhiCipher) -> dict[str, int]:
    """Re-encrypt every value not under the newest key; returns rewritten counts per table."""
    counts: dict[str, int] = {}
    for model, fields in ENCRYPTED_FIELDS.items():
        table = model.__tablename__
        counts[table] = 0
        for batch in _batches(db, model):
            with db.uow(None) as uow:
                rows = uow.session.scalars(
                    select(model).where(model.id.in_(batch))  # type: ignore[attr-defined]
                )
                for row in rows:
                    changed = False
                    for column, context in fields.items():
                        token = getattr(row, column)
                        if token and cipher.needs_rotation(token):
                            setattr(row, column, cipher.rotate(token, context=context))
                            changed = True
                    counts[table] += changed
                audit.append(uow, actor=SYSTEM_ACTOR, practice_id=None, action="keys.rotate",
                             resource=table, phi=True, detail={"rows": str(len(batch))})
                uow.commit()
    return counts
