"""The dashboard page: one server-rendered page; its numbers link to the OT list (main.index)."""

from flask import render_template, url_for

from .. import data_version, views
from ..formatting import office_today
from . import bp, read


@bp.get("/tablero")
def tablero():
    # The figures' markup is the same for every user until the next write: computed and rendered
    # once per data version in each worker, since the office opens this page far more often than
    # it changes the data (a hit is the user, the counter and the page's frame).
    today = office_today()
    html = data_version.cached(
        "tablero_html",
        today,
        lambda: views.rendered(
            "dashboard/_tablero.html", t=read.dashboard(today), lista=url_for("main.index")
        ),
    )
    return render_template("dashboard/index.html", tablero=html)
