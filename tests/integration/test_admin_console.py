"""The brand console: staff, subscribers, audit log, API keys, dead letters, brand settings."""

from __future__ import annotations

import hashlib
import html
import re
import uuid
from typing import Any

import dramatiq
import pytest
from sqlalchemy import select

from tests.conftest import brand_url, get, in_brand, logged_in, login, post

QUEUE = "notifications"


def audit_rows(app: Any, brand: Any, action: str | None = None) -> list[Any]:
    from saas.identity.audit import AuditEvent

    with in_brand(app, brand.id) as session:
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            stmt = stmt.where(AuditEvent.action == action)
        rows = list(session.scalars(stmt))
        session.expunge_all()
        return rows


def dead_letter(app: Any, brand: Any, **fields: Any) -> int:
    from saas.jobs.services import record_dead_letter

    values = {
        "message_id": uuid.uuid4().hex,
        "queue_name": QUEUE,
        "actor_name": "deliver_email",
        "args": [brand.id, 4242],
        "kwargs": {},
        "retries": 5,
        "error": "SMTPConnectError: mail relay refused",
        "traceback": "Traceback: boom",
    }
    values.update(fields)
    with in_brand(app, brand.id) as session:
        return record_dead_letter(session, **values).id


def user_row(app: Any, brand: Any, user_id: int) -> Any:
    from saas.identity.services import get_user

    with in_brand(app, brand.id) as session:
        user = get_user(session, user_id)
        return {"roles": user.role_names, "active": user.active, "email": user.email}


# Dashboard


def test_dashboard_counts_dead_letters_and_shows_recent_changes(
    app: Any, staff_client: Any
) -> None:
    dead_letter(app, staff_client.brand)
    dead_letter(app, staff_client.brand)
    page = get(staff_client, "/admin/").get_data(as_text=True)
    assert 'data-testid="dead-count">2<' in page
    recent = page.split('data-testid="recent-events"')[1]
    owner = staff_client.user.email
    assert f"The system added {owner} ({owner}) to the staff" in recent
    failed = "A background job kept failing and was set aside as a dead letter"
    assert recent.index(failed) < recent.index(owner)  # newest first


# Staff


def test_staff_list_shows_roles_state_and_last_login(staff_client: Any) -> None:
    page = get(staff_client, "/admin/staff").get_data(as_text=True)
    assert staff_client.user.email in page
    assert "Owner" in page and "Active" in page
    assert "never" not in page  # the owner just logged in


def test_creating_a_staff_member_gives_them_roles_a_login_and_audit_rows(
    app: Any, staff_client: Any
) -> None:
    email = f"new-{uuid.uuid4().hex[:6]}@example.com"
    resp = post(
        staff_client,
        "/admin/staff/new",
        {
            "email": email,
            "full_name": "Nia New",
            "password": "a-long-password",
            "roles": ["agent", "finance"],
        },
    )
    assert resp.status_code == 302
    user_id = int(resp.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert user_row(app, staff_client.brand, user_id)["roles"] == ["agent", "finance"]
    created = [
        e
        for e in audit_rows(app, staff_client.brand, "create")
        if e.object_type == "users" and e.object_id == str(user_id)
    ]
    assert created and created[0].actor_label == staff_client.user.email
    roles = [
        e for e in audit_rows(app, staff_client.brand, "staff.roles") if e.object_id == str(user_id)
    ]
    assert roles[0].changes["after"] == ["agent", "finance"]
    newcomer = app.test_client()
    assert login(newcomer, staff_client.brand.host, email, "a-long-password").status_code == 302


def field_error(page: str, field: str) -> str:
    """Return the refusal shown next to a form field, or "" when there is none."""
    match = re.search(rf'data-testid="error-{field}">([^<]*)<', page)
    return html.unescape(match.group(1)) if match else ""


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (
            {"email": "not-an-address", "password": "a-long-password", "roles": ["agent"]},
            "email",
            "Enter an address like name@example.com.",
        ),
        (
            {"email": "x@example.com", "password": "short", "roles": ["agent"]},
            "password",
            "Use at least 10 characters.",
        ),
        ({"email": "y@example.com", "password": "a-long-password"}, "roles", "at least one role"),
    ],
)
def test_bad_staff_form_is_shown_again_with_the_refusal_next_to_its_field(
    staff_client: Any, form: dict[str, Any], field: str, message: str
) -> None:
    resp = post(staff_client, "/admin/staff/new", form)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert message in field_error(page, field)
    assert f'value="{form["email"]}"' in page


