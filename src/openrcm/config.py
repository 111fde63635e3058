"""Settings from the environment, read once at the edge and passed inward as values.

The core never reads the environment; services and interfaces get a ``Settings``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _default_home() -> Path:
    return Path(os.environ.get("OPENRCM_HOME", Path.cwd() / "var"))


@dataclass(frozen=True, slots=True)
class Settings:
    """Where openrcm keeps its state and how it protects it.

    Attributes:
        home: folder for the embedded database, compiled code-set indexes and submissions.
        database_url: SQLAlchemy URL; SQLite in ``home`` unless OPENRCM_DATABASE_URL is set.
        phi_keys: field-encryption keys, newest first (OPENRCM_PHI_KEYS, comma separated);
            older keys stay to decrypt what they wrote until rotation rewrites it.
        clearinghouse: the payer adapter the API sends through (OPENRCM_CLEARINGHOUSE:
            ``simulator``, ``directory``, ``sftp`` or an installed one; its options are in
            ``home/adapters.yaml``).
    """

    home: Path
    database_url: str
    phi_keys: tuple[str, ...]
    clearinghouse: str = "simulator"

    @classmethod
    def from_env(cls) -> Settings:
        home = _default_home()
        url = os.environ.get("OPENRCM_DATABASE_URL", f"sqlite:///{home / 'openrcm.db'}")
        keys = tuple(k for k in os.environ.get("OPENRCM_PHI_KEYS", "").split(",") if k)
        return cls(home=home, database_url=url, phi_keys=keys,
                   clearinghouse=os.environ.get("OPENRCM_CLEARINGHOUSE", "simulator"))
