"""Typed request and response bodies: each model reads, writes and documents one body."""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

from pydantic import (
    AliasChoices,
    AliasPath,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from saas.catalog.specs import CODE, NAME_MAX
from saas.errors import Refusal
from saas.web.refusals import say
from saas.web.routing import MAX_ROW_ID

T = TypeVar("T")


class Body(BaseModel):
    """A request body: closed, strictly typed, every broken rule named by pointer."""

    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


class Out(BaseModel):
    """A response body, built from a row's attributes (some of them computed) or from JSON."""

    model_config = ConfigDict(from_attributes=True, extra="forbid")

    @classmethod
    def computed(cls, row: Any) -> dict[str, Any]:
        """The members a row does not hold as the answer writes them."""
        return {}

    @classmethod
    def of(cls, row: Any, **computed: Any) -> Self:
        """Build from the row's attributes, some of them computed by the caller."""
        return cls.model_validate(_Computed(row, cls.computed(row) | computed))

    @model_validator(mode="before")
    @classmethod
    def _from_row(cls, data: Any) -> Any:
        if isinstance(data, dict | BaseModel | _Computed):
            return data
        computed = cls.computed(data)
        return _Computed(data, computed) if computed else data


class _Computed:
    """A row seen with some attributes computed for its answer."""

    def __init__(self, row: Any, computed: dict[str, Any]):
        self._row, self._computed = row, computed

    def __getattr__(self, name: str) -> Any:
        return self._computed[name] if name in self._computed else getattr(self._row, name)


class Coded(Out):
    """A record of the brand: its id, the code it is known by, and its name."""

    id: int
    code: str
    name: str


def at(*path: str, **field: Any) -> Any:
    """A member read from another attribute of the row, or of an attribute of it (null if it is)."""
    return Field(validation_alias=AliasChoices(AliasPath(*path), path[0]), **field)


class Parsed(Body):
    """A body that one of the domain's own parsers reads into its spec, once its members check."""

    reader: ClassVar[Callable[..., Any]]
    _spec: Any = PrivateAttr()

    def parse(self, data: dict[str, Any], info: ValidationInfo) -> Any:
        """Read the checked members with the domain's parser."""
        return self.reader(data)

    @model_validator(mode="after")
    def _parsed(self, info: ValidationInfo) -> Self:
        self._spec = parsed(lambda: self.parse(self.model_dump(), info), type(self).model_fields)
        return self

    @property
    def spec(self) -> Any:
        """The body as the domain's spec."""
        return self._spec


def refuse(code: str, at: str = "", **params: Any) -> PydanticCustomError:
    """A broken rule with a stable code; `at` points below the value the validator checked."""
    return PydanticCustomError(code, code, {"at": at, **params})


@dataclass(frozen=True)
class OneOf:
    """Metadata of a text that must be one of some options."""

    options: tuple[str, ...]

    def _check(self, value: str) -> str:
        if value not in self.options:
            raise refuse("not_one_of", options=", ".join(self.options))
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        return {"enum": list(self.options)}


def decimal_as_text(value: Any) -> Any:
    """Refuse a decimal that is not written as text (or a whole number)."""
    # Exact decimals travel as text (an integer will do); a float has lost digits already.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise refuse("decimal_as_text")
    return value


DECIMAL_OUT = {
    "type": "string",
    "pattern": r"^-?\d+(\.\d+)?$",
    "description": "An exact decimal written as text.",
    "examples": ["9.99"],
}
DECIMAL_IN = {
    "type": ["string", "integer"],
    "description": 'An exact decimal as text, e.g. "9.99"; floats are refused.',
}
DecimalText = Annotated[str | int, BeforeValidator(decimal_as_text), WithJsonSchema(DECIMAL_IN)]
Decimal = Annotated[str, WithJsonSchema(DECIMAL_OUT)]
Id = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]


Name = Annotated[str, StringConstraints(max_length=NAME_MAX)]
Code = Annotated[str, StringConstraints(pattern=CODE.pattern)]
# Times, dates and e-mail addresses the domain has written as text already.
TimeText = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
DateText = Annotated[str, Field(json_schema_extra={"format": "date"})]
EmailText = Annotated[str, Field(json_schema_extra={"format": "email"})]
Instant = Annotated[
    datetime,
    PlainSerializer(lambda moment: moment.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


def refused(exc: Refusal, at: str = "") -> PydanticCustomError:
    """A domain rule's refusal of the value, by its own code and in the caller's language."""
    return refuse(exc.code, at, said=say(exc, record=False))


def parsed(read: Callable[[], T], members: Container[str] | None = ()) -> T:
    """Run a domain parser; its refusal points at the path it names (of `members`, unless None)."""
    try:
        return read()
    except Refusal as exc:
        field = exc.field or ""
        raise refused(exc, field if members is None or field in members else "") from None


def context(info: ValidationInfo, name: str) -> Any:
    """What the request knows about its brand, handed to validators that need it."""
    return (info.context or {})[name]


class Listing(Out, Generic[T]):
    """Every item of something small, in one answer."""

    data: list[T]

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        """Name a list after its items: `Page[Plan]` is `PlanPage`, `Listing[Plan]` `PlanList`."""
        return f"{params[0].__name__}{cls.__name__.removesuffix('ing')}"


class Page(Listing[T], Generic[T]):
    """A page of items with the cursor of the next page."""

    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null last.")