def test_every_problem_of_a_staff_form_is_shown_at_once(staff_client: Any) -> None:
    resp = post(staff_client, "/admin/staff/new", {"email": "nope", "password": "short"})
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert all(field_error(page, f) for f in ("email", "password", "roles"))


def test_an_email_too_long_for_its_column_is_refused_next_to_its_field(staff_client: Any) -> None:
    email = "a" * 250 + "@example.com"
    form = {"email": email, "password": "a-long-password", "roles": ["agent"]}
    resp = post(staff_client, "/admin/staff/new", form)
    assert resp.status_code == 400
    assert "name@example.com" in field_error(resp.get_data(as_text=True), "email")


def test_an_email_already_in_use_is_refused(staff_client: Any) -> None:
    resp = post(
        staff_client,
        "/admin/staff/new",
        {"email": staff_client.user.email, "password": "a-long-password", "roles": ["agent"]},
    )
    assert resp.status_code == 400
    assert "already has an account" in field_error(resp.get_data(as_text=True), "email")


def test_changing_roles_saves_them_and_records_before_and_after(
    app: Any, make: Any, staff_client: Any
) -> None:
    agent = make.user(staff_client.brand, "staff", ("agent",))
    resp = post(staff_client, f"/admin/staff/{agent.id}/roles", {"roles": ["admin", "finance"]})
    assert resp.status_code == 302
    assert user_row(app, staff_client.brand, agent.id)["roles"] == ["admin", "finance"]
    event = audit_rows(app, staff_client.brand, "staff.roles")[-1]
    assert event.object_id == str(agent.id)
    assert event.changes["before"] == ["agent"]
    assert event.changes["after"] == ["admin", "finance"]
    assert event.actor_user_id == staff_client.user.id


def test_the_last_owner_cannot_lose_the_owner_role(app: Any, make: Any, staff_client: Any) -> None:
    # Administrator and finance together hold every permission an owner has.
    deputy = logged_in(app, make, staff_client.brand, ("admin", "finance"))
    resp = post(deputy, f"/admin/staff/{staff_client.user.id}/roles", {"roles": ["admin"]})
    assert resp.status_code == 400
    assert "last owner" in field_error(resp.get_data(as_text=True), "roles")
    assert user_row(app, staff_client.brand, staff_client.user.id)["roles"] == ["owner"]


def test_an_owner_can_take_the_owner_role_from_another_while_one_remains(
    app: Any, make: Any, staff_client: Any
) -> None:
    other = make.user(staff_client.brand, "staff", ("owner",))
    resp = post(staff_client, f"/admin/staff/{other.id}/roles", {"roles": ["admin"]})
    assert resp.status_code == 302
    assert user_row(app, staff_client.brand, other.id)["roles"] == ["admin"]


def test_an_admin_cannot_make_itself_owner(app: Any, make: Any) -> None:
    admin = logged_in(app, make, make.brand(), ("admin",))
    resp = post(admin, f"/admin/staff/{admin.user.id}/roles", {"roles": ["admin", "owner"]})
    assert resp.status_code == 400
    assert "your own roles" in field_error(resp.get_data(as_text=True), "roles")
    assert user_row(app, admin.brand, admin.user.id)["roles"] == ["admin"]
    assert get(admin, "/admin/staff/new").status_code == 200  # still an admin, nothing more


@pytest.mark.parametrize("roles", [("owner",), ("owner", "admin"), ("admin",)])
def test_nobody_changes_their_own_roles(app: Any, make: Any, roles: tuple[str, ...]) -> None:
    brand = make.brand()
    make.user(brand, "staff", ("owner",))  # so that the last-owner rule is not what refuses
    member = logged_in(app, make, brand, roles)
    resp = post(member, f"/admin/staff/{member.user.id}/roles", {"roles": ["read_only"]})
    assert resp.status_code == 400
    assert "your own roles" in field_error(resp.get_data(as_text=True), "roles")
    assert user_row(app, brand, member.user.id)["roles"] == sorted(roles)


