"""Simulator configuration: payers, their fee schedules and benefit rules, members.

Read from YAML (``default.yaml`` beside this module is the demo's). Numbers are read as exact
decimals — the YAML float type is replaced so ``92.10`` never passes through a float. Every
problem raises :class:`ConfigError` naming the key path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

import yaml

from openrcm.money import cents

BYPASS_MODIFIERS = frozenset({"59", "XE", "XS", "XP", "XU"})
"""Modifiers that unbundle a column-two code (NCCI practice)."""


class ConfigError(ValueError):
    """The simulator configuration is invalid; the message names the key path."""


class _Loader(yaml.SafeLoader):
    """SafeLoader whose floats are Decimals."""


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    assert isinstance(node, yaml.ScalarNode)
    return Decimal(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)


@dataclass(frozen=True, slots=True)
class PayerRules:
    """How one simulated payer adjudicates.

    Attributes:
        payer_id: the electronic payer id claims are sent to (2010BB NM109).
        fee_schedule: allowed amount per unit by procedure code (an institutional line with a
            HCPCS code is priced by it first).
        default_allowed_ratio: share of the charge allowed for codes not on the schedule.
        per_diem: allowed amount per day (the line's units) by room-and-board revenue code
            (01xx), for inpatient facility lines.
        revenue_schedule: allowed amount per unit by revenue code, for facility lines the
            fee schedule does not price.
        percent_of_charge: share of the charge allowed by revenue code (facility lines priced
            by neither of the above; otherwise ``default_allowed_ratio``).
        deductible / coinsurance / copays: the member benefit (coinsurance as a fraction).
        oop_max: out-of-pocket maximum reported in 271s.
        bundles: (column one, column two) code pairs; column two is denied CO-97 on the same
            date unless it carries 59/XE/XS/XP/XU.
        medical_necessity: code -> ICD-10-CM prefixes that support it (else CO-50).
        ndc_required: drug codes denied CO-16 without an NDC.
        method: BPR04 ``CHK`` or ``ACH``. filing_indicator: CLP06 (``CI``, ``MB`` ...).
        reversal_rate / recoupment_rate: chance per payment cycle of reversing and
            reposting, or recouping part of, an earlier payment.
    """

    payer_id: str
    name: str
    fee_schedule: dict[str, Decimal] = field(default_factory=dict)
    default_allowed_ratio: Decimal = Decimal("0.60")
    per_diem: dict[str, Decimal] = field(default_factory=dict)
    revenue_schedule: dict[str, Decimal] = field(default_factory=dict)
    percent_of_charge: dict[str, Decimal] = field(default_factory=dict)
    deductible: Decimal = Decimal(0)
    coinsurance: Decimal = Decimal(0)
    copays: dict[str, Decimal] = field(default_factory=dict)
    oop_max: Decimal = Decimal(0)
    bundles: tuple[tuple[str, str], ...] = ()
    medical_necessity: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ndc_required: frozenset[str] = frozenset()
    method: str = "ACH"
    filing_indicator: str = "CI"
    reversal_rate: Decimal = Decimal(0)
    recoupment_rate: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class Member:
    """A member known to the simulator (for 271s): active or not, and what is met already."""

    member_id: str
    payer_id: str
    active: bool = True
    deductible_met: Decimal = Decimal(0)
    oop_met: Decimal = Decimal(0)
    last_name: str = ""
    first_name: str = ""


@dataclass(frozen=True, slots=True)
class SimConfig:
    """The whole simulator: seed, payers by id, members by id (empty: everyone is active)."""

    seed: int
    payers: dict[str, PayerRules]
    members: dict[str, Member] = field(default_factory=dict)
    sender_id: str = "OPENRCMSIM"
    payee_name: str = "PRACTICE"


def _money(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise ConfigError(f"{where}: expected an amount")
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:
        raise ConfigError(f"{where}: not an amount: {value!r}") from exc
    if amount < 0:
        raise ConfigError(f"{where}: must not be negative")
    return amount


def _fraction(value: Any, where: str) -> Decimal:
    amount = _money(value, where)
    if amount > 1:
        raise ConfigError(f"{where}: must be a fraction between 0 and 1")
    return amount


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a mapping")
    return {str(k): v for k, v in value.items()}


_PAYER_KEYS = {"name", "fee_schedule", "default_allowed_ratio", "per_diem", "revenue_schedule",
               "percent_of_charge", "deductible", "coinsurance",
               "copays", "oop_max", "bundles", "medical_necessity", "ndc_required", "method",
               "filing_indicator",
               "reversal_rate", "recoupment_rate"}


def _revenue_map(data: dict[str, Any], key: str, where: str, fraction: bool = False
                 ) -> dict[str, Decimal]:
    """A mapping keyed by four-digit revenue code (``per_diem`` keys must be room and board,
    01xx, the codes billed in days)."""
    out: dict[str, Decimal] = {}
    for code, value in _mapping(data.get(key), f"{where}.{key}").items():
        here = f"{where}.{key}.{code}"
        if len(code) != 4 or not code.isdigit():
            raise ConfigError(f"{here}: a revenue code has four digits (quote it: \"0120\")")
        if key == "per_diem" and not code.startswith("01"):
            raise ConfigError(f"{here}: per diem rates are for room-and-board codes (01xx)")
        out[code] = _fraction(value, here) if fraction else cents(_money(value, here))
    return out


def _payer(payer_id: str, raw: Any) -> PayerRules:
    where = f"payers.{payer_id}"
    data = _mapping(raw, where)
    unknown = set(data) - _PAYER_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}")
    bundles = []
    for n, pair in enumerate(data.get("bundles") or []):
        if not isinstance(pair, list) or len(pair) != 2:
            raise ConfigError(f"{where}.bundles[{n}]: expected [column one, column two]")
        bundles.append((str(pair[0]), str(pair[1])))
    method = str(data.get("method", "ACH"))
    if method not in ("ACH", "CHK"):
        raise ConfigError(f"{where}.method: must be ACH or CHK")
    necessity = {code: tuple(str(p) for p in prefixes) for code, prefixes
                 in _mapping(data.get("medical_necessity"), f"{where}.medical_necessity").items()}
    return PayerRules(
        payer_id=payer_id, name=str(data.get("name", payer_id)),
        fee_schedule={c: cents(_money(v, f"{where}.fee_schedule.{c}"))
                      for c, v in _mapping(data.get("fee_schedule"), where).items()},
        default_allowed_ratio=_fraction(data.get("default_allowed_ratio", "0.60"),
                                        f"{where}.default_allowed_ratio"),
        per_diem=_revenue_map(data, "per_diem", where),
        revenue_schedule=_revenue_map(data, "revenue_schedule", where),
        percent_of_charge=_revenue_map(data, "percent_of_charge", where, fraction=True),
        deductible=_money(data.get("deductible", 0), f"{where}.deductible"),
        coinsurance=_fraction(data.get("coinsurance", 0), f"{where}.coinsurance"),
        copays={c: _money(v, f"{where}.copays.{c}")
                for c, v in _mapping(data.get("copays"), where).items()},
        oop_max=_money(data.get("oop_max", 0), f"{where}.oop_max"),
        bundles=tuple(bundles), medical_necessity=necessity,
        ndc_required=frozenset(str(c) for c in data.get("ndc_required") or []),
        method=method, filing_indicator=str(data.get("filing_indicator", "CI")),
        reversal_rate=_fraction(data.get("reversal_rate", 0), f"{where}.reversal_rate"),
        recoupment_rate=_fraction(data.get("recoupment_rate", 0), f"{where}.recoupment_rate"))


def parse_config(text: str) -> SimConfig:
    """A configuration from YAML text.

    Raises:
        ConfigError: malformed YAML or a bad value; the message names the key.
    """
    try:
        raw = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}") from exc
    data = _mapping(raw, "config")
    payers = {pid: _payer(pid, body)
              for pid, body in _mapping(data.get("payers"), "payers").items()}
    if not payers:
        raise ConfigError("payers: at least one payer is required")
    members: dict[str, Member] = {}
    for mid, body in _mapping(data.get("members"), "members").items():
        m = _mapping(body, f"members.{mid}")
        payer = str(m.get("payer", ""))
        if payer not in payers:
            raise ConfigError(f"members.{mid}.payer: unknown payer {payer!r}")
        members[mid] = Member(mid, payer, bool(m.get("active", True)),
                              _money(m.get("deductible_met", 0), f"members.{mid}.deductible_met"),
                              _money(m.get("oop_met", 0), f"members.{mid}.oop_met"),
                              str(m.get("last_name", "")), str(m.get("first_name", "")))
    seed = data.get("seed", 0)
    if not isinstance(seed, int):
        raise ConfigError("seed: expected an integer")
    return SimConfig(seed, payers, members, str(data.get("sender_id", "OPENRCMSIM")),
                     str(data.get("payee_name", "PRACTICE")))


def default_config() -> SimConfig:
    """The configuration shipped for the demo and the tests."""
    text = resources.files("openrcm.payers.simulator").joinpath("default.yaml").read_text()
    return parse_config(text)
