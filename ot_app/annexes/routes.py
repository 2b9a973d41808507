"""The OT page's Anexos tab and its upload dialog (htmx). The same service as the API."""

import json

from flask import make_response, render_template, request
from flask_login import current_user

from .. import files
from ..auth.security import requires_role
from ..service_errors import ServiceError
from ..views import action_error
from . import bp, commands, preview, read
from .kinds import KINDS


@bp.get("/<int:ot_id>/anexos")
def pestana(ot_id: int):
    """The tab's content: per kind, the current revision (by chapter), the history, the totals
    beside the OT's amounts and the comparison with the previous revision."""
    kinds = []
    for tipo, kind in KINDS.items():
        datos = read.annex(ot_id, tipo, None)
        diff = (
            read.differences(ot_id, tipo, None, None) if datos["revision"] and datos["revision"] > 1 else None
        )
        kinds.append(
            {
                "tipo": tipo,
                "titulo": kind.titulo,
                "datos": datos,
                "diff": diff,
                "capitulos": read.by_chapter(datos["renglones"]),
            }
        )
    ot = commands.get_ot(ot_id)
    response = make_response(render_template("annexes/_contenido.html", ot=ot, kinds=kinds))
    response.headers["Vary"] = "HX-Request"
    return response


@bp.post("/<int:ot_id>/anexos/importar")
@files.accepts_upload(commands.MAX_BODY)
@requires_role("editor")
def importar(ot_id: int):
    try:
        confirmar = request.form.get("confirmar") == "1"
        report = commands.import_annex(
            ot_id, request.form.get("tipo"), request.files.get("archivo"), confirmar, current_user
        )
    except ServiceError as err:
        return action_error(err)
    response = make_response(
        render_template(
            "annexes/_reporte.html",
            r=report.to_json(),
            report=report,
            vista=preview.build(report),
            ot_id=ot_id,
        ),
        200 if report.ok else 422,
    )
    if report.confirmado:
        response.headers["HX-Trigger"] = json.dumps(
            {"anexos-actualizados": True, "toast": {"message": report.detalles, "kind": "exito"}}
        )
    return response
