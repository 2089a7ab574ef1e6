"""Roles and the permissions each one carries."""

from __future__ import annotations

from collections.abc import Iterable

OWNER = "owner"
ADMIN = "admin"
AGENT = "agent"
FINANCE = "finance"
READ_ONLY = "read_only"
COMPLIANCE = "compliance"
SUBSCRIBER = "subscriber"
OPERATOR = "operator"

STAFF_ROLES = (OWNER, ADMIN, AGENT, FINANCE, READ_ONLY, COMPLIANCE)

# Permissions are the unit the console and the API check; roles are bundles of them.
PERMISSIONS: dict[str, str] = {
    "console.view": "Open the brand console",
    "brand.manage": "Change the brand's settings",
    "staff.read": "See staff accounts",
    "staff.manage": "Invite, change and deactivate staff",
    "subscribers.read": "See subscribers",
    "subscribers.write": "Create and change subscribers",
    "catalog.read": "See the offer catalogue",
    "catalog.manage": "Design plans, prices, promotions and migrations",
    "subscriptions.read": "See subscriptions and their history",
    "subscriptions.write": "Subscribe, change, suspend and cancel",
    "network.read": "See numbers, SIMs and lines",
    "network.write": "Load numbers and SIMs, give lines numbers and SIMs, swap SIMs",
    "usage.read": "See usage files, rated records and quarantine",
    "usage.write": "Send usage files, change usage sources, re-process and re-rate",
    "provisioning.read": "See provisioning orders and port-in requests",
    "provisioning.write": "Retry provisioning orders and file port-in requests",
    "rating.read": "See rate decks and price records in the tariff simulator",
    "rating.manage": "Import rate decks",
    "audit.read": "Read the audit log",
    "apikeys.manage": "Create and revoke API keys",
    "jobs.read": "See background jobs and dead letters",
    "jobs.manage": "Retry or discard dead-lettered jobs",
    "finance.read": "See money: invoices, payments, settlement",
    "finance.manage": "Move money: run bills, refund, settle",
    "kyc.read": "See KYC cases and the review queue, personal data masked",
    "kyc.review": "Approve or reject KYC cases waiting for review",
    "personal_data.read": "See personal data unmasked (every view is audited)",
    "personal_data.erase": "Erase a person's personal data on their request, giving a reason",
    "credit.read": "See credit decisions and why they were taken",
    "credit.write": "Run credit checks",
    "credit.override": "Override a credit class, giving a reason",
    "credit.bureau": "Read what a person gave and the credit bureau answered (personal data)",
    "credit.manage": "Change the credit scorecard",
    "prepaid.topup": "Credit a prepaid balance, giving a reason",
    "platform.manage": "Create and change brands",
}

_READ = [
    "console.view",
    "staff.read",
    "subscribers.read",
    "credit.read",
    "catalog.read",
    "subscriptions.read",
    "network.read",
    "usage.read",
    "provisioning.read",
    "rating.read",
    "audit.read",
    "jobs.read",
    "kyc.read",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    OWNER: [p for p in PERMISSIONS if p != "platform.manage"],
    ADMIN: [
        *_READ,
        "brand.manage",
        "staff.manage",
        "subscribers.write",
        "catalog.manage",
        "subscriptions.write",
        "network.write",
        "usage.write",
        "provisioning.write",
        "rating.manage",
        "apikeys.manage",
        "jobs.manage",
        "finance.read",
        "kyc.review",
        # Admins give the compliance role, so they hold what it carries.
        "personal_data.read",
        "personal_data.erase",
        "credit.write",
        "credit.override",
        "credit.manage",
        "prepaid.topup",
    ],
    AGENT: [
        "console.view",
        "subscribers.read",
        "subscribers.write",
        "catalog.read",
        "subscriptions.read",
        "subscriptions.write",
        "network.read",
        "network.write",
        "provisioning.read",
        "provisioning.write",
        "rating.read",
        "jobs.read",
        "kyc.read",
        "kyc.review",
        "credit.read",
        "credit.write",
        "prepaid.topup",
    ],
    # The brand's risk decisions sit with finance: overrides, the bureau's answers, the scorecard.
    FINANCE: [
        *_READ,
        "finance.read",
        "finance.manage",
        "rating.manage",
        "jobs.manage",
        "credit.write",
        "credit.override",
        "credit.bureau",
        "credit.manage",
        "prepaid.topup",
    ],
    READ_ONLY: [*_READ, "finance.read"],
    # Works the KYC queue with the documents in full; owners and admins may give it.
    COMPLIANCE: [
        "console.view",
        "subscribers.read",
        "kyc.read",
        "kyc.review",
        "personal_data.read",
        "personal_data.erase",
    ],
    SUBSCRIBER: [],
    OPERATOR: ["platform.manage"],
}


