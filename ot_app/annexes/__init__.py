"""Annex importers (Anexo C, sábana, programa): a pipeline of small pure steps, detect →
read → find layout → classify → apply rules → report, then confirm as a revision (commands.py).
The contract is shared/annexes.md. The OT page's tab is in routes.py."""

from flask import Blueprint

bp = Blueprint("annexes", __name__, url_prefix="/ot")

from . import routes  # noqa: E402,F401  (registers the pages on bp)
