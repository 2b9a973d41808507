"""Simple catalogs, step templates and step-set rules, the data OTs stand on: the slug map (registry), writes (commands), reads (read), forms and the pages."""

from flask import Blueprint

bp = Blueprint("catalogs", __name__, url_prefix="/catalogos")

from . import routes  # noqa: E402,F401  (registers the pages on bp)
