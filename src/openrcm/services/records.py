"""Generic create/read/list/update/delete for practice records, tenant-confined and audited.

A :class:`Resource` describes one record type as data: its table, its command and view
schemas, the permissions to read and write it, which fields are PHI (encrypted with their own
context), which references must point into the same practice, and the filters a list accepts.
The functions here do the rest the same way for every resource, so tenancy, encryption and audit
cannot be forgotten for one of them:

- every query is confined to ``ctx.actor.practice_id``; an id of another practice is NotFound;
- PHI fields are JSON-encoded, then encrypted (``<field>_enc`` columns);
- every write, and every read of a PHI-bearing resource, appends an audit event in the same
  transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError

from openrcm.security.phi import PhiCipher
from openrcm.security.roles import Permission
from openrcm.services import audit
from openrcm.services.context import Ctx, authorize
from openrcm.services.errors import Conflict, InvalidInput, NotFound
from openrcm.services.schemas import Page
from openrcm.store.db import UnitOfWork
from openrcm.store.models import Base

MAX_LIMIT = 200

Hook = Callable[[Ctx, UnitOfWork, dict[str, Any]], None]


@dataclass(frozen=True)
class Resource:
    """One record type, described as data.

    Attributes:
        name: singular name used in audit actions and errors (``patient``).
        model: the table.
        schema_in / schema_out: command and view.
        read / write: permissions for reading and for changing.
        phi: PHI field -> encryption context; stored in ``<field>_enc``.
        parent: (foreign-key column, parent model) for records nested under another.
        refs: fields that must name a record of the same practice, with its model.
        filters: columns a list may filter on by exact value.
        csv: list fields stored comma-joined (modifiers, pointers).
        audited_reads: reads are audited (PHI or PHI-linked data).
        deletable: may be deleted (never for money or clinical history).
        before_write: hook that may check or add columns (runs in the transaction).
    """

    name: str
    model: type[Base]
    schema_in: type[BaseModel]
    schema_out: type[BaseModel]
    read: Permission
    write: Permission
    phi: Mapping[str, str] = field(default_factory=dict)
    parent: tuple[str, type[Base]] | None = None
    refs: Mapping[str, type[Base]] = field(default_factory=dict)
    filters: tuple[str, ...] = ()
    csv: tuple[str, ...] = ()
    audited_reads: bool = False
    deletable: bool = False
    before_write: Hook | None = None


def _col(model: type[Base], name: str) -> Any:
    return getattr(model, name)


def find(uow: UnitOfWork, model: type[Base], record_id: str, practice_id: str,
         what: str) -> Any:
    """The row of ``model`` with ``record_id`` in the practice, else NotFound (never 403)."""
    row = uow.session.scalar(select(model).where(
        _col(model, "id") == record_id, _col(model, "practice_id") == practice_id))
    if row is None:
        raise NotFound(f"{what} {record_id} not found")
    return row


def check_refs(uow: UnitOfWork, practice_id: str, refs: Mapping[str, type[Base]],
               values: Mapping[str, Any]) -> None:
    """Each reference must name a record of the same practice (same answer if it is absent)."""
    for name, model in refs.items():
        value = values.get(name)
        if value is None:
            continue
        found = uow.session.scalar(select(_col(model, "id")).where(
            _col(model, "id") == value, _col(model, "practice_id") == practice_id))
        if found is None:
            raise InvalidInput(f"{name} does not name a record of this practice", field=name)


def to_columns(res: Resource, cipher: PhiCipher, data: Mapping[str, Any]) -> dict[str, Any]:
    """Command values to column values: PHI encrypted, lists joined."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in res.phi:
            out[f"{key}_enc"] = (None if value is None else cipher.encrypt(
                json.dumps(value, sort_keys=True, default=str), context=res.phi[key]))
        elif key in res.csv:
            out[key] = ",".join(str(v) for v in value)
        else:
            out[key] = value
    return out


