"""The tenant filter written into statements, and reads of plain columns for lists.

Every statement that reads, changes or deletes tenant-owned rows through the session is kept to
the tenant in scope (saas.db.session), as a second layer under PostgreSQL's row-level
security. The filter is one option naming the tenant as a parameter, the same for every tenant:
a statement built once is filtered once per process, not once per execution.

A select of columns run through the ORM has each row built in Python: for a page of fifty rows
that costs three times what the query does. A list that only shows columns reads them with
`read`, on the session's transaction, as the driver returns them, filtered the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Executable, Result, bindparam
from sqlalchemy.orm import with_loader_criteria

from saas.db.base import DbSession, TenantScoped
from saas.tenancy import context

TENANT = "saas_tenant"
SCOPED = "saas_scoped"
S = TypeVar("S", bound=Executable)

# Every tenant-owned table the statement names (joined, aliased or in a subquery) is kept to the
# tenant sent with it; with no tenant in scope that is NULL, which matches no row. (The name is
# spelt out: a name from outside the lambda would be taken for a value it tracks.)
CRITERIA = with_loader_criteria(
    TenantScoped, lambda cls: cls.tenant_id == bindparam("saas_tenant"), include_aliases=True
)
_SCOPED: WeakKeyDictionary[Executable, Executable] = WeakKeyDictionary()


def scoped(stmt: S) -> S:
    """The statement with the tenant filter; the same object for a statement asked again.

    A statement derived from a filtered one (another condition, an order, a limit) keeps it.
    """
    if stmt.get_execution_options().get(SCOPED):
        return stmt
    found = _SCOPED.get(stmt)
    if found is None:
        found = _SCOPED[stmt] = stmt.options(CRITERIA).execution_options(**{SCOPED: True})
    return found  # type: ignore[return-value]


def with_tenant(params: Any) -> Any:
    """The parameters of a scoped statement, with the tenant in scope added."""
    tenant = context.current_tenant_id()
    if isinstance(params, list):  # one statement run for many rows
        return [{**row, TENANT: tenant} for row in params]
    return {**(params or {}), TENANT: tenant}


def read(
    session: DbSession, stmt: Executable, params: Mapping[str, Any] | None = None
) -> Result[*tuple[Any, ...]]:
    """Run a select of columns in the session's transaction, kept to the tenant in scope.

    Nothing is flushed first: for pages that only read.
    """
    return session.connection().execute(scoped(stmt), with_tenant(params))
