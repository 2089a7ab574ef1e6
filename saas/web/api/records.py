"""Find this brand's records for the API, and turn a domain's refusal into a problem."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Conflict, NotFound

from saas.db import Base, db, get_scoped, unit_of_work
from saas.errors import Refusal
from saas.identity import services as people
from saas.identity.models import SUBSCRIBER, User
from saas.identity.services import IdentityError
from saas.web.refusals import say

ModelT = TypeVar("ModelT", bound=Base)
RACED = "Someone changed the same records at the same moment; send the request again."


def _named(model: type[Base], sep: str = " ") -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", sep, model.__name__).lower()


def found(model: type[ModelT], ident: int, under: Any = None) -> ModelT:
    """Return the brand's row with that id (of the row `under`); any other id is not found."""
    row = get_scoped(db.session, model, ident)
    if row is None or (under and getattr(row, f"{_named(type(under), '_')}_id") != under.id):
        raise NotFound(f"There is no {_named(model)} {ident} at this brand.")
    return row


def subscriber(subscriber_id: int) -> User:
    """Return the brand's subscriber with that id; staff and other brands' people are not found."""
    try:
        return people.get_user(db.session, subscriber_id, SUBSCRIBER)
    except LookupError:
        raise NotFound(f"There is no subscriber {subscriber_id} at this brand.") from None


class Refused(Conflict):
    """A change a domain rule refused: the problem carries its code, its detail is translated."""

    def __init__(self, refusal: Refusal) -> None:
        parts = refusal.each() if isinstance(refusal, IdentityError) else [refusal]
        super().__init__(" ".join(say(part) for part in parts))
        self.members = {"code": refusal.code}


@contextmanager
def refusals(writes: bool = False) -> Iterator[None]:
    """Run domain services, as one unit of work if they write; a refusal is a conflict."""
    try:
        with unit_of_work() if writes else nullcontext():  # which rolls back before the refusal
            yield
    except Refusal as exc:
        raise Refused(exc) from None
    except IntegrityError:
        raise Conflict(RACED) from None
