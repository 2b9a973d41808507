"""JSON API compatible with the old system's endpoints (the seed's envelope and field names)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from . import openapi, pte_routes, routes  # noqa: E402,F401
