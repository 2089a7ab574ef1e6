"""The yardstick for the web figures: a bare Flask app, one indexed query, one small template.

It connects as the same runtime role through the same pool settings as the product and is served
by the same gunicorn configuration, so a ratio of 1.0 means "as fast as Flask itself".
"""

from __future__ import annotations

from flask import Flask, abort, render_template_string, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

from saas.config import load_settings

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ name }}</title>
</head><body><h1>Welcome to {{ name }}</h1><p>{{ host }}</p></body></html>"""

settings = load_settings()
app = Flask(__name__)
app.config.update(
    SQLALCHEMY_DATABASE_URI=settings.database_url,
    SQLALCHEMY_ENGINE_OPTIONS=settings.as_flask_config()["SQLALCHEMY_ENGINE_OPTIONS"],
)
db = SQLAlchemy(app)


@app.get("/")
def landing() -> str:
    host = request.host.partition(":")[0]
    slug = host.removesuffix("." + settings.base_domain)
    name = db.session.execute(
        text("SELECT name FROM tenants WHERE slug = :slug"), {"slug": slug}
    ).scalar()
    if name is None:
        abort(404)
    return render_template_string(PAGE, name=name, host=host)
