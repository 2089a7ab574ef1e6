"""The declarative base and column types shared by every domain area."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeAlias, TypeVar

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    TypeDecorator,
    select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
    registry,
    scoped_session,
)

from saas.tenancy.context import require_tenant_id

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} refused: store aware UTC times")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        # SQLite hands back naive values; they were written as UTC.
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class ExactDecimal(TypeDecorator[Decimal]):
    """Decimals stored exactly: NUMERIC on PostgreSQL, text on SQLite (whose NUMERIC is a float)."""

    impl = Numeric(28, 10)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(28, 10, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal | int):
            raise TypeError(f"{type(value).__name__} refused for an exact decimal: use Decimal")
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        # PostgreSQL pads to the column's scale; normalise without losing trailing integer zeros.
        number = Decimal(str(value))
        return number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()


class Base(DeclarativeBase):
    """Base of every mapped class."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING),
        type_annotation_map={datetime: UTCDateTime(), Decimal: ExactDecimal()},
    )


db = SQLAlchemy(model_class=Base)

# Services take a plain Session (scripts, workers) or Flask-SQLAlchemy's db.session proxy.
DbSession: TypeAlias = Session | scoped_session[Any]


def _tenant_default(_context: Any) -> int:
    return require_tenant_id()


class TenantScoped:
    """Mixin for tables owned by one tenant: RLS on PostgreSQL, an ORM filter everywhere."""

    __tenant_scoped__ = True

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(
            Integer,
            ForeignKey("tenants.id", ondelete="RESTRICT"),
            nullable=False,
            index=True,
            default=_tenant_default,
        )


ModelT = TypeVar("ModelT", bound=Base)
# Row ids are INTEGER columns: a larger number names no row.
MAX_ROW_ID = 2**31 - 1


def row_id(text: str) -> int | None:
    """A record id written as text (a form field, a query), or None when it cannot name a row."""
    # str.isdigit alone accepts characters such as "²" that int() refuses.
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ROW_ID)):
        return None
    ident = int(text)
    return ident if 0 < ident <= MAX_ROW_ID else None


def get_scoped(session: DbSession, model: type[ModelT], ident: int) -> ModelT | None:
    """Load a row by id through the tenant filter, never from another tenant's identity map."""
    return session.scalar(select(model).filter_by(id=ident))
