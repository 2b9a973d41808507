"""The dashboard page: one server-rendered page; its numbers link to the OT list (main.index)."""

from flask import render_template

from . import bp, read


@bp.get("/tablero")
def tablero():
    return render_template("dashboard/index.html", t=read.dashboard())
