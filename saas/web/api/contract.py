"""API operations: one decorator routes a view, checks its key, reads and writes its models."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, get_type_hints

from flask import g, jsonify, request, url_for
from pydantic import BaseModel, ValidationError

from saas.web.api import bp
from saas.web.api.auth import admit
from saas.web.api.problems import from_validation
from saas.web.api.records import found, refusals


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says of one route: its models, scope and answers."""

    rule: str
    method: str
    view: Callable[..., Any]
    scope: str | None
    answer: type[BaseModel] | None
    status: int
    body: type[BaseModel] | None
    optional: bool
    query: type[BaseModel] | None

    @property
    def writes(self) -> bool:
        """A write runs as one unit of work."""
        return (self.scope or "").endswith(".write")

    @property
    def reader(self) -> Operation | None:
        """The GET of one record that reads what this operation creates, if there is one."""
        made = self.answer if self.status == 201 else None
        reads = [o for o in OPERATIONS if o.method == "GET" and _ID.search(o.rule)]
        return next((o for o in reads if made and issubclass(made, o.answer or ())), None)


OPERATIONS: list[Operation] = []
_ID = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _read(model: type[BaseModel], data: Any, where: str = "pointer") -> Any:
    brand = {"currency": g.tenant.currency, "locales": list(g.tenant.locales)}
    try:
        return model.model_validate(data, context=brand)
    except ValidationError as exc:
        raise from_validation(exc, where) from None


def _given(op: Operation, hints: dict[str, Any], ids: dict[str, int]) -> dict[str, Any]:
    """What the view takes: its query, its body (read by Flask, so its guards apply), its rows."""
    given: dict[str, Any] = {}
    if op.query:
        given["query"] = _read(op.query, request.args.to_dict(), "parameter")
    if op.body:
        data = {} if op.optional and not request.get_data() else request.get_json()
        given["body"] = _read(op.body, data)
    above = None
    for name in _ID.findall(op.rule):
        model = hints.get(row := name.removesuffix("_id"))
        if model is None:
            given[name] = ids[name]
        else:
            given[row] = above = found(model, ids[name], under=above)
    return given


def _answer(op: Operation, result: Any) -> Any:
    """Write what the view returned (a row, JSON, a page and its cursor) as its model."""
    if op.answer is None:
        return "", 204
    if isinstance(result, tuple):  # a page: its items, and the next page's cursor
        result = {"data": result[0], "next_cursor": result[1]}
    result = op.answer.model_validate(result)
    headers = {}
    if reader := op.reader:  # what was made is found where its GET reads it
        (name,) = _ID.findall(reader.rule)
        where = url_for(f"api.{reader.view.__name__}", **{name: result.id}, _external=True)
        headers["Location"] = where
    return jsonify(result.model_dump(mode="json")), op.status, headers


def route(
    spec: str,
    scope: str | None,
    answer: type[BaseModel] | None,
    *,
    optional: bool = False,
    created: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Route "METHOD /rule": check the key's scope, hand the view what it takes, answer.

    The view's parameters say what it takes: a `body` (`optional` if it may be left out) and a
    `query` of the models they are annotated with, and for each `<int:x_id>` of the rule `x_id`
    itself or `x`, the brand's row of the model annotated, belonging to the row before it.
    `created` answers 201, with the Location of the record where a GET reads it.
    """
    method, rule = spec.split(" ")
    status = 201 if created else 204 if answer is None else 200

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        hints = get_type_hints(view)
        body, query = hints.get("body"), hints.get("query")
        op = Operation(rule, method, view, scope, answer, status, body, optional, query)

        @wraps(view)
        def endpoint(**ids: int) -> Any:
            if scope:
                admit(scope)
            given = _given(op, hints, ids)
            with refusals(op.writes):
                result = view(**given)
            return _answer(op, result)  # after the commit, which reloads what the change wrote

        endpoint.api_scope = scope  # type: ignore[attr-defined]
        bp.add_url_rule(rule, view.__name__, endpoint, methods=[method])
        OPERATIONS.append(op)
        return view

    return decorator
