"""The clearinghouse connection of a practice: which adapter, with which options.

One place decides it for the API and the command line, so a batch the CLI sends and a
response the API fetches go through the same folder or server. The adapter's options come from
``home/adapters.yaml`` (adapter name -> options), then explicit ``key=value`` pairs; secrets are
never options, only the names of the environment variables that hold them (see each adapter).
Each practice has its own folder (``home/clearinghouse/<practice id>``) unless a root is
given, so one practice's fetch never consumes another practice's acknowledgments or 835s.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from openrcm.config import Settings
from openrcm.payers.adapter import Adapter, AdapterError, create
from openrcm.services.errors import ServiceError


class ClearinghouseUnavailable(ServiceError):
    """The clearinghouse could not be reached or refused the exchange (the adapter's message:
    host, folder or setting at fault, never PHI or a secret)."""

    code = "clearinghouse_unavailable"
    status = 502


def adapter_options(settings: Settings, name: str, practice_id: str, *,
                    root: Path | None = None, pairs: Sequence[str] = ()) -> dict[str, str]:
    """The options of adapter ``name``: its ``adapters.yaml`` entry, then each ``key=value``,
    then ``root``; the folder defaults to the practice's own.

    Raises:
        AdapterError: the file is not readable YAML or an entry or pair is malformed.
    """
    path = settings.home / "adapters.yaml"
    options: dict[str, str] = {}
    if path.exists():
        try:
            data = yaml.safe_load(path.read_text()) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise AdapterError(f"{path} is not readable YAML") from exc
        entry = data.get(name) if isinstance(data, dict) else None
        if entry is not None and not isinstance(entry, dict):
            raise AdapterError(f"{path}: {name} must map option names to values")
        for key, value in (entry or {}).items():
            if isinstance(value, dict | list) or value is None:
                raise AdapterError(f"{path}: {name}.{key} must be a single value")
            options[str(key)] = str(value)
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise AdapterError(f"--option {key.strip() or pair!r} must be key=value")
        options[key.strip()] = value.strip()
    if root is not None:
        options["root"] = str(root)
    options.setdefault("root", str(settings.home / "clearinghouse" / practice_id))
    return options


def connect(settings: Settings, practice_id: str, name: str | None = None, *,
            root: Path | None = None, pairs: Sequence[str] = ()) -> Adapter:
    """The practice's adapter (``name``, else the installation's ``settings.clearinghouse``).

    Raises:
        ClearinghouseUnavailable: unknown adapter, or options it refuses.
    """
    chosen = name or settings.clearinghouse
    try:
        return create(chosen, adapter_options(settings, chosen, practice_id, root=root,
                                              pairs=pairs))
    except AdapterError as exc:
        raise ClearinghouseUnavailable(str(exc)) from exc
