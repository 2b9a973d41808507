"""/linea-tiempo: the portfolio timeline page, its pages of rows (htmx, as the user scrolls) and
moving an OT's programmed dates from the keyboard. Thin: the view is timeline.py's, the move is
the OT edit's own service (orders/commands.update_order: conflicts, audit, version check)."""

from datetime import timedelta

from flask import Blueprint, make_response, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..auth.security import requires_role
from ..catalogs.read import options as catalog_options
from ..formatting import office_today
from ..orders import commands
from ..orders.forms import OTForm
from ..service_errors import ServiceError, ValidationFailed
from ..views import action_error, render, toast_header, wants_fragment
from . import timeline

bp = Blueprint("linea", __name__, url_prefix="/linea-tiempo")
MOVE_FIELDS = ("id", "version", "fecha_inicio_programado", "fecha_termino_programado")


def _context(vista, linea, args) -> dict:
    def url(**changes):
        return url_for("linea.vista", **timeline.view_args(args, **changes))

    return {
        "vista": vista,
        "linea": linea,
        "args": args,
        "vista_url": url,
        "zoom_url": {z: url(zoom=z, desde=None, hasta=None, pagina=None) for z in timeline.ZOOM_ORDER},
        "siguiente_url": url_for("linea.filas", **timeline.view_args(args, pagina=vista.pagina + 1)),
        "antes_url": url(
            desde=(vista.desde - timedelta(days=vista.dias)).isoformat(),
            hasta=(vista.desde - timedelta(days=1)).isoformat(),
            pagina=None,
        ),
        "despues_url": url(
            desde=(vista.hasta + timedelta(days=1)).isoformat(),
            hasta=(vista.hasta + timedelta(days=vista.dias)).isoformat(),
            pagina=None,
        ),
        "hoy_url": url(desde=None, hasta=None, pagina=None),
        "zooms": timeline.ZOOM_ORDER,
        "grupos": timeline.GROUPS,
        # The move answers the row in the same view (its window and grouping).
        "mover_url": url_for("linea.mover", **{k: v for k, v in args.items() if k in timeline.OWN_PARAMS})
        if current_user.puede("editor")
        else "",
    }


@bp.get("")
def vista():
    """The whole page, or (htmx: the filters, zoom and grouping) the timeline alone."""
    args = request.args.to_dict()
    vista = timeline.parse(request.args)
    linea = timeline.timeline(vista, current_user)
    context = _context(vista, linea, args)
    if not wants_fragment():
        context["cats"] = catalog_options("clientes", "tipos", "estatus_ot", "frentes")
        context["query"] = vista.filtros
    return render("schedules/linea_tiempo.html", "schedules/_linea.html", **context)


@bp.get("/filas")
def filas():
    """The next page of rows (hx-trigger="revealed" on the last row)."""
    args = request.args.to_dict()
    vista = timeline.parse(request.args)
    linea = timeline.timeline(vista, current_user)
    return render_template("schedules/_linea_filas.html", **_context(vista, linea, args))


@bp.post("/mover")
@requires_role("editor")
def mover():
    """Save the programmed dates the keyboard moved (`[`/`]`, then `b`): the OT edit's form and
    service; the answer is the row as it is now, and a toast with the conflicts it leaves."""
    raw = MultiDict([(k, request.form[k]) for k in MOVE_FIELDS if k in request.form])
    form = OTForm(formdata=raw, partial=True)
    try:
        if not form.validate():
            raise ValidationFailed.from_errors(form.first_errors())
        result = commands.update_order(form.present_values(), current_user)
    except ValidationFailed as err:
        err.status = 422  # said in a toast, the row stays as it was
        return action_error(err)
    except ServiceError as err:  # 409: someone else saved first; 404: gone
        return action_error(err)
    args = {k: v for k, v in request.args.items() if k in timeline.OWN_PARAMS or k == "agrupar"}
    vista = timeline.parse(MultiDict(args))
    vista.filtros.id = result.ot.id
    vista.pagina, vista.por_pagina = 1, 1
    linea = timeline.timeline(vista, current_user, office_today())
    context = _context(vista, linea, args)
    context["solo_filas"] = True
    response = make_response(render_template("schedules/_linea_filas.html", **context))
    response.headers["HX-Trigger"] = toast_header(result.mensaje, result.tipo_aviso)
    return response
