"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

from ot_app import create_app

app = create_app()
