"""Log-in for staff, subscribers and operators through Flask-Security, scoped per tenant."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Mapping
from datetime import timedelta
from functools import wraps
from typing import Any, cast

from flask import Flask, abort, g, redirect, request, session, url_for
from flask.typing import RouteCallable
from flask_login import current_user
from flask_security import LoginForm, MailUtil, Security, SQLAlchemyUserDatastore

from saas.db import db, unit_of_work, utcnow
from saas.extensions import limiter
from saas.identity.models import OPERATOR, STAFF, SUBSCRIBER, Role, User
from saas.identity.services import MIN_PASSWORD, find_by_email, signed_in
from saas.notifications import mails
from saas.notifications import services as outbox


class Datastore(SQLAlchemyUserDatastore):
    """Flask-Security's datastore, finding a person by e-mail through the indexed address key.

    Its own case-insensitive search compares lower(email), which row-level security keeps from
    using an index, so every log-in would read all the brand's people. The person a session
    names, asked on every request, is read by a statement built once.
    """

    def find_user(self, case_insensitive: bool = False, **kwargs: Any) -> User | None:
        if set(kwargs) == {"email"} and isinstance(kwargs["email"], str):
            return find_by_email(db.session, kwargs["email"])
        if set(kwargs) == {"fs_uniquifier"} and isinstance(kwargs["fs_uniquifier"], str):
            return signed_in(db.session, kwargs["fs_uniquifier"])  # on every request
        return super().find_user(case_insensitive, **kwargs)  # type: ignore[return-value]


datastore = Datastore(db, User, Role)


class OutboxMailUtil(MailUtil):
    """Security e-mails go through the brand's outbox and a worker, like every other e-mail."""

    def send_mail(
        self,
        template: str,
        subject: str,
        recipient: Any,
        sender: Any,
        body: str | None,
        html: str | None,
        **kwargs: Any,
    ) -> None:
        if isinstance(sender, tuple):
            sender = f"{sender[0]} <{sender[1]}>"
        tenant = g.get("tenant")
        if tenant is not None and not tenant.is_platform:
            sender = mails.sender(tenant, str(sender))  # the brand writes, as in its other mails
        with unit_of_work() as session:
            outbox.send(
                session,
                template=template,
                sender=str(sender),
                recipient=str(recipient),
                subject=str(subject),
                body_text=body or "",
                body_html=html or "",
            )


class SessionLoginForm(LoginForm):
    """Log-in without "remember me": a cookie that outlives the browser would outlive idle time."""

    remember = None


# Built here, not in saas.extensions: the mail class is a constructor argument only.
security = Security(datastore=datastore, mail_util_cls=OutboxMailUtil, login_form=SessionLoginForm)


