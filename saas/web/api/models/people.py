"""The brand, its subscribers, its audit log and its dead-lettered jobs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from saas.identity.services import EMAIL
from saas.web.api import models as api
from saas.web.api.pagination import PageQuery


def _email(value: str) -> str:
    if not EMAIL.match(value):
        raise api.refuse("not_an_email")
    return value


Email = Annotated[api.EmailText, StringConstraints(max_length=254), AfterValidator(_email)]


class OpenApiDocument(api.Out):
    """An OpenAPI 3.1 document."""

    model_config = ConfigDict(extra="allow")


class Brand(api.Out):
    """The brand a host serves."""

    slug: str
    name: str
    currency: str = Field(pattern="^[A-Z]{3}$", description="ISO 4217 code.")
    default_locale: str
    locales: list[str]
    timezone: str = Field(description="IANA time zone name.")
    country: str = Field(description="ISO 3166-1 alpha-2 code, or empty.")


class Subscriber(api.Out):
    """A subscriber; the password hash and log-in tokens stay out."""

    id: int
    email: api.EmailText
    full_name: str
    locale: str | None
    active: bool
    created_at: api.Instant


class NewSubscriber(api.Body):
    """A subscriber to add; they set a password later through the reset e-mail."""

    email: Email
    full_name: api.Name = ""
    locale: str | None = Field(
        None, description="One of the brand's locales; null for its default."
    )

    @field_validator("locale")
    @classmethod
    def _offered(cls, value: str | None, info: ValidationInfo) -> str | None:
        offered = api.context(info, "locales")
        if value is not None and value not in offered:
            raise api.refuse("not_one_of", options=", ".join(offered))
        return value


class SubscriberQuery(PageQuery):
    """A page of subscribers, optionally searched."""

    q: str = Field("", description="Keep subscribers whose e-mail or name contains this text.")


class AuditEvent(api.Out):
    """One audit event; secret values were redacted when it was written."""

    id: int
    at: api.Instant
    actor: str = Field(
        validation_alias="actor_label",
        description="Who acted: an e-mail, `apikey:<prefix>`, `system` or `anonymous`.",
    )
    actor_user_id: int | None
    ip: str | None
    action: str = Field(examples=["create", "update", "delete"])
    object_type: str
    object_id: str
    changes: dict[str, Any] = Field(description="Changed fields; secrets read `[redacted]`.")


class AuditQuery(PageQuery):
    """A page of audit events, optionally about one kind of object."""

    object_type: str | None = Field(None, description="Keep events about this kind, e.g. `users`.")


class FailedJob(api.Out):
    """A dead-lettered job; the traceback stays in the console."""

    id: int
    message_id: str
    queue: str = Field(validation_alias="queue_name")
    actor: str = Field(validation_alias="actor_name")
    args: list[Any]
    kwargs: dict[str, Any]
    retries: int
    error: str
    status: Literal["dead"]
    failed_at: api.Instant
