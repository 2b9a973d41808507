"""The concept catalog's page under /catalogos/conceptos (htmx): browse and search, the upload
dialog (the annex report fragment), convert a PUE to ordinary, export. The same services as the API."""

import json

from flask import Blueprint, make_response, render_template, request
from flask_login import current_user

from .. import files
from ..annexes import commands as annex_commands
from ..auth.security import requires_role
from ..errors import fail
from ..exports import download, export_format
from ..fields import parse_id
from ..service_errors import ServiceError, ValidationFailed
from ..views import action_error, render, wants_fragment, with_toast
from . import commands, read
from .forms import UnidadActivoForm, UnidadForm

bp = Blueprint("concepts", __name__, url_prefix="/catalogos/conceptos")


@bp.context_processor
def _catalogs():
    from ..catalogs.registry import CATALOGOS  # the catalogs' sub-navigation, shared with their pages

    return {"catalogos": CATALOGOS}


@bp.get("")
def lista():
    f = read.Filtro.from_args(request.args)
    if wants_fragment():
        return render("catalogs/conceptos.html", "catalogs/_conceptos_rows.html", f=f, datos=read.page(f))
    # The whole page also shows the units catalog (how spellings are normalised).
    return render(
        "catalogs/conceptos.html",
        "catalogs/_conceptos_rows.html",
        f=f,
        datos=read.page(f),
        unidades=read.units(),
        revisiones=read.revisions(),
    )


@bp.get("/revisiones")
def revisiones():
    """The imports panel alone (refreshed after a confirm), opened."""
    return render_template("catalogs/_concepto_revisiones.html", revisiones=read.revisions(), abierto=True)


@bp.get("/archivo")
def archivo():
    """A revision's file as it was received (the latest without `revision`)."""
    try:
        n = parse_id(request.args["revision"]) if request.args.get("revision", "").strip() else None
    except ValueError:
        fail(400, "El parámetro revision no es un número de revisión válido.")
    return files.send_stored(read.stored_file(n))


@bp.post("/importar")
@files.accepts_upload(annex_commands.MAX_BODY)
@requires_role("editor")
def importar():
    confirmar = request.form.get("confirmar") == "1"
    report = commands.import_catalog(request.files.get("archivo"), confirmar, current_user)
    response = make_response(
        render_template("annexes/_reporte.html", r=report.to_json(), report=report, form_id="concepto-form"),
        200 if report.ok else 422,
    )
    if report.confirmado:
        response.headers["HX-Trigger"] = json.dumps(
            {"conceptos-actualizados": True, "toast": {"message": report.detalles, "kind": "exito"}}
        )
    return response


@bp.post("/<int:concept_id>/convertir")
@requires_role("editor")
def convertir(concept_id: int):
    try:
        commands.convert_to_ordinary(concept_id, current_user)  # the id is bounded by the URL converter
    except ServiceError as err:
        return action_error(err)
    c = read.concept(concept_id)
    html = render_template("catalogs/_concepto_row.html", c=c, selected=True)
    return with_toast(html, f"«{c['partida']}» es ahora un concepto ordinario.")


def _units_panel(vals=None, errores=None, status=200):
    html = render_template(
        "catalogs/_unidades.html", unidades=read.units(), vals=vals or {}, errores=errores or {}
    )
    return make_response(html, status)


@bp.post("/unidades")
@requires_role("admin")
def unidad_guardar():
    form = UnidadForm(formdata=request.form)
    if not form.validate():
        return _units_panel(request.form, form.first_errors(), 422)
    try:
        unit = commands.save_unit(form.clave.data, form.nombre.data, form.alias.data, current_user)
    except ValidationFailed as err:
        return _units_panel(request.form, err.errores, 422)
    return with_toast(_units_panel(), f"Unidad {unit.clave} guardada.")


@bp.post("/unidades/<int:unit_id>/activo")
@requires_role("admin")
def unidad_activo(unit_id: int):
    form = UnidadActivoForm(formdata=request.form)
    if not form.validate():
        fail(400, next(iter(form.first_errors().values())))
    try:
        unit = commands.set_unit_active(unit_id, bool(form.activo.data), current_user)
    except ServiceError as err:
        return action_error(err)
    return with_toast(_units_panel(), f"Unidad {unit.clave} {'activada' if unit.activo else 'desactivada'}.")


@bp.get("/exportar")
def exportar():
    formato = export_format(request.args)
    f = read.Filtro.from_args(request.args)
    return download("catalogo_conceptos", formato, "Conceptos", read.EXPORT_COLUMNS, read.export_rows(f))