@pytest.mark.parametrize(
    ("before", "after"),
    [(["agent"], ["owner"]), (["agent"], ["agent", "finance"]), (["finance"], ["agent"])],
)
def test_an_admin_cannot_give_or_take_a_role_with_permissions_it_lacks(
    app: Any, make: Any, before: list[str], after: list[str]
) -> None:
    admin = logged_in(app, make, make.brand(), ("admin",))
    colleague = make.user(admin.brand, "staff", tuple(before))
    resp = post(admin, f"/admin/staff/{colleague.id}/roles", {"roles": after})
    assert resp.status_code == 400
    message = field_error(resp.get_data(as_text=True), "roles")
    assert "carries permissions you do not hold" in message
    assert user_row(app, admin.brand, colleague.id)["roles"] == before


def test_an_admin_cannot_create_an_owner_or_finance_account(app: Any, make: Any) -> None:
    admin = logged_in(app, make, make.brand(), ("admin",))
    for role in ("owner", "finance"):
        email = f"{role}-{uuid.uuid4().hex[:6]}@example.com"
        form = {"email": email, "password": "a-long-password", "roles": [role]}
        resp = post(admin, "/admin/staff/new", form)
        assert resp.status_code == 400
        assert "permissions you do not hold" in field_error(resp.get_data(as_text=True), "roles")
        assert (
            login(app.test_client(), admin.brand.host, email, "a-long-password").status_code == 200
        )


def test_an_admin_gives_roles_within_its_own_permissions(app: Any, make: Any) -> None:
    admin = logged_in(app, make, make.brand(), ("admin",))
    colleague = make.user(admin.brand, "staff", ("agent",))
    resp = post(admin, f"/admin/staff/{colleague.id}/roles", {"roles": ["admin", "read_only"]})
    assert resp.status_code == 302
    assert user_row(app, admin.brand, colleague.id)["roles"] == ["admin", "read_only"]


def test_an_owner_can_give_owner_and_finance(app: Any, make: Any, staff_client: Any) -> None:
    colleague = make.user(staff_client.brand, "staff", ("agent",))
    resp = post(staff_client, f"/admin/staff/{colleague.id}/roles", {"roles": ["owner", "finance"]})
    assert resp.status_code == 302
    assert user_row(app, staff_client.brand, colleague.id)["roles"] == ["finance", "owner"]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("de", "Sie können Ihre eigenen Rollen nicht ändern"),
        ("pl", "Nie możesz zmienić własnych ról"),
    ],
)
def test_the_refusal_is_shown_in_the_staff_members_language(
    app: Any, make: Any, locale: str, expected: str
) -> None:
    brand = make.brand(default_locale=locale, locales=[locale, "en"])
    admin = logged_in(app, make, brand, ("admin",))
    resp = post(admin, f"/admin/staff/{admin.user.id}/roles", {"roles": ["owner"]})
    message = field_error(resp.get_data(as_text=True), "roles")
    assert expected in message and "own roles" not in message


def test_staff_cannot_deactivate_themselves(app: Any, staff_client: Any) -> None:
    resp = post(staff_client, f"/admin/staff/{staff_client.user.id}/deactivate")
    assert resp.status_code == 400
    assert "your own account" in resp.get_data(as_text=True)
    assert user_row(app, staff_client.brand, staff_client.user.id)["active"]


def test_an_owner_cannot_be_deactivated_by_an_admin(app: Any, make: Any, staff_client: Any) -> None:
    admin = logged_in(app, make, staff_client.brand, ("admin",))
    resp = post(admin, f"/admin/staff/{staff_client.user.id}/deactivate")
    assert resp.status_code == 400
    assert "permissions you do not hold" in resp.get_data(as_text=True)
    assert user_row(app, staff_client.brand, staff_client.user.id)["active"]


def test_the_last_owner_cannot_be_deactivated_even_by_a_deputy_holding_every_permission(
    app: Any, make: Any, staff_client: Any
) -> None:
    deputy = logged_in(app, make, staff_client.brand, ("admin", "finance"))
    resp = post(deputy, f"/admin/staff/{staff_client.user.id}/deactivate")
    assert resp.status_code == 400
    assert "last owner" in resp.get_data(as_text=True)
    assert user_row(app, staff_client.brand, staff_client.user.id)["active"]


