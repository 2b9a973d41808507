"""/api/catalogos/conceptos: the contract's concept catalog — import (dry run or confirm, the annex
report), read a page of it (search, filters, paging), convert a PUE to ordinary, its revisions and
their files, the export; and /api/catalogos/unidades, the units catalog."""

from flask import request
from flask_login import current_user

from .. import files
from ..annexes import commands as annex_commands
from ..annexes.serialize import ReporteAnexo
from ..auth.security import requires_role
from ..concepts import commands, read
from ..concepts.forms import ConvertirForm
from ..concepts.serialize import ConceptoContrato, ConceptosPagina, RevisionCatalogo, UnidadCatalogo
from ..envelope import envelope
from ..exports import MIMETYPES, download, export_format
from .annexes import _flag
from .request import query_id, validated
from .spec import ID_QUERY, READ_CODES, WRITE_CODES, Answer, IdBody, Param, UploadBody, operation

TAG = "Catálogos"
# The catalog's filters, shared by the page of concepts and the export (the same rows).
FILTER = (
    Param("q", {"type": "string", "maxLength": 100}, "Palabras a buscar."),
    Param("tipo", {"type": "string", "enum": ["", "ordinario", "pue"]}, "Todos si se omite."),
    Param("estado", {"type": "string", "enum": list(read.ESTADOS)}, "activos por omisión."),
)
REVISION = Param("revision", ID_QUERY, "Número de revisión (la última si se omite).")