def to_view(res: Resource, cipher: PhiCipher, row: Any) -> BaseModel:
    """A row to its view: PHI decrypted, lists split."""
    values: dict[str, Any] = {}
    for name in res.schema_out.model_fields:
        if name in res.phi:
            token = getattr(row, f"{name}_enc")
            values[name] = (None if token is None
                            else json.loads(cipher.decrypt(token, context=res.phi[name])))
        elif name in res.csv:
            raw = getattr(row, name)
            values[name] = [int(v) if v.isdigit() else v for v in raw.split(",") if v]
        else:
            values[name] = getattr(row, name)
    return res.schema_out.model_validate(values)


def _coerce(model: type[Base], key: str, value: Any) -> Any:
    """A filter value as the column's type (query strings arrive as text)."""
    if not isinstance(value, str):
        return value
    kind = _col(model, key).type.python_type
    try:
        if kind is date:
            return date.fromisoformat(value)
        if kind is bool:
            return value.lower() in ("1", "true", "yes")
        if kind is int:
            return int(value)
    except ValueError as exc:
        raise InvalidInput(f"filter {key} is not a valid {kind.__name__}", field=key) from exc
    return value


def _scope(res: Resource, ctx: Ctx, parent_id: str | None) -> list[ColumnElement[bool]]:
    conditions = [_col(res.model, "practice_id") == ctx.actor.practice_id]
    if res.parent is not None:
        conditions.append(_col(res.model, res.parent[0]) == parent_id)
    return conditions


def _parent(ctx: Ctx, uow: UnitOfWork, res: Resource, parent_id: str | None) -> None:
    if res.parent is not None:
        if parent_id is None:
            raise InvalidInput(f"{res.name} needs its parent")
        find(uow, res.parent[1], parent_id, ctx.actor.practice_id,
             res.parent[1].__tablename__.rstrip("s").replace("_", " "))


def _flush(uow: UnitOfWork, res: Resource) -> None:
    try:
        uow.session.flush()
    except IntegrityError as exc:
        raise Conflict(f"{res.name} conflicts with an existing record") from exc


def create(ctx: Ctx, res: Resource, data: BaseModel, *, parent_id: str | None = None,
           extra: Mapping[str, Any] | None = None) -> Any:
    """Create a record in the caller's practice."""
    authorize(ctx, res.write)
    with ctx.uow() as uow:
        _parent(ctx, uow, res, parent_id)
        values = data.model_dump(mode="json" if res.phi else "python")
        if res.phi:  # non-PHI fields keep their Python types (dates, Decimals)
            values.update({k: v for k, v in data.model_dump().items() if k not in res.phi})
        values.update(extra or {})
        check_refs(uow, ctx.actor.practice_id, res.refs, values)
        if res.parent is not None:
            values[res.parent[0]] = parent_id
        if res.before_write is not None:
            res.before_write(ctx, uow, values)
        row = res.model(practice_id=ctx.actor.practice_id, **to_columns(res, ctx.cipher, values))
        uow.session.add(row)
        _flush(uow, res)
        audit.record(ctx, uow, f"{res.name}.create", f"{res.name}:{row.id}",  # type: ignore[attr-defined]
                     phi=bool(res.phi) or res.audited_reads)
        view = to_view(res, ctx.cipher, row)
        uow.commit()
        return view


def get(ctx: Ctx, res: Resource, record_id: str, *, parent_id: str | None = None) -> Any:
    """Read one record of the caller's practice."""
    authorize(ctx, res.read)
    with ctx.uow(read_only=not res.audited_reads) as uow:
        row = uow.session.scalar(select(res.model).where(
            _col(res.model, "id") == record_id, *_scope(res, ctx, parent_id)))
        if row is None:
            raise NotFound(f"{res.name} {record_id} not found")
        view = to_view(res, ctx.cipher, row)
        if res.audited_reads:
            audit.record(ctx, uow, f"{res.name}.read", f"{res.name}:{record_id}", phi=True)
            uow.commit()
        return view


