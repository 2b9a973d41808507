"""The dashboard (tablero): the office's OTs at a glance, every number a link to the list."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from . import routes  # noqa: E402,F401  (registers the page on bp)
