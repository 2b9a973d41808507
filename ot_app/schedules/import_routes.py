"""The OT page's "Importar programa" dialog: a program from an MS Project file, or derived from
the OT's sábana or Anexo C (the workbook goes through the annex importer's `programa` kind). Dry
run, then "Confirmar"; the same services as POST /api/ot/programa/importar and /derivar."""

from __future__ import annotations

import json

from flask import Blueprint, make_response, render_template, request
from flask_login import current_user

from .. import files
from ..auth.security import requires_role
from ..service_errors import ServiceError, ValidationFailed
from ..views import action_error
from .sources import commands
from .sources.forms import DerivarProgramaForm

bp = Blueprint("program_import", __name__, url_prefix="/ot")


def _report(report, form_id: str):
    response = make_response(
        render_template(
            "schedules/_importar_reporte.html", r=report.to_json(), report=report, form_id=form_id
        ),
        200 if report.ok else 422,
    )
    if report.confirmado:
        response.headers["HX-Trigger"] = json.dumps(
            {"programa-actualizado": True, "toast": {"message": report.detalles, "kind": "exito"}}
        )
    response.headers["Vary"] = "HX-Request"
    return response


@bp.post("/<int:ot_id>/programa/importar")
@files.accepts_upload(commands.MAX_BODY)
@requires_role("editor")
def importar(ot_id: int):
    try:
        report = commands.import_program(
            ot_id, request.files.get("archivo"), request.form.get("confirmar") == "1", current_user
        )
    except ServiceError as err:
        return action_error(err)
    return _report(report, "programa-archivo-form")


@bp.post("/<int:ot_id>/programa/derivar")
@requires_role("editor")
def derivar(ot_id: int):
    formdata = request.form.copy()
    formdata["id"] = str(ot_id)  # the page's OT is the URL's (the API posts it as a field)
    form = DerivarProgramaForm(formdata=formdata)
    try:
        if not form.validate():
            raise ValidationFailed.from_errors(form.first_errors())
        values = form.present_values()
        report = commands.derive_program(
            ot_id, values["fuente"], values.get("confirmar") == "1", current_user
        )
    except ServiceError as err:
        return action_error(err)
    return _report(report, f"programa-{values['fuente']}-form")
