"""The simulator behind the adapter interface: a directory drop whose other side is the
simulator engine, run in-process (tests, demo) or by ``openrcm payer-sim`` watching the folder.

``root/outbox`` holds what the practice sent, ``root/inbox`` what the simulator answered, and
``root/simulator/state.json`` the simulator's memory (written atomically after each step).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

from openrcm.payers.adapter import (
    AdapterError,
    EnrollmentStatus,
    InboundFile,
    OutboundFile,
    SubmitReceipt,
    register,
)
from openrcm.payers.directory.adapter import DirectoryAdapter, write_atomic
from openrcm.payers.simulator.config import SimConfig, default_config, parse_config
from openrcm.payers.simulator.engine import Reply, SimState, handle, pay_cycle
from openrcm.x12.views.codec import from_json, to_json


class SimulatorAdapter:
    """A payer simulator reached through outbox/inbox folders."""

    name = "simulator"

    def __init__(self, root: Path, config: SimConfig | None = None,
                 today: Callable[[], date] = date.today) -> None:
        self.folders = DirectoryAdapter(root)
        self.config = config or default_config()
        self.today = today
        self.home = root / "simulator"
        self.home.mkdir(parents=True, exist_ok=True)
        self.state_path = self.home / "state.json"

    def load(self) -> tuple[SimState, list[str]]:
        """The saved state and the outbox files already answered."""
        if not self.state_path.exists():
            return SimState(), []
        try:
            data = json.loads(self.state_path.read_text())
            return from_json(SimState, data["state"], "state"), list(data["answered"])
        except (ValueError, KeyError, TypeError) as exc:
            raise AdapterError(
                f"{self.state_path} is not a simulator state this version can read ({exc}); "
                "move it away to start the simulator afresh") from exc

    def _save(self, state: SimState, answered: list[str]) -> None:
        text = json.dumps({"state": to_json(state), "answered": answered}, sort_keys=True)
        write_atomic(self.state_path, text.encode())

    def _deliver(self, replies: list[Reply]) -> None:
        for reply in replies:
            write_atomic(self.folders.inbox / reply.name, reply.text.encode())

    def process(self) -> int:
        """Answer every outbox file not answered yet; returns how many were answered."""
        state, answered = self.load()
        done = set(answered)
        count = 0
        for path in sorted(p for p in self.folders.outbox.iterdir()
                           if p.is_file() and not p.name.startswith(".")):
            if path.name in done:
                continue
            state, replies = handle(state, self.config, path.read_bytes(), self.today())
            answered.append(path.name)
            done.add(path.name)
            self._deliver(replies)
            self._save(state, answered)
            count += 1
        return count

    def pay(self) -> int:
        """Run one payment cycle: 835s for everything accepted; returns how many 835s."""
        state, answered = self.load()
        state, replies = pay_cycle(state, self.config, self.today())
        self._deliver(replies)
        self._save(state, answered)
        return len(replies)

    def submit(self, batch: OutboundFile) -> SubmitReceipt:
        receipt = self.folders.submit(batch)
        self.process()
        return receipt

    def fetch(self) -> list[InboundFile]:
        return self.folders.fetch()

    def enrollment(self, payer_id: str, transaction: str) -> EnrollmentStatus:
        if payer_id in self.config.payers:
            return EnrollmentStatus.ENROLLED
        return EnrollmentStatus.NOT_ENROLLED


def _factory(options: Mapping[str, str]) -> SimulatorAdapter:
    if "root" not in options:
        raise AdapterError("the simulator adapter needs a root folder (option root)")
    config = None
    if options.get("config"):
        config = parse_config(Path(options["config"]).read_text())
    return SimulatorAdapter(Path(options["root"]), config)


register("simulator", _factory)
