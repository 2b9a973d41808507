"""The concept catalog's page under /catalogos/conceptos (htmx): browse and search, the upload
dialog (the annex report fragment), convert a PUE to ordinary, export. The same services as the API."""

import json

from flask import Blueprint, make_response, render_template, request
from flask_login import current_user

from .. import files
from ..annexes import commands as annex_commands
from ..auth.security import requires_role
from ..errors import fail
from ..exports import download
from ..service_errors import ServiceError
from ..views import action_error, render, with_toast
from . import commands, read

bp = Blueprint("concepts", __name__, url_prefix="/catalogos/conceptos")


@bp.context_processor
def _catalogs():
    from ..catalogs.registry import CATALOGOS  # the catalogs' sub-navigation, shared with their pages

    return {"catalogos": CATALOGOS}


@bp.get("")
def lista():
    f = read.Filtro.from_args(request.args)
    return render("catalogs/conceptos.html", "catalogs/_conceptos_rows.html", f=f, datos=read.page(f))


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


@bp.get("/exportar")
def exportar():
    formato = request.args.get("formato", "xlsx")
    if formato not in ("xlsx", "csv"):
        fail(400, "formato debe ser xlsx o csv")
    f = read.Filtro.from_args(request.args)
    return download("catalogo_conceptos", formato, "Conceptos", read.EXPORT_COLUMNS, read.export_rows(f))