def test_a_deactivated_member_is_logged_out_and_can_be_reactivated(
    app: Any, make: Any, staff_client: Any
) -> None:
    agent = logged_in(app, make, staff_client.brand, ("agent",))
    assert get(agent, "/admin/").status_code == 200
    assert post(staff_client, f"/admin/staff/{agent.user.id}/deactivate").status_code == 302
    assert not user_row(app, staff_client.brand, agent.user.id)["active"]
    assert get(agent, "/admin/").status_code == 302  # session ended: back to the log-in
    assert post(staff_client, f"/admin/staff/{agent.user.id}/reactivate").status_code == 302
    assert user_row(app, staff_client.brand, agent.user.id)["active"]


# Subscribers


def test_subscribers_can_be_searched_and_opened(make: Any, staff_client: Any) -> None:
    anna = make.user(
        staff_client.brand, "subscriber", email="anna.search@example.com", full_name="Anna Findme"
    )
    make.user(staff_client.brand, "subscriber", email="bert@example.com")
    page = get(staff_client, "/admin/subscribers?q=findme").get_data(as_text=True)
    assert anna.email in page and "bert@example.com" not in page
    detail = get(staff_client, f"/admin/subscribers/{anna.id}")
    assert detail.status_code == 200
    assert "Anna Findme" in detail.get_data(as_text=True)


def test_a_staff_id_is_not_a_subscriber(staff_client: Any) -> None:
    assert get(staff_client, f"/admin/subscribers/{staff_client.user.id}").status_code == 404


def test_creating_a_subscriber_without_password_makes_a_login_to_be_set(
    app: Any, staff_client: Any
) -> None:
    resp = post(
        staff_client,
        "/admin/subscribers/new",
        {"email": "carla@example.com", "full_name": "Carla", "locale": "en"},
    )
    assert resp.status_code == 302
    detail = get(staff_client, resp.headers["Location"]).get_data(as_text=True)
    assert "carla@example.com" in detail and "no password set" in detail


def test_a_bad_subscriber_form_names_the_field(staff_client: Any) -> None:
    resp = post(
        staff_client, "/admin/subscribers/new", {"email": "dora@example.com", "password": "short"}
    )
    assert resp.status_code == 400
    assert "at least 10 characters" in field_error(resp.get_data(as_text=True), "password")
    resp = post(
        staff_client, "/admin/subscribers/new", {"email": "dora@example.com", "locale": "xx"}
    )
    assert resp.status_code == 400
    assert "brand's languages" in field_error(resp.get_data(as_text=True), "locale")


# Audit log


def test_audit_log_lists_newest_first_with_changes_and_filters_by_type(
    make: Any, staff_client: Any
) -> None:
    agent = make.user(staff_client.brand, "staff", ("agent",))
    post(staff_client, f"/admin/staff/{agent.id}/roles", {"roles": ["finance"]})
    post(staff_client, "/admin/api-keys/new", {"name": "CRM", "scopes": ["audit.read"]})
    page = get(staff_client, "/admin/audit").get_data(as_text=True)
    owner, key = staff_client.user.email, "created the API key CRM"
    roles = f"{owner} changed the roles of {agent.email} from Agent to Finance"
    assert page.index(key) < page.index(roles) < page.index(f"added {agent.email}")
    assert "[redacted]" not in page and "secret_hash" not in page
    only_users = get(staff_client, "/admin/audit?type=users").get_data(as_text=True)
    assert roles in only_users and key not in only_users


# API keys


def test_an_api_key_token_is_shown_once_and_only_its_hash_is_kept(
    app: Any, staff_client: Any
) -> None:
    from saas.identity.api_keys import ApiKey

    resp = post(
        staff_client,
        "/admin/api-keys/new",
        {"name": "Billing sync", "scopes": ["subscribers.read", "jobs.read"]},
    )
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"
    page = resp.get_data(as_text=True)
    token = page.split('data-testid="apikey-token">')[1].split("<")[0]
    assert token.startswith("mvno_")
    with in_brand(app, staff_client.brand.id) as session:
        key = session.scalar(select(ApiKey).where(ApiKey.name == "Billing sync"))
        assert key.secret_hash == hashlib.sha256(token.encode()).hexdigest()
        assert key.scopes == ["jobs.read", "subscribers.read"]
        assert key.created_by_id == staff_client.user.id
    listing = get(staff_client, "/admin/api-keys").get_data(as_text=True)
    assert "Billing sync" in listing and token not in listing
    assert token not in get(staff_client, "/admin/audit").get_data(as_text=True)


