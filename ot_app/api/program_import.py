"""/api/ot/programa/importar and /api/ot/programa/derivar: a program from an MS Project file or
from the OT's sábana / Anexo C, dry run or confirm. Parse, call the source service, answer."""

from flask import request
from flask_login import current_user

from .. import files
from ..auth.security import requires_role
from ..envelope import envelope
from ..schedules.sources import commands
from ..schedules.sources.forms import DerivarProgramaForm
from ..schedules.sources.serialize import ReportePrograma
from .annexes import _flag, _form_id
from .request import validated
from .spec import WRITE_CODES, Answer, FormBody, UploadBody, operation

TAG = "OT"
CONFIRMAR = {"type": "string", "enum": ["0", "1"]}
OT_FIELD = {"type": "string", "pattern": r"^\s*[0-9]{1,18}\s*$"}


def _answer(report):
    status = 200 if report.ok else 422
    return envelope(
        report.ok, report.detalles, status=status, tipo_aviso=report.tipo_aviso, datos=report.to_json()
    )


@operation(
    "POST",
    "/ot/programa/importar",
    tag=TAG,
    summary="Importar el programa de una OT desde MS Project (MSPDI .xml, .mpp, .mpx)",
    description="Rol editor. `multipart/form-data`. El formato se reconoce por el contenido. Niveles "
    "de esquema: el 1 es una fase, las tareas sin subtareas debajo son sus actividades. Ligas de otro "
    "tipo que fin a inicio se toman como fin a inicio (advertencia). Un `.mpp` necesita Java en el "
    "servidor (`default-jre-headless`); sin él, el reporte lo dice y MSPDI sigue funcionando. "
    "`confirmar=1` guarda la siguiente revisión del programa cuando no hay errores.",
    body=UploadBody(
        "La OT, el archivo y si se confirma.",
        {
            "id": OT_FIELD,
            "archivo": {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream"},
            "confirmar": CONFIRMAR,
        },
        required=("id", "archivo"),
    ),
    answer=Answer("ProgramaImportadoRespuesta", ("exito", "advertencia"), datos=ReportePrograma),
    ok="El reporte; `tipo_aviso: advertencia` si trae advertencias (nunca impiden guardar).",
    codes=WRITE_CODES,
    refusals=((422, Answer("ProgramaConErrores", ("error",), datos=ReportePrograma, exito=False)),),
)
@files.accepts_upload(commands.MAX_BODY)
@requires_role("editor")
def ot_programa_importar():
    ot_id = _form_id()
    confirmar = _flag(request.form.get("confirmar"))
    return _answer(commands.import_program(ot_id, request.files.get("archivo"), confirmar, current_user))


@operation(
    "POST",
    "/ot/programa/derivar",
    tag=TAG,
    summary="Derivar el programa de una OT de su sábana o de su Anexo C",
    description="Rol editor. `fuente=sabana`: una actividad por renglón, cantidad diaria × P.U. como "
    "importe planeado por día. `fuente=anexo_c`: una actividad por capítulo con sus importes, "
    "repartida linealmente entre las fechas programadas de la OT. Las fases son los capítulos.",
    body=FormBody(DerivarProgramaForm, "La OT, la fuente y si se confirma (`0` por omisión)."),
    answer=Answer("ProgramaDerivadoRespuesta", ("exito", "advertencia"), datos=ReportePrograma),
    ok="El reporte.",
    codes=WRITE_CODES,
    refusals=((422, Answer("ProgramaDerivadoConErrores", ("error",), datos=ReportePrograma, exito=False)),),
)
@requires_role("editor")
def ot_programa_derivar():
    values = validated(DerivarProgramaForm)
    confirmar = values.get("confirmar") == "1"
    return _answer(commands.derive_program(values["id"], values["fuente"], confirmar, current_user))
