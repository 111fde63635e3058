"""The composition root: settings in, a database and a PHI cipher out.

Interfaces (API, CLI, web) build one :class:`Runtime` and hand it to use cases; tests build
theirs on a test database. Nothing else constructs engines or ciphers.
"""

from __future__ import annotations

from dataclasses import dataclass

from openrcm.config import Settings
from openrcm.security.phi import PhiCipher
from openrcm.services.keys import cipher_for
from openrcm.store.db import Database


@dataclass(frozen=True)
class Runtime:
    """What every request shares: the database and the PHI cipher."""

    db: Database
    cipher: PhiCipher


def build(settings: Settings) -> Runtime:
    """Wire the real database and cipher for these settings."""
    return Runtime(db=Database(settings.database_url), cipher=cipher_for(settings))
