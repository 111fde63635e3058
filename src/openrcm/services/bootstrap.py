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
    """What every request shares: the database, the PHI cipher, and the settings they were
    built from (the home folder and clearinghouse that requests act through)."""

    db: Database
    cipher: PhiCipher
    settings: Settings


def build(settings: Settings) -> Runtime:
    """Wire the real database and cipher for these settings."""
    return Runtime(db=Database(settings.database_url), cipher=cipher_for(settings),
                   settings=settings)
