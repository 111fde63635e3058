"""Build the standard routes of a practice resource from its service description.

Routers stay thin: parse, call the generic use case, return. Permissions, tenancy, encryption
and audit all happen in ``openrcm.services.records``. This module deliberately does not use
postponed annotations: the request and response models are chosen per resource at run time.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from openrcm.api.dependencies import CtxDep
from openrcm.services import records
from openrcm.services.records import MAX_LIMIT, Resource
from openrcm.services.schemas import Page

RecordId = Annotated[str, Path(min_length=1, max_length=36)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")]
Cursor = Annotated[str | None, Query(max_length=36, description="next_cursor of the last page")]


def _filters(request: Request, names: tuple[str, ...]) -> dict[str, Any]:
    params = request.query_params
    out: dict[str, Any] = {}
    for name in names:
        value = params.get(name)
        if value is not None:
            out[name] = value[:100]
            if name == "referring_only":
                out[name] = value.lower() in ("1", "true", "yes")
    return out


def _filter_docs(names: tuple[str, ...]) -> dict[str, Any]:
    return {"parameters": [{"name": n, "in": "query", "required": False,
                            "schema": {"type": "string", "maxLength": 100}} for n in names]}


def crud_router(res: Resource, path: str, *, tag: str, update: bool = True) -> APIRouter:
    """Routes for ``res`` under ``path`` (which contains ``{parent_id}`` for nested ones)."""
    router = APIRouter(tags=[tag])
    In: Any = res.schema_in
    Out: Any = res.schema_out
    filter_names = res.filters
    nested = res.parent is not None
    item = path + "/{record_id}"

    def parent(request: Request) -> str | None:
        return request.path_params.get("parent_id") if nested else None

    @router.post(path, status_code=201, response_model=Out, name=f"create_{res.name}",
                 summary=f"Create a {res.name.replace('_', ' ')}")
    def create(body: In, ctx: CtxDep, request: Request) -> Any:
        return records.create(ctx, res, body, parent_id=parent(request))

    @router.get(path, response_model=Page[Out], name=f"list_{res.name}",
                summary=f"List {res.name.replace('_', ' ')} records",
                openapi_extra=_filter_docs(filter_names) if filter_names else None)
    def list_(ctx: CtxDep, request: Request, limit: Limit = 50, cursor: Cursor = None) -> Any:
        return records.list_(ctx, res, limit=limit, cursor=cursor, parent_id=parent(request),
                             filters=_filters(request, filter_names))

    @router.get(item, response_model=Out, name=f"get_{res.name}",
                summary=f"Read a {res.name.replace('_', ' ')}")
    def get(record_id: RecordId, ctx: CtxDep, request: Request) -> Any:
        return records.get(ctx, res, record_id, parent_id=parent(request))

    if update:
        @router.put(item, response_model=Out, name=f"update_{res.name}",
                    summary=f"Replace a {res.name.replace('_', ' ')}")
        def put(record_id: RecordId, body: In, ctx: CtxDep,
                request: Request) -> Any:
            return records.update(ctx, res, record_id, body, parent_id=parent(request))

    if res.deletable:
        @router.delete(item, status_code=204, name=f"delete_{res.name}",
                       summary=f"Delete a {res.name.replace('_', ' ')}")
        def delete(record_id: RecordId, ctx: CtxDep, request: Request) -> Response:
            records.delete(ctx, res, record_id, parent_id=parent(request))
            return Response(status_code=204)

    return router