def test_an_api_key_needs_a_name_and_a_scope(staff_client: Any) -> None:
    resp = post(staff_client, "/admin/api-keys/new", {"name": " ", "scopes": ["nonsense"]})
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert field_error(page, "name") == "Fill this in."
    assert field_error(page, "scopes") == "Choose at least one scope."
    assert "apikey-token" not in page


def test_the_new_key_form_names_every_scope_in_the_readers_language(app: Any, make: Any) -> None:
    from saas.identity.roles import API_SCOPES

    brand = make.brand(locales=("de",), default_locale="de")
    client = logged_in(app, make, brand)
    page = get(client, "/admin/api-keys/new").get_data(as_text=True)
    described = re.findall(
        r'<code>([\w.]+)</code></label>\s*<span class="muted">([^<]+)</span>', page
    )
    assert sorted(code for code, _ in described) == sorted(API_SCOPES)
    assert "Angebotskatalog lesen" in page and "Read the offer catalogue" not in page
    assert all(code != words for code, words in described)


def test_revoking_an_api_key_stops_it(app: Any, staff_client: Any) -> None:
    from saas.identity import api_keys

    with in_brand(app, staff_client.brand.id) as session:
        issued = api_keys.issue(session, "Old", ["audit.read"], None)
        key_id, token = issued.key.id, issued.token
    assert post(staff_client, f"/admin/api-keys/{key_id}/revoke").status_code == 302
    assert 'data-testid="apikey-revoked"' in get(staff_client, "/admin/api-keys").get_data(True)
    with in_brand(app, staff_client.brand.id) as session:
        assert api_keys.authenticate(session, token) is None


# Jobs


def test_dead_letters_are_listed_and_show_their_traceback(app: Any, staff_client: Any) -> None:
    job_id = dead_letter(app, staff_client.brand, traceback="Traceback (most recent call last): X")
    listing = get(staff_client, "/admin/jobs").get_data(as_text=True)
    assert "deliver_email" in listing and "mail relay refused" in listing
    detail = get(staff_client, f"/admin/jobs/{job_id}").get_data(as_text=True)
    assert "Traceback (most recent call last): X" in detail and 'data-testid="job-retry"' in detail


def test_retrying_a_dead_letter_enqueues_it_again_and_marks_it_retried(
    app: Any, staff_client: Any
) -> None:
    import workers.notifications  # noqa: F401  (declares the queue on the broker)
    from saas.jobs.models import RETRIED, FailedJob
    from workers.broker import broker

    broker.flush(QUEUE)
    job_id = dead_letter(app, staff_client.brand, args=[staff_client.brand.id, 77])
    assert post(staff_client, f"/admin/jobs/{job_id}/retry").status_code == 302
    sent = [dramatiq.Message.decode(m) for m in list(broker.queues[QUEUE].queue)]
    broker.flush(QUEUE)
    assert [(m.actor_name, list(m.args), m.options["tenant_id"]) for m in sent] == [
        ("deliver_email", [staff_client.brand.id, 77], staff_client.brand.id)
    ]
    with in_brand(app, staff_client.brand.id) as session:
        job = session.scalar(select(FailedJob).where(FailedJob.id == job_id))
        assert job.status == RETRIED and job.resolved_at is not None
    again = post(staff_client, f"/admin/jobs/{job_id}/retry")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/admin/jobs/{job_id}")
    assert "was sent again already" in get(staff_client, again.headers["Location"]).get_data(True)


def test_a_dead_letter_for_an_unknown_queue_stays_dead_with_a_message(
    app: Any, staff_client: Any
) -> None:
    job_id = dead_letter(app, staff_client.brand, queue_name="no-such-queue")
    resp = post(staff_client, f"/admin/jobs/{job_id}/retry")
    page = get(staff_client, resp.headers["Location"]).get_data(as_text=True)
    assert "not sent again" in page and "Dead" in page


def test_discarding_a_dead_letter_takes_it_off_the_list(app: Any, staff_client: Any) -> None:
    job_id = dead_letter(app, staff_client.brand, actor_name="discard_me")
    assert post(staff_client, f"/admin/jobs/{job_id}/discard").status_code == 302
    assert "discard_me" not in get(staff_client, "/admin/jobs").get_data(as_text=True)
    assert "discard_me" in get(staff_client, "/admin/jobs?status=discarded").get_data(True)


