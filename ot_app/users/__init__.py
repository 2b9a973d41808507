"""User management for admins: the page /usuarios, and the service the CLI shares."""

from flask import Blueprint

bp = Blueprint("users", __name__, url_prefix="/usuarios")

from . import routes  # noqa: E402,F401  (registers the pages on bp)