def _kind_required(kind: str, permission: str | None = None) -> Callable[..., Any]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return redirect(url_for("security.login", next=request.full_path))
            if current_user.kind != kind or current_user.tenant_id != g.tenant.id:
                abort(403)
            if permission and not current_user.has_permission(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def staff_required(permission: str = "console.view") -> Callable[..., Any]:
    """Let in brand staff holding a permission."""
    return _kind_required(STAFF, permission)


def subscriber_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let in the brand's subscribers."""
    return _kind_required(SUBSCRIBER)(view)


def operator_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let in platform operators."""
    return _kind_required(OPERATOR, "platform.manage")(view)


def brand_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Answer 404 for the platform realm's host: brand pages do not exist there."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.tenant.is_platform:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def platform_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Answer 404 on brand hosts: the platform console lives on the platform host only."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not g.tenant.is_platform:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


SECURITY_CONFIG = {
    "SECURITY_PASSWORD_HASH": "argon2",
    "SECURITY_TRACKABLE": True,
    "SECURITY_CHANGEABLE": True,
    "SECURITY_RECOVERABLE": True,
    "SECURITY_TWO_FACTOR": True,
    "SECURITY_TWO_FACTOR_ENABLED_METHODS": ["authenticator"],
    "SECURITY_TWO_FACTOR_REQUIRED": False,
    "SECURITY_TWO_FACTOR_ALWAYS_VALIDATE": True,
    "SECURITY_TOTP_ISSUER": "MVNO",
    "SECURITY_POST_LOGIN_VIEW": "/after-login",
    "SECURITY_POST_LOGOUT_VIEW": "/",
    "SECURITY_LOGIN_WITHOUT_CONFIRMATION": True,
    "SECURITY_SEND_REGISTER_EMAIL": False,
    "SECURITY_SEND_PASSWORD_CHANGE_EMAIL": False,
    "SECURITY_RETURN_GENERIC_RESPONSES": True,
    "SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS": False,
    "SECURITY_URL_PREFIX": "/account",
    "SECURITY_LOGIN_URL": "/login",
    "SECURITY_MULTI_FACTOR_RECOVERY_CODES": False,
    "SECURITY_FRESHNESS_GRACE_PERIOD": timedelta(hours=1),
    # Syntax is checked; a DNS lookup per form post would make log-in depend on the resolver.
    "SECURITY_EMAIL_VALIDATOR_ARGS": {"check_deliverability": False},
    # The same minimum as the identity services, for Flask-Security's change and reset forms.
    "SECURITY_PASSWORD_LENGTH_MIN": MIN_PASSWORD,
}


def submitted_account() -> str:
    """The account a log-in or reset form names: its e-mail, however the client spelt it."""
    data = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email", "") if isinstance(data, Mapping) else ""
    return unicodedata.normalize("NFKC", str(email)).strip().casefold()


def pending_account() -> str:
    """The account whose password this session passed and whose second factor is awaited."""
    return str(session.get("tf_user_id", ""))


def signed_in_account() -> str:
    """The account of the session that re-enters or changes its password."""
    return str(current_user.id) if current_user.is_authenticated else ""


def signed_in_account_key() -> str:
    """Key on the signed-in account."""
    return account_key(f"user:{signed_in_account()}")


def reset_token_key() -> str:
    """Key on the reset link a form posts to: each try costs the server a slow hash."""
    return account_key(f"reset:{(request.view_args or {}).get('token', '')}")


def account_key(account: str) -> str:
    """Key a limit on the brand and an account, whichever client or host spelling asks."""
    # Hashed: the limiter's storage holds no e-mail addresses or user identifiers.
    digest = hashlib.sha256(account.encode()).hexdigest()[:32]
    return f"brand:{g.tenant.id}|account:{digest}"


def submitted_account_key() -> str:
    """Key on the account a form names."""
    return account_key(submitted_account())


def pending_account_key() -> str:
    """Key on the account awaiting its second factor."""
    return account_key(pending_account())


# Each throttled form, with the key of the account its attempts count against. Plain functions,
# not closures: a limit registered again by a second app is then the same limit, counted once.
THROTTLED: dict[str, Callable[[], str]] = {
    "security.login": submitted_account_key,
    "security.two_factor_token_validation": pending_account_key,
    "security.forgot_password": submitted_account_key,
    "security.two_factor_rescue": pending_account_key,
    # Re-authentication and a password change guess at the signed-in account's password.
    "security.verify": signed_in_account_key,
    "security.change_password": signed_in_account_key,
    "security.reset_password": reset_token_key,
}


# Only the forms above and the API (its blueprint's limit, saas.web.api) are throttled: any other
# request skips the limiter's search for limits that might apply to it.
@limiter.request_filter
def _unthrottled() -> bool:
    return request.endpoint not in THROTTLED and request.blueprint != "api"


def init_app(app: Flask) -> None:
    """Bind Flask-Security; throttle log-in, second factor and reset per client and per account."""
    for key, value in SECURITY_CONFIG.items():
        app.config.setdefault(key, value)
    security.init_app(app, datastore, datetime_factory=utcnow)
    limiter.init_app(app)
    client_rate, account_rate = (
        app.config["SAAS_LOGIN_RATE_LIMIT"],
        app.config["SAAS_ACCOUNT_RATE_LIMIT"],
    )
    for endpoint, account_key_func in THROTTLED.items():
        if endpoint in app.view_functions:
            per_client = limiter.limit(client_rate, methods=["POST"])
            per_account = limiter.limit(account_rate, key_func=account_key_func, methods=["POST"])
            limited = per_client(per_account(app.view_functions[endpoint]))
            # The wrapper returns what the view returns; its signature merges sync and async views.
            app.view_functions[endpoint] = cast(RouteCallable, limited)