def permissions_of(role_names: Iterable[str]) -> set[str]:
    """Return every permission the roles carry together."""
    return {perm for name in role_names for perm in ROLE_PERMISSIONS.get(name, ())}


def beyond(role_names: Iterable[str], held: set[str]) -> list[str]:
    """Return the roles that carry a permission outside `held`, most powerful first."""
    order = [*STAFF_ROLES, SUBSCRIBER, OPERATOR]
    return sorted(
        (name for name in set(role_names) if not set(ROLE_PERMISSIONS[name]) <= held),
        key=lambda name: order.index(name) if name in order else len(order),
    )


ROLE_DESCRIPTIONS = {
    OWNER: "Owns the brand: every permission",
    ADMIN: "Runs the brand console: settings, staff, API keys",
    AGENT: "Customer care: works with subscribers",
    FINANCE: "Billing, payments and settlement",
    READ_ONLY: "Sees everything, changes nothing",
    COMPLIANCE: "Works the KYC queue and sees personal data in full",
    SUBSCRIBER: "A subscriber of the brand",
    OPERATOR: "Operates the platform: creates and changes brands",
}

# API keys carry scopes drawn from the same permission names; the API's document says each.
API_SCOPES: dict[str, str] = {
    "subscribers.read": "List and read subscribers",
    "subscribers.write": "Create subscribers",
    "catalog.read": "Read metrics, products, plans, versions and promotions",
    "catalog.write": "Design plans and versions, publish them, manage promotions",
    "subscriptions.read": "Read subscriptions, their history and price previews",
    "subscriptions.write": "Subscribe, change plans, suspend, resume and cancel",
    "network.read": "Read number ranges, numbers, SIMs and lines, and which line held a number",
    "network.write": "Load number ranges and import SIMs",
    "usage.read": "Read usage files, rated records, quarantine, allowances left and balances",
    "usage.write": "Send usage files",
    "provisioning.read": "Read provisioning orders and port-in requests",
    "provisioning.write": "Retry provisioning orders and file port-in requests",
    "rating.read": "Read rate decks and price a record with its breakdown",
    "rating.write": "Import CGRateS tariff plans as deck versions",
    "audit.read": "Read the audit log",
    "jobs.read": "See dead-lettered background jobs",
    "brand.read": "Read the brand's public settings",
    "kyc.read": "Read KYC cases (personal data masked) and check machine-readable zones",
    "kyc.write": "Decide KYC cases waiting for review",
    "credit.read": "Read credit decisions and why they were taken",
    "credit.write": "Run credit checks",
    "personal_data.read": "Read all a subscriber's personal data, unmasked (every read is audited)",
    "personal_data.write": "Erase a subscriber's personal data on their request",
    "prepaid.write": "Top up prepaid balances (a staff credit, with a reason)",
}

# The permission a person must hold to give a key each scope: nobody hands a key more than they
# may do themselves.
SCOPE_NEEDS: dict[str, str] = {scope: scope for scope in API_SCOPES} | dict(
    [
        ("catalog.write", "catalog.manage"),
        ("brand.read", "console.view"),
        ("kyc.write", "kyc.review"),
        ("personal_data.write", "personal_data.erase"),
        ("prepaid.write", "prepaid.topup"),
        ("rating.write", "rating.manage"),
    ]
)


def scopes_beyond(scopes: Iterable[str], held: set[str]) -> list[str]:
    """Return the scopes whose permission is not among `held`, in name order."""
    return sorted(s for s in set(scopes) if SCOPE_NEEDS.get(s, s) not in held)
