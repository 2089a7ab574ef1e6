"""API endpoints of provisioning: orders (list, read, retry) and port-in requests."""

from __future__ import annotations

from typing import Any

from flask import g

from saas.db import db
from saas.network.provisioning import models as M
from saas.network.provisioning import orders, porting
from saas.network.provisioning.errors import ProvisioningError
from saas.web.api.contract import route
from saas.web.api.models import provisioning as models
from saas.web.api.pagination import paginate
from saas.web.api.problems import ValidationFailed, refused_at

READ, WRITE = "provisioning.read", "provisioning.write"
ORDER = "/provisioning-orders/<int:order_id>"
# The members of a new port-in a refusal may name; others answer 409.
MEMBERS = {"subscription_id", "number", "donor", "holder_name", "donor_account", "wished_date"}


@route("GET /provisioning-orders", READ, models.OrderPage)
def list_provisioning_orders(query: models.OrderQuery) -> Any:
    """Orders to the host network, newest first, optionally in one state or of a subscription."""
    stmt = orders.query(query.state, query.subscription_id)
    return paginate(db.session, stmt, M.ProvisioningOrder.id, query, newest_first=True)


@route(f"GET {ORDER}", READ, models.ProvisioningOrderWithHistory)
def get_provisioning_order(order: M.ProvisioningOrder) -> Any:
    """One order with every attempt and change it went through."""
    return order


@route(f"POST {ORDER}/retry", WRITE, models.ProvisioningOrderWithHistory)
def retry_provisioning_order(order: M.ProvisioningOrder) -> Any:
    """Send a failed or stuck order to the network again; any other state answers 409."""
    return orders.retry(db.session, order.id)


@route("GET /port-ins", READ, models.PortInPage)
def list_port_ins(query: models.PortInQuery) -> Any:
    """Port-in requests, newest first, optionally in one state."""
    return paginate(db.session, porting.query(query.state), M.PortIn.id, query, newest_first=True)


@route("GET /port-ins/<int:port_in_id>", READ, models.PortIn)
def get_port_in(port_in: M.PortIn) -> Any:
    """One port-in request, with the donor's decision once it came."""
    return port_in


@route("POST /port-ins", WRITE, models.PortIn, created=True)
def create_port_in(body: models.NewPortIn) -> Any:
    """File a port-in request; the donor's decision comes back through its order."""
    asked = porting.PortInRequest(
        number=body.number,
        donor=body.donor,
        holder_name=body.holder_name,
        wished_date=body.wished_date,
        donor_account=body.donor_account,
    )
    try:
        return porting.file_port_in(db.session, body.subscription_id, asked, g.tenant.country)
    except ProvisioningError as exc:
        named = [r for r in exc.each() if r.field in MEMBERS]
        if len(named) < len(exc.each()):
            raise
        raise ValidationFailed([refused_at(f"/{r.field}", r) for r in named]) from None
