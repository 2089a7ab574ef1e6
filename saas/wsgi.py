"""WSGI entry point for gunicorn: builds the app from the environment."""

from saas import create_app

app = create_app()
