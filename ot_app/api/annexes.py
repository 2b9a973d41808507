"""/api/ot/anexos: import an OT's annex (dry run or confirm), read a revision, compare two, download
the stored file. Parse, call the annex service, answer with the envelope."""

from flask import request
from flask_login import current_user

from .. import files
from ..annexes import commands, read
from ..annexes.serialize import AnexoDatos, Diferencias, ReporteAnexo
from ..auth.security import requires_role
from ..envelope import envelope
from ..exports import MIMETYPES
from ..service_errors import ValidationFailed
from .request import query_id
from .spec import ID_QUERY, READ_CODES, WRITE_CODES, Answer, Param, UploadBody, operation

TAG = "OT"
TIPOS = ["anexo_c", "sabana", "programa"]
OT_ID = Param("id", ID_QUERY, "ID de la OT.", required=True, example=1)
TIPO = Param("tipo", {"type": "string", "enum": TIPOS}, "Tipo de anexo.", required=True, example="anexo_c")
REVISION = Param("revision", ID_QUERY, "Número de revisión (la última si se omite).")


def _flag(raw: str | None) -> bool:
    value = (raw or "0").strip()
    if value not in ("0", "1"):
        raise ValidationFailed.from_errors({"confirmar": "confirmar debe ser 0 (revisar) o 1 (guardar)"})
    return value == "1"


def _form_id() -> int:
    from ..fields import parse_id

    raw = request.form.get("id", "")
    if not raw.strip():
        raise ValidationFailed.from_errors({"id": "ID de la OT no proporcionado"})
    try:
        return parse_id(raw)
    except ValueError:
        raise ValidationFailed.from_errors({"id": "ID de la OT no válido"}) from None


def _tipo_arg() -> str:
    return commands.parse_tipo(request.args.get("tipo", ""))


@operation(
    "POST",
    "/ot/anexos/importar",
    tag=TAG,
    summary="Importar un anexo de una OT (Anexo C, sábana, programa): revisión en seco o confirmación",
    description="Rol editor. `multipart/form-data`. El formato se reconoce por el contenido (xlsx, "
    "xlsm, xls, CSV), nunca por la extensión; hasta 20 MB. `confirmar=0` (por omisión) solo revisa; "
    "`confirmar=1` guarda los renglones como la siguiente revisión cuando no hay errores (todo o "
    "nada). Con errores responde 422 con el mismo reporte y nada se guarda.",
    body=UploadBody(
        "La OT, el tipo, el archivo y si se confirma.",
        {
            "id": {"type": "string", "pattern": r"^\s*[0-9]{1,18}\s*$"},
            "tipo": {"type": "string", "enum": TIPOS},
            "archivo": {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream"},
            "confirmar": {"type": "string", "enum": ["0", "1"]},
        },
        required=("id", "tipo", "archivo"),
    ),
    answer=Answer("ImportacionRespuesta", ("exito", "advertencia"), datos=ReporteAnexo),
    ok="El reporte; `tipo_aviso: advertencia` si trae advertencias (nunca impiden guardar).",
    codes=WRITE_CODES,
    refusals=((422, Answer("ImportacionConErrores", ("error",), datos=ReporteAnexo, exito=False)),),
)
@files.accepts_upload(commands.MAX_BODY)
@requires_role("editor")
def ot_anexos_importar():
    ot_id = _form_id()
    tipo = commands.parse_tipo(request.form.get("tipo", ""))
    confirmar = _flag(request.form.get("confirmar"))
    report = commands.import_annex(ot_id, tipo, request.files.get("archivo"), confirmar, current_user)
    status = 200 if report.ok else 422
    return envelope(
        report.ok, report.detalles, status=status, tipo_aviso=report.tipo_aviso, datos=report.to_json()
    )


@operation(
    "GET",
    "/ot/anexos",
    tag=TAG,
    summary="Los renglones de una revisión del anexo de una OT, su historial y sus totales",
    parameters=(OT_ID, TIPO, REVISION),
    answer=Answer("AnexoRespuesta", datos=AnexoDatos),
    ok="El anexo (`revision: null` si la OT no lo tiene).",
    codes=READ_CODES,
)
def ot_anexos():
    ot_id = query_id("id", message="ID de la OT no proporcionado")
    datos = read.annex(ot_id, _tipo_arg(), query_id("revision", required=False))
    detalles = "Anexo encontrado" if datos["revision"] else "La OT no tiene este anexo"
    return envelope(True, detalles, datos=datos)


@operation(
    "GET",
    "/ot/anexos/diferencias",
    tag=TAG,
    summary="Comparar dos revisiones del anexo de una OT por llave (anexo, partida, concepto)",
    description="Por omisión la última contra la anterior. `cambiados` trae unidad, cantidad o P.U. "
    "con su antes y después.",
    parameters=(
        OT_ID,
        TIPO,
        Param("de", ID_QUERY, "Revisión anterior."),
        Param("a", ID_QUERY, "Revisión posterior (la última si se omite)."),
    ),
    answer=Answer("DiferenciasRespuesta", datos=Diferencias),
    ok="Agregados, eliminados y cambiados.",
    codes=READ_CODES,
)
def ot_anexos_diferencias():
    ot_id = query_id("id", message="ID de la OT no proporcionado")
    datos = read.differences(
        ot_id, _tipo_arg(), query_id("de", required=False), query_id("a", required=False)
    )
    return envelope(True, "Comparación de revisiones", datos=datos)


@operation(
    "GET",
    "/ot/anexos/archivo",
    tag=TAG,
    summary="Descargar el archivo tal como se importó en una revisión",
    description="Responde el archivo (`application/octet-stream`, como adjunto), no el sobre JSON.",
    parameters=(OT_ID, TIPO, REVISION),
    answer=Answer("Archivo", media="application/octet-stream"),
    ok="El archivo.",
    codes=READ_CODES,
)
def ot_anexos_archivo():
    ot_id = query_id("id", message="ID de la OT no proporcionado")
    return files.send_stored(read.stored_file(ot_id, _tipo_arg(), query_id("revision", required=False)))


@operation(
    "GET",
    "/ot/anexos/exportar",
    tag=TAG,
    summary="Exportar una revisión del anexo a xlsx o CSV",
    description="Encabezado, importes como números con dos decimales, paneles fijos; CSV en UTF-8 "
    "con BOM. Un texto que empieza con `=`, `+`, `-`, `@`, tabulador o retorno se neutraliza.",
    parameters=(
        OT_ID,
        TIPO,
        REVISION,
        Param("formato", {"type": "string", "enum": ["xlsx", "csv"]}, "xlsx por omisión."),
    ),
    answer=Answer("Exportacion", media=MIMETYPES),
    ok="El archivo.",
    codes=READ_CODES,
)
def ot_anexos_exportar():
    from ..exports import download, export_format

    ot_id = query_id("id", message="ID de la OT no proporcionado")
    formato = export_format(request.args)
    nombre, sheet, columns, rows = read.export(ot_id, _tipo_arg(), query_id("revision", required=False))
    return download(nombre, formato, sheet, columns, rows)
