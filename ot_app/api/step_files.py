"""/api/ot/paso/archivo and /api/pte/paso/archivo: a step's deliverable, upload and download. The
two checklists share the rules (ot_app.steps), so their routes are built once here, per area."""

from flask import request
from flask_login import current_user

from .. import steps
from ..auth.security import requires_role
from ..envelope import envelope
from ..files import accepts_upload, send_stored
from .request import body_id, query_id
from .spec import DOWNLOAD, EXITO, ID_QUERY, READ_CODES, UPLOAD_CODES, Param, operation, step_file_body


def register(area: str, tag: str, commands, read) -> None:
    """The upload and download operations of `area`'s steps (endpoints `api.<area>_paso_archivo`
    and `api.<area>_paso_archivo_descargar`), on that area's attach command and file read."""

    def upload():
        paso_id = body_id("ID del paso no proporcionado")
        result = commands.attach_step_file(paso_id, request.files.get("archivo"), current_user)
        return envelope(True, result.detalles)

    def download():
        return send_stored(read.step_file(query_id("id", message="ID del paso no proporcionado")))

    upload.__name__ = f"{area}_paso_archivo"  # the endpoint and the OpenAPI operationId
    download.__name__ = f"{area}_paso_archivo_descargar"
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
