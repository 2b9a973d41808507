"""Home: a summary of the office's work orders."""

from flask import render_template
from sqlalchemy import func

from ..extensions import db
from ..models import OTE, PTEHeader
from . import bp


@bp.route("/")
def index():
    counts = dict(db.session.execute(db.select(OTE.estatus, func.count()).group_by(OTE.estatus)).all())
    ptes = db.session.scalar(db.select(func.count()).select_from(PTEHeader).where(PTEHeader.estatus == 1))
    return render_template("main/index.html", counts=counts, ptes=ptes)
