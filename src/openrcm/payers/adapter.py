"""One interface for every clearinghouse or payer connection, and a registry of them.

An adapter moves files: ``submit`` sends one batch (an 837, 270 or 276 interchange),
``fetch`` returns what came back since the last fetch (999, 277CA, 835, 271, 277), and
``enrollment`` says whether the practice is enrolled with a payer for a transaction. Adapters
for API clearinghouses plug in without touching the core: ``register`` one in code, or expose
a factory under the ``openrcm.payers.adapters`` entry point group of any installed package.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import import_module
from importlib.metadata import entry_points
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutboundFile:
    """A batch to send: file name (unique per batch), X12 kind (``837``...), the bytes."""

    name: str
    kind: str
    content: bytes


@dataclass(frozen=True, slots=True)
class InboundFile:
    """A file the other side sent back."""

    name: str
    content: bytes


@dataclass(frozen=True, slots=True)
class SubmitReceipt:
    """Transport-level result of a submission: where it went and the adapter's reference."""

    name: str
    reference: str


class EnrollmentStatus(StrEnum):
    """Whether the practice may exchange a transaction with a payer through this adapter."""

    ENROLLED = "enrolled"
    PENDING = "pending"
    NOT_ENROLLED = "not_enrolled"
    UNKNOWN = "unknown"


class AdapterError(RuntimeError):
    """The adapter could not do what was asked (the message says what, never PHI)."""


class Adapter(Protocol):
    """What every clearinghouse/payer connection offers."""

    name: str

    def submit(self, batch: OutboundFile) -> SubmitReceipt:
        """Send one batch; refuses a name already sent (a batch is never sent twice)."""
        ...

    def fetch(self) -> list[InboundFile]:
        """Files received since the last fetch, oldest first (each returned once)."""
        ...

    def enrollment(self, payer_id: str, transaction: str) -> EnrollmentStatus:
        """Enrollment of the practice with ``payer_id`` for ``transaction`` (837, 835...)."""
        ...


Factory = Callable[[Mapping[str, str]], Adapter]
_REGISTRY: dict[str, Factory] = {}
ENTRY_POINT_GROUP = "openrcm.payers.adapters"
_BUILTIN = ("openrcm.payers.directory.adapter", "openrcm.payers.simulator.adapter",
            "openrcm.payers.sftp.adapter")


def _load_builtin() -> None:
    for module in _BUILTIN:
        import_module(module)  # each registers itself


def register(name: str, factory: Factory) -> None:
    """Make an adapter available by name (``options`` are passed to ``factory``)."""
    _REGISTRY[name] = factory


def available() -> list[str]:
    """Names of registered and installed adapters."""
    _load_builtin()
    names = set(_REGISTRY) | {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    return sorted(names)


def create(name: str, options: Mapping[str, str]) -> Adapter:
    """An adapter instance by name.

    Raises:
        AdapterError: no adapter has that name.
    """
    _load_builtin()
    factory = _REGISTRY.get(name)
    if factory is None:
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if ep.name == name:
                factory = ep.load()
                break
    if factory is None:
        raise AdapterError(f"no payer adapter named {name!r}; available: {', '.join(available())}")
    return factory(options)