@operation(
    "POST",
    "/catalogos/conceptos/importar",
    tag=TAG,
    summary="Importar el catálogo de conceptos del contrato: revisión en seco o confirmación",
    description="Rol editor. `multipart/form-data`, el mismo reporte que `/api/ot/anexos/importar` "
    "(`tipo: catalogo`). El libro del contrato trae una hoja por sub-anexo (C-2-CR … C-6-CR; niveles "
    "en columnas ID PADRE / ID MADRE / ID HIJO o como renglones de capítulo) y la de PUE; la hoja de "
    "PUE de una sábana también sirve. `confirmar=1` sin errores actualiza el catálogo: claves nuevas "
    "se agregan, cambios de unidad, P.U., tipo, fecha de sanción o estatus quedan registrados, y los "
    "conceptos que faltan (dentro de los sub-anexos y tipos que trae el archivo) pasan a inactivos; "
    "nunca se borran. Con errores responde 422 y nada se guarda.",
    body=UploadBody(
        "El archivo y si se confirma.",
        {
            "archivo": {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream"},
            "confirmar": {"type": "string", "enum": ["0", "1"]},
        },
        required=("archivo",),
    ),
    answer=Answer("ImportacionCatalogoRespuesta", ("exito", "advertencia"), datos=ReporteAnexo),
    ok="El reporte; `detalles` dice cuántos conceptos se agregan, cambian o pasan a inactivos.",
    codes=WRITE_CODES,
    refusals=((422, Answer("ImportacionCatalogoConErrores", ("error",), datos=ReporteAnexo, exito=False)),),
)
@files.accepts_upload(annex_commands.MAX_BODY)
@requires_role("editor")
def conceptos_importar():
    confirmar = _flag(request.form.get("confirmar"))
    report = commands.import_catalog(request.files.get("archivo"), confirmar, current_user)
    return envelope(  # `datos.revision`: the revision a confirm stored
        report.ok,
        report.detalles,
        status=200 if report.ok else 422,
        tipo_aviso=report.tipo_aviso,
        datos=report.to_json(),
    )


@operation(
    "GET",
    "/catalogos/conceptos",
    tag=TAG,
    summary="Los conceptos del contrato: búsqueda, filtros y páginas de 50",
    description="`q` busca cada palabra en partida, concepto, unidad o sub-anexo.",
    parameters=(
        *FILTER,
        Param("pagina", {"type": "integer", "minimum": 1, "maximum": 100000}, "1 por omisión."),
    ),
    answer=Answer("ConceptosRespuesta", datos=ConceptosPagina),
    ok="Una página de conceptos y el total.",
    codes=READ_CODES,
)
def conceptos():
    datos = read.page(read.Filtro.from_args(request.args))
    datos["conceptos"] = [ConceptoContrato.from_row(c).to_json() for c in datos["conceptos"]]
    return envelope(True, f"{datos['total']} conceptos", datos=datos)


@operation(
    "POST",
    "/catalogos/conceptos/convertir",
    tag=TAG,
    summary="Convertir un concepto PUE (extraordinario) en ordinario",
    description="Rol editor. Queda registrado; una lista de PUE importada después no lo regresa a PUE. "
    "Un concepto que ya es ordinario, o inactivo, es un 409.",
    body=IdBody("El `id` del concepto.", "1"),
    answer=Answer("ConceptoRespuesta", datos=ConceptoContrato),
    ok="El concepto, ya ordinario.",
    codes=WRITE_CODES,
)
@requires_role("editor")
def conceptos_convertir():
    values = validated(ConvertirForm)
    concept = commands.convert_to_ordinary(values["id"], current_user)
    datos = ConceptoContrato.from_row(read.concept(concept.id)).to_json()
    return envelope(True, "El concepto es ahora ordinario.", datos=datos)


@operation(
    "GET",
    "/catalogos/conceptos/revisiones",
    tag=TAG,
    summary="Las importaciones del catálogo de conceptos, la más reciente primero",
    description="Cada confirmación es una revisión: quién, cuándo, el archivo (nombre, tamaño, "
    "SHA-256) y cuántos conceptos agregó, cambió o pasó a inactivos.",
    answer=Answer("RevisionesCatalogoRespuesta", datos=list[RevisionCatalogo]),
    ok="Las revisiones.",
    codes=READ_CODES,
)
def conceptos_revisiones():
    datos = [RevisionCatalogo.from_row(r).to_json() for r in read.revisions()]
    return envelope(True, f"{len(datos)} revisiones", datos=datos)


@operation(
    "GET",
    "/catalogos/conceptos/archivo",
    tag=TAG,
    summary="Descargar el archivo tal como se importó en una revisión del catálogo",
    description="Responde el archivo (`application/octet-stream`, como adjunto), no el sobre JSON.",
    parameters=(REVISION,),
    answer=Answer("ArchivoCatalogo", media="application/octet-stream"),
    ok="El archivo.",
    codes=READ_CODES,
)
def conceptos_archivo():
    return files.send_stored(read.stored_file(query_id("revision", required=False)))


@operation(
    "GET",
    "/catalogos/conceptos/exportar",
    tag=TAG,
    summary="Exportar los conceptos del contrato (con los filtros) a xlsx o CSV",
    description="Todas las páginas. Encabezado, precios como números, fechas como fechas, paneles "
    "fijos; CSV en UTF-8 con BOM. Un texto que empieza con `=`, `+`, `-`, `@`, tabulador o retorno "
    "se neutraliza.",
    parameters=(*FILTER, Param("formato", {"type": "string", "enum": ["xlsx", "csv"]}, "xlsx por omisión.")),
    answer=Answer("ExportacionConceptos", media=MIMETYPES),
    ok="El archivo.",
    codes=READ_CODES,
)
def conceptos_exportar():
    formato = export_format(request.args)
    rows = read.export_rows(read.Filtro.from_args(request.args))
    return download("catalogo_conceptos", formato, "Conceptos", read.EXPORT_COLUMNS, rows)


@operation(
    "GET",
    "/catalogos/unidades",
    tag=TAG,
    summary="El catálogo de unidades y cómo se escribe cada una",
    description="Al comparar, las mayúsculas, acentos, puntos, espacios y ² / ³ no cuentan.",
    answer=Answer("UnidadesRespuesta", datos=list[UnidadCatalogo]),
    ok="Las unidades.",
    codes=READ_CODES,
)
def unidades():
    datos = [UnidadCatalogo.from_row(u).to_json() for u in read.units()]
    return envelope(True, f"{len(datos)} unidades", datos=datos)