# Brand settings


def test_brand_settings_show_the_brand_and_save_names_and_contact(app: Any, make: Any) -> None:
    brand = make.brand(currency="PLN", timezone="Europe/Warsaw", domains=["shop.example"])
    owner = logged_in(app, make, brand, ("owner",))
    page = get(owner, "/admin/settings").get_data(as_text=True)
    assert "PLN" in page and "Europe/Warsaw" in page and "shop.example" in page
    resp = post(
        owner,
        "/admin/settings",
        {
            "name": "Renamed",
            "legal_name": "Renamed GmbH",
            "support_email": "help@renamed.example",
            "currency": "USD",
        },
    )
    assert resp.status_code == 302
    page = get(owner, "/admin/settings").get_data(as_text=True)
    assert "Renamed GmbH" in page and "help@renamed.example" in page
    assert 'data-testid="brand-currency">PLN<' in page  # the platform's field did not move


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"name": "  ", "support_email": ""}, "name", "Fill this in."),
        (
            {"name": "Fine", "support_email": "nope"},
            "support_email",
            "Enter an address like help@example.com, or leave it empty.",
        ),
        ({"name": "x" * 201}, "name", "Use at most 200 characters."),
    ],
)
def test_bad_brand_settings_are_refused_beside_the_field(
    staff_client: Any, form: dict[str, str], field: str, message: str
) -> None:
    resp = post(staff_client, "/admin/settings", form)
    assert resp.status_code == 400
    assert field_error(resp.get_data(as_text=True), field) == message
    assert staff_client.brand.name in get(staff_client, "/admin/settings").get_data(True)


# Permissions


@pytest.mark.parametrize(
    "path",
    ["/admin/staff", "/admin/staff/new", "/admin/api-keys", "/admin/api-keys/new", "/admin/audit"],
)
def test_an_agent_cannot_open_staff_keys_or_audit(app: Any, make: Any, path: str) -> None:
    agent = logged_in(app, make, make.brand(), ("agent",))
    assert get(agent, path).status_code == 403


def test_an_agent_sees_subscribers_but_cannot_change_brand_settings(app: Any, make: Any) -> None:
    agent = logged_in(app, make, make.brand(), ("agent",))
    page = get(agent, "/admin/").get_data(as_text=True)
    assert 'data-testid="nav-subscribers"' in page and 'data-testid="nav-staff"' not in page
    assert get(agent, "/admin/subscribers").status_code == 200
    assert post(agent, "/admin/settings", {"name": "Hijacked"}).status_code == 403


def test_the_console_links_drawn_once_are_each_persons_own_in_their_language(
    app: Any, make: Any
) -> None:
    brand = make.brand(default_locale="en", locales=["en", "de"])
    owner, agent = (logged_in(app, make, brand, (role,)) for role in ("owner", "agent"))
    for _ in range(2):  # the second time from the drawings kept
        mine, theirs = (get(c, "/admin/").get_data(as_text=True) for c in (owner, agent))
        assert 'data-testid="nav-staff"' in mine and 'data-testid="nav-staff"' not in theirs
    asked = {"Accept-Language": "de"}
    german = owner.get("/admin/", base_url=brand_url(brand), headers=asked).get_data(as_text=True)
    assert ">Kunden</a>" in german and ">Subscribers</a>" not in german


def test_read_only_staff_see_dead_letters_but_cannot_retry(app: Any, make: Any) -> None:
    viewer = logged_in(app, make, make.brand(), ("read_only",))
    job_id = dead_letter(app, viewer.brand)
    assert 'data-testid="job-retry"' not in get(viewer, f"/admin/jobs/{job_id}").get_data(True)
    assert post(viewer, f"/admin/jobs/{job_id}/retry").status_code == 403
    resp = post(viewer, f"/admin/staff/{viewer.user.id}/roles", {"roles": ["owner"]})
    assert resp.status_code == 403


def test_a_subscriber_cannot_open_the_console(app: Any, make: Any) -> None:
    subscriber = logged_in(app, make, make.brand(), (), kind="subscriber")
    assert get(subscriber, "/admin/").status_code == 403
    assert get(subscriber, "/admin/subscribers").status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login(client: Any, make: Any) -> None:
    brand = make.brand()
    resp = client.get("/admin/staff", base_url=brand_url(brand))
    assert resp.status_code == 302 and "/account/login" in resp.headers["Location"]


