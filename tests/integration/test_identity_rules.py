"""Identity rules hold in the services, whichever screen, command or endpoint calls them."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from saas.errors import Refusal
from saas.identity.services import (
    IdentityError,
    create_user,
    deactivate,
    get_user,
    set_roles,
)
from tests.conftest import in_brand


def _codes(exc: IdentityError) -> list[tuple[str, str | None]]:
    return [(r.code, r.field) for r in exc.each()]


@pytest.fixture
def brand(make: Any) -> Any:
    brand = make.brand()
    brand.owner = make.user(brand, "staff", ("owner",))
    brand.admin = make.user(brand, "staff", ("admin",))
    return brand


def test_identity_errors_are_refusals_with_a_code_a_field_and_english(app: Any, brand: Any) -> None:
    with in_brand(app, brand.id) as session, pytest.raises(Refusal) as caught:
        create_user(
            session, kind="staff", email=brand.owner.email, password="x" * 12, roles=["agent"]
        )
    assert isinstance(caught.value, IdentityError)
    assert (caught.value.code, caught.value.field) == ("identity.email_taken", "email")
    assert str(caught.value) == f"{brand.owner.email} already has an account at this brand."


def test_a_new_account_is_refused_for_every_broken_rule_at_once(app: Any, brand: Any) -> None:
    with in_brand(app, brand.id) as session, pytest.raises(IdentityError) as caught:
        admin = get_user(session, brand.admin.id)
        create_user(
            session, kind="staff", email="nope", password="short", roles=["owner"], by=admin
        )
    assert _codes(caught.value) == [
        ("identity.email_invalid", "email"),
        ("identity.password_too_short", "password"),
        ("identity.role_not_yours", "roles"),
    ]


def test_nobody_changes_their_own_roles(app: Any, brand: Any) -> None:
    with in_brand(app, brand.id) as session, pytest.raises(IdentityError) as caught:
        owner = get_user(session, brand.owner.id)
        set_roles(session, owner, ["owner", "finance"], by=owner)
    assert caught.value.code == "identity.own_roles"


@pytest.mark.parametrize(
    ("before", "after"), [(("agent",), ["owner"]), (("agent",), ["finance"]), (("finance",), [])]
)
def test_an_admin_cannot_give_or_take_roles_beyond_its_permissions(
    app: Any, make: Any, brand: Any, before: tuple[str, ...], after: list[str]
) -> None:
    colleague = make.user(brand, "staff", before)
    with in_brand(app, brand.id) as session, pytest.raises(IdentityError) as caught:
        admin, target = get_user(session, brand.admin.id), get_user(session, colleague.id)
        set_roles(session, target, [*after, "agent"], by=admin)
    assert (caught.value.code, caught.value.field) == ("identity.role_not_yours", "roles")
    assert caught.value.params["role"] == (after or list(before))[0]


def test_an_owner_gives_any_staff_role(app: Any, make: Any, brand: Any) -> None:
    colleague = make.user(brand, "staff", ("agent",))
    with in_brand(app, brand.id) as session:
        owner, target = get_user(session, brand.owner.id), get_user(session, colleague.id)
        set_roles(session, target, ["owner", "finance"], by=owner)
        assert target.role_names == ["finance", "owner"]


def test_the_last_owner_keeps_the_role_and_the_log_in(app: Any, make: Any, brand: Any) -> None:
    deputy = make.user(brand, "staff", ("admin", "finance"))
    with in_brand(app, brand.id) as session:
        owner, by = get_user(session, brand.owner.id), get_user(session, deputy.id)
        with pytest.raises(IdentityError) as taken:
            set_roles(session, owner, ["admin"], by=by)
        with pytest.raises(IdentityError) as stopped:
            deactivate(session, owner, by=by)
        assert owner.active and owner.role_names == ["owner"]
    assert (taken.value.code, taken.value.field) == ("identity.last_owner", "roles")
    assert (stopped.value.code, stopped.value.field) == ("identity.last_owner", None)


def test_nobody_deactivates_their_own_account(app: Any, brand: Any) -> None:
    with in_brand(app, brand.id) as session, pytest.raises(IdentityError) as caught:
        admin = get_user(session, brand.admin.id)
        deactivate(session, admin, by=admin)
    assert caught.value.code == "identity.self_deactivate"


def test_the_platforms_own_set_up_may_create_an_owner(app: Any, brand: Any) -> None:
    email = f"founder-{uuid.uuid4().hex[:6]}@example.com"
    with in_brand(app, brand.id) as session:
        user = create_user(session, kind="staff", email=email, password="x" * 12, roles=["owner"])
        assert user.role_names == ["owner"]


def test_an_api_key_gets_no_scope_its_issuer_may_not_use(app: Any, brand: Any) -> None:
    from saas.identity import api_keys
    from saas.identity.roles import ROLE_PERMISSIONS

    # A care agent's permissions: subscribers and subscriptions, no catalogue design, no audit.
    agent = set(ROLE_PERMISSIONS["agent"])
    with in_brand(app, brand.id) as session, pytest.raises(api_keys.ApiKeyError) as caught:
        api_keys.issue(
            session, "CRM", ["subscriptions.write", "catalog.write", "audit.read"], None, agent
        )
    assert (caught.value.code, caught.value.field) == ("apikey.scopes_beyond", "scopes")
    assert caught.value.params["scopes"] == "audit.read, catalog.write"
    with in_brand(app, brand.id) as session:
        issued = api_keys.issue(session, "CRM", ["subscriptions.write", "brand.read"], None, agent)
        assert issued.key.scopes == ["brand.read", "subscriptions.write"]
        # An owner holds every permission a scope needs.
        owner = set(ROLE_PERMISSIONS["owner"])
        assert api_keys.issue(session, "All", list(api_keys.API_SCOPES), None, owner).key.scopes


def test_an_admin_cannot_deactivate_an_owner_even_when_another_is_left(
    app: Any, make: Any, brand: Any
) -> None:
    second = make.user(brand, "staff", ("owner",))
    with in_brand(app, brand.id) as session, pytest.raises(IdentityError) as caught:
        deactivate(session, get_user(session, second.id), by=get_user(session, brand.admin.id))
    assert caught.value.code == "identity.deactivate_not_yours"
    with in_brand(app, brand.id) as session:
        assert get_user(session, second.id).active
        # An owner may.
        deactivate(session, get_user(session, second.id), by=get_user(session, brand.owner.id))
    with in_brand(app, brand.id) as session:
        assert not get_user(session, second.id).active


@pytest.mark.postgres
def test_two_owners_deactivating_each_other_at_once_leave_one_owner(
    app: Any, make: Any, brand: Any
) -> None:
    import threading

    second = make.user(brand, "staff", ("owner",))
    first_done, outcome = threading.Event(), {}

    def first() -> None:
        # The first owner deactivates the second and holds the transaction open a moment.
        with in_brand(app, brand.id) as session:
            deactivate(session, get_user(session, second.id), by=get_user(session, brand.owner.id))
            first_done.set()
            threading.Event().wait(0.5)

    def other() -> None:
        first_done.wait(10)
        try:
            with in_brand(app, brand.id) as session:
                owner, by = get_user(session, brand.owner.id), get_user(session, second.id)
                deactivate(session, owner, by=by)
        except IdentityError as exc:
            outcome["refused"] = exc.code

    threads = [threading.Thread(target=first), threading.Thread(target=other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert outcome == {"refused": "identity.last_owner"}
    with in_brand(app, brand.id) as session:
        assert get_user(session, brand.owner.id).active
        assert not get_user(session, second.id).active
