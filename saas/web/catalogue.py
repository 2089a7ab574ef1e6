"""The brand's catalogue as pages read it: a snapshot kept per app and brand, never stale."""

from __future__ import annotations

from flask import current_app, g

from saas.catalog import snapshot
from saas.catalog.snapshot import Snapshot
from saas.db import db


def catalogue() -> Snapshot:
    """The brand's catalogue as stored now; read again only after the catalogue version moved.

    One short read a request (the version, once) instead of the plans, prices and metrics a page
    shows. The store lives on the app, like `saas.web.kept`: two apps never share snapshots.
    """
    if "catalogue" in g:
        return g.catalogue
    store: dict[int, Snapshot] = current_app.extensions.setdefault("saas.catalogues", {})
    version = snapshot.current_version(db.session)
    held = store.get(g.tenant.id)
    if held is None or held.version != version:
        # Two threads may both load; whichever is stored last, an older one is loaded again.
        held = store[g.tenant.id] = snapshot.load(db.session)
    g.catalogue = held
    return held
