"""PTEs: the approved planning documents OTs come from: writes (commands), reads (read), shapes (serialize), forms and the pages."""

from flask import Blueprint

bp = Blueprint("pte", __name__, url_prefix="/pte")

from . import routes  # noqa: E402,F401  (registers the pages on bp)
