"""The OpenAPI description of accounts: the company accounts that hold several lines."""

from __future__ import annotations

from typing import Any

from saas.web.api.openapi_parts import (
    DATE_TIME,
    listing,
    obj,
    ok,
    operation,
    page_of,
    path_id,
    refusals,
)

READ = "subscriptions.read"
ID = {"type": "integer"}

ACCOUNT = obj(
    ["id", "kind", "name", "holder_id", "line_count", "subscription_ids", "created_at"],
    id=ID,
    kind={"enum": ["individual", "company"]},
    name={"type": "string", "maxLength": 200},
    holder_id=ID | {"description": "The subscriber who manages the account."},
    line_count={"type": "integer", "minimum": 0},
    subscription_ids={
        "type": "array",
        "items": ID,
        "description": "The subscriptions that are the account's lines, oldest first.",
    },
    created_at=DATE_TIME,
)

SCHEMAS = {"Account": ACCOUNT, "AccountPage": page_of("Account")}

PARAMETERS = {"AccountId": path_id("account_id", "account")}


def paths() -> dict[str, Any]:
    """Return the accounts' path items."""
    return {
        "/accounts": {
            "get": listing("listAccounts", "Company accounts, oldest first.", READ, "Account")
        },
        "/accounts/{account_id}": {
            "get": operation(
                "getAccount",
                "One account, company or personal, with its lines.",
                READ,
                {"200": ok("The account.", "Account"), **refusals("404")},
                ("AccountId",),
            )
        },
    }