def test_the_console_does_not_exist_on_the_platform_host(client: Any) -> None:
    assert client.get("/admin/settings", base_url="http://localhost").status_code == 404


# Another brand's ids


@pytest.fixture
def other_brand(app: Any, make: Any) -> dict[str, int]:
    from saas.identity import api_keys

    brand = make.brand()
    ids = {
        "staff": make.user(brand, "staff", ("agent",)).id,
        "subscriber": make.user(brand, "subscriber").id,
        "job": dead_letter(app, brand),
    }
    with in_brand(app, brand.id) as session:
        ids["key"] = api_keys.issue(session, "Theirs", ["audit.read"], None).key.id
    return ids


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/admin/staff/{staff}"),
        ("post", "/admin/staff/{staff}/roles"),
        ("post", "/admin/staff/{staff}/deactivate"),
        ("post", "/admin/staff/{staff}/reactivate"),
        ("get", "/admin/subscribers/{subscriber}"),
        ("post", "/admin/api-keys/{key}/revoke"),
        ("get", "/admin/jobs/{job}"),
        ("post", "/admin/jobs/{job}/retry"),
        ("post", "/admin/jobs/{job}/discard"),
    ],
)
def test_another_brands_ids_answer_404(
    app: Any, staff_client: Any, other_brand: dict[str, int], method: str, path: str
) -> None:
    target = path.format(**other_brand)
    if method == "get":
        resp = get(staff_client, target)
    else:
        resp = post(staff_client, target, {"roles": ["owner"]})
    assert resp.status_code == 404


def test_another_brands_objects_stay_untouched_after_attempts(
    app: Any, make: Any, staff_client: Any
) -> None:
    from saas.identity import api_keys
    from saas.jobs.models import DEAD, FailedJob

    brand = make.brand()
    job_id = dead_letter(app, brand)
    with in_brand(app, brand.id) as session:
        key_id = api_keys.issue(session, "Theirs", ["audit.read"], None).key.id
    post(staff_client, f"/admin/jobs/{job_id}/discard")
    post(staff_client, f"/admin/api-keys/{key_id}/revoke")
    with in_brand(app, brand.id) as session:
        assert session.scalar(select(FailedJob.status).where(FailedJob.id == job_id)) == DEAD
        assert api_keys.listing(session)[0].revoked_at is None


# Search boxes and filters


def test_a_search_longer_than_any_name_is_refused_beside_the_box(
    make: Any, staff_client: Any
) -> None:
    from tests.support.forms import field_errors

    make.user(staff_client.brand, "subscriber", email="anna.box@example.com")
    response = get(staff_client, "/admin/subscribers", q="x" * 255)
    assert response.status_code == 400
    assert field_errors(response) == {"q": ["Use at most 254 characters."]}
    assert "anna.box@example.com" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "query", "box"),
    [
        ("/admin/subscriptions", {"status": "exploded"}, "status"),
        ("/admin/audit", {"type": "nope"}, "type"),
    ],
)
def test_a_filter_not_offered_is_refused_beside_its_select_and_everything_is_listed(
    staff_client: Any, path: str, query: dict[str, str], box: str
) -> None:
    from tests.support.forms import field_errors

    response = get(staff_client, path, **query)
    assert response.status_code == 400
    assert field_errors(response) == {box: ["Choose one of the options offered."]}


@pytest.mark.parametrize("before", ["abc", "9" * 30, "-1", "\u00b2"])
def test_an_audit_page_link_that_names_no_event_starts_from_the_newest(
    staff_client: Any, before: str
) -> None:
    response = get(staff_client, "/admin/audit", before=before)
    assert response.status_code == 200
    assert 'data-testid="audit-event"' in response.get_data(as_text=True)


@pytest.mark.parametrize("status", ["exploded", "", "dead\u00b2"])
def test_a_job_state_not_offered_shows_the_dead_letters(staff_client: Any, status: str) -> None:
    response = get(staff_client, "/admin/jobs", status=status)
    assert response.status_code == 200
    assert 'aria-current="page" class="badge">Dead<' in response.get_data(as_text=True)