def list_(ctx: Ctx, res: Resource, *, limit: int = 50, cursor: str | None = None,
          parent_id: str | None = None, filters: Mapping[str, Any] | None = None
          ) -> Page[Any]:
    """A page of records, ordered by id (random UUIDs: a stable keyset cursor).

    ``filters`` are exact matches on columns; callers pass only names they allow (the API
    takes them from ``Resource.filters``; PHI searches use blind-index columns).
    """
    authorize(ctx, res.read)
    limit = max(1, min(limit, MAX_LIMIT))
    conditions = _scope(res, ctx, parent_id)
    given = {k: v for k, v in (filters or {}).items() if v is not None}
    for key, value in given.items():
        conditions.append(_col(res.model, key) == _coerce(res.model, key, value))
    if cursor:
        conditions.append(_col(res.model, "id") > cursor)
    with ctx.uow(read_only=not res.audited_reads) as uow:
        if res.parent is not None:
            _parent(ctx, uow, res, parent_id)
        rows: list[Any] = list(uow.session.scalars(select(res.model).where(*conditions)
                                        .order_by(_col(res.model, "id")).limit(limit + 1)))
        more = len(rows) > limit
        rows = rows[:limit]
        items = [to_view(res, ctx.cipher, r) for r in rows]
        if res.audited_reads:
            audit.record(ctx, uow, f"{res.name}.list", f"{res.name}:*", phi=True,
                         detail={"ids": ",".join(r.id for r in rows)})
            uow.commit()
    return Page[Any](items=items, next_cursor=rows[-1].id if more and rows else None)


def update(ctx: Ctx, res: Resource, record_id: str, data: BaseModel, *,
           parent_id: str | None = None) -> Any:
    """Replace a record's fields (PUT semantics)."""
    authorize(ctx, res.write)
    with ctx.uow() as uow:
        row = uow.session.scalar(select(res.model).where(
            _col(res.model, "id") == record_id, *_scope(res, ctx, parent_id)))
        if row is None:
            raise NotFound(f"{res.name} {record_id} not found")
        values = data.model_dump(mode="json" if res.phi else "python")
        if res.phi:
            values.update({k: v for k, v in data.model_dump().items() if k not in res.phi})
        check_refs(uow, ctx.actor.practice_id, res.refs, values)
        if res.parent is not None:
            values[res.parent[0]] = parent_id
        if res.before_write is not None:
            values["id"] = record_id
            res.before_write(ctx, uow, values)
            values.pop("id")
        for key, value in to_columns(res, ctx.cipher, values).items():
            setattr(row, key, value)
        _flush(uow, res)
        audit.record(ctx, uow, f"{res.name}.update", f"{res.name}:{record_id}",
                     phi=bool(res.phi) or res.audited_reads)
        view = to_view(res, ctx.cipher, row)
        uow.commit()
        return view


def delete(ctx: Ctx, res: Resource, record_id: str, *, parent_id: str | None = None) -> None:
    """Delete a record that nothing else refers to."""
    authorize(ctx, res.write)
    if not res.deletable:
        raise Conflict(f"{res.name} records cannot be deleted")
    with ctx.uow() as uow:
        row = uow.session.scalar(select(res.model).where(
            _col(res.model, "id") == record_id, *_scope(res, ctx, parent_id)))
        if row is None:
            raise NotFound(f"{res.name} {record_id} not found")
        uow.session.delete(row)
        try:
            uow.session.flush()
        except IntegrityError as exc:
            raise Conflict(f"{res.name} {record_id} is still referred to") from exc
        audit.record(ctx, uow, f"{res.name}.delete", f"{res.name}:{record_id}",
                     phi=bool(res.phi) or res.audited_reads)
        uow.commit()
