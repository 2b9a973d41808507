"""Work orders (OT): writes (commands), reads (read), shapes (serialize), forms and the pages."""

from flask import Blueprint

bp = Blueprint("orders", __name__, url_prefix="/ot")

from . import routes  # noqa: E402,F401  (registers the pages on bp)
