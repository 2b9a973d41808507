"""/api/<area>/paso/editar and /api/<area>/paso/archivo (upload and download) for both checklists,
OT and PTE: they share the rules (ot_app.steps), so their routes are built once here, per area."""

from flask import request
from flask_login import current_user

from .. import steps
from ..auth.security import requires_role
from ..envelope import envelope
from ..files import accepts_upload, send_stored
from ..models import EstatusPasoId
from ..orders.forms import StepForm
from .request import body_id, query_id, validated
from .spec import (
    DOWNLOAD,
    EXITO,
    ID_QUERY,
    READ_CODES,
    UPLOAD_CODES,
    WRITE_CODES,
    FormBody,
    Param,
    operation,
    step_file_body,
)

_PASO_MIN, _PASO_MAX = min(EstatusPasoId).value, max(EstatusPasoId).value
EDIT_DESCRIPTION = (
    "Rol editor. `id` es el ID del paso (de `{pasos}`). Al pasar a Completado, la fecha de entrega "
    "vacía toma la de hoy; al dejar Completado se borra la que se puso así. La fecha de término y la "
    "de entrega no pueden ser anteriores a la de inicio. Cada campo cambiado queda en el historial."
)


def register(area: str, tag: str, commands, read, *, of: str = "", note: str = "", example: dict) -> None:
    """The step operations of `area` (endpoints `api.<area>_paso_editar`, `api.<area>_paso_archivo`
    and `api.<area>_paso_archivo_descargar`) on that area's commands (set_step, attach_step_file)
    and file read; `of`, `note` and `example` are what the OpenAPI document says differently."""

    def edit():
        values = validated(StepForm, partial=True)
        steps.require_change(values)
        result = commands.set_step(values, current_user)
        return envelope(True, result.detalles)

    def upload():
        paso_id = body_id("ID del paso no proporcionado")
        result = commands.attach_step_file(paso_id, request.files.get("archivo"), current_user)
        return envelope(True, result.detalles)

    def download():
        return send_stored(read.step_file(query_id("id", message="ID del paso no proporcionado")))

    edit.__name__ = f"{area}_paso_editar"  # the endpoint and the OpenAPI operationId
    upload.__name__ = f"{area}_paso_archivo"
    download.__name__ = f"{area}_paso_archivo_descargar"
    operation(
        "POST",
        f"/{area}/paso/editar",
        tag=tag,
        summary=f"Cambiar el estatus ({_PASO_MIN}–{_PASO_MAX}), el comentario, las fechas y/o el enlace al "
        f"entregable de un paso{of}",
        description=EDIT_DESCRIPTION.format(pasos=f"/api/{area}/pasos") + note,
        body=FormBody(
            StepForm,
            "`id` del paso y cualquiera de `estatus_paso`, `comentario`, `fecha_inicio`, `fecha_termino`, "
            "`fecha_entrega`, `entregable_url` (vacío lo borra).",
            examples={"completar": example},
        ),
        answer=EXITO,
        ok="Paso actualizado (o sin cambios).",
        codes=WRITE_CODES,
    )(requires_role("editor")(edit))
    operation(
        "POST",
        f"/{area}/paso/archivo",
        tag=tag,
        summary="Subir el archivo entregable de un paso (multipart/form-data)",
        description="Rol editor. El mismo archivo (mismo contenido) se guarda una sola vez.",
        body=step_file_body(f"/api/{area}/pasos"),
        answer=EXITO,
        ok="Archivo guardado en el paso.",
        codes=UPLOAD_CODES,
    )(accepts_upload(steps.DELIVERABLE_MAX_BODY)(requires_role("editor")(upload)))
    operation(
        "GET",
        f"/{area}/paso/archivo",
        tag=tag,
        summary="Descargar el archivo entregable de un paso",
        description="Siempre como descarga (`Content-Disposition: attachment`, `application/octet-stream`).",
        parameters=(Param("id", ID_QUERY, "ID del paso.", required=True, example=1),),
        answer=DOWNLOAD,
        ok="El archivo.",
        codes=READ_CODES,
    )(download)
