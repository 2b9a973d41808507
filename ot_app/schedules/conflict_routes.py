"""/conflictos: the portfolio's site conflicts, filtered in the URL, each with its ways out —
move the dates or change the site (the OT's edit page) or accept it with a reason. Thin: the
filters and the acceptance are schedules/forms.py's, the rules schedules/bookings.py's."""

from flask import Blueprint, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..auth.security import requires_role
from ..models import TipoSitio
from ..service_errors import ServiceError
from ..views import render, toast_header
from . import bookings
from .conflict_forms import AcceptConflictForm, ConflictFilterForm

bp = Blueprint("conflictos", __name__, url_prefix="/conflictos")

SITE_KINDS = (
    (TipoSitio.EMBARCACION.value, "Embarcaciones"),
    (TipoSitio.PLATAFORMA.value, "Plataformas"),
    (TipoSitio.PATIO.value, "Patios"),
)
KIND_LABELS = {
    "programado": "Traslape",
    "real": "Real invade reserva",
    "movilizacion": "Sin movilización",
}


def _listing(formdata, status: int | None = None, **extra):
    """The page or its results for the filters in `formdata`; a bad filter is a 400 with its
    message beside the field."""
    form = ConflictFilterForm(formdata=formdata)
    errores = {} if form.validate() else form.first_errors()
    found = []
    if not errores:
        sitio = form.sitio.data or (None, None)
        found = bookings.portfolio_conflicts(form.desde.data, form.hasta.data, sitio[0], sitio[1])
    context = {
        "found": found,
        "campos": bookings.change_site_fields(found),
        "errores": errores,
        "vals": {name: formdata.get(name, "") for name in ("desde", "hasta", "sitio")},
        "kinds": SITE_KINDS,
        "labels": KIND_LABELS,
        **extra,
    }
    status = status or (400 if errores else 200)
    return render("schedules/conflictos.html", "schedules/_conflictos_results.html", status=status, **context)


@bp.get("")
def lista():
    return _listing(request.args)


@bp.post("/aceptar")
@requires_role("editor")
def aceptar():
    form = AcceptConflictForm(formdata=request.form)
    # The row it came from (its errors are shown there) and the list's filters, to answer with it.
    fila = request.form.get("fila", "")
    filters = {k: request.form.get(f"f_{k}", "") for k in ("desde", "hasta", "sitio")}
    if not form.validate():
        return _listing(MultiDict(filters), status=400, error_fila=fila, error_aceptar=form.first_errors())
    try:
        bookings.accept(form.present_values(), current_user)
    except ServiceError as err:
        response = _listing(MultiDict(filters), status=err.status)  # a 409: the list as it is now
        response.headers["HX-Trigger"] = toast_header(err.detalles, "error")
        return response
    response = _listing(MultiDict(filters), status=200)
    response.headers["HX-Trigger"] = toast_header("Conflicto aceptado: queda en el historial con su motivo.")
    return response
