"""The annex shapes the OpenAPI document publishes: the import report, a line, a revision, a
comparison. report.Report.to_json and read.py build the dicts (nested, from Decimals already
formatted); tests/annexes check every answer against these schemas, so the two cannot drift."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from ..shapes import MONEY_OUT, Encoding, Shape

Importe = Annotated[str, Encoding({"type": "string", "pattern": MONEY_OUT, "description": "Dos decimales."})]
Numero = Annotated[
    str,
    Encoding(
        {
            "type": "string",
            "pattern": r"^[0-9]+(\.[0-9]+)?$",
            "description": "Decimal, sin separador de miles.",
        }
    ),
]


@dataclass(frozen=True, slots=True)
class Incidencia(Shape):
    """An error or a warning, with the cell it is about (null where unknown)."""

    hoja: str | None
    fila: Annotated[int | None, "Renglón de la hoja (1 = primero); en CSV, el número de registro."]
    columna: Annotated[str | None, "El encabezado como está escrito en el archivo."]
    valor: str | None
    mensaje: str


@dataclass(frozen=True, slots=True)
class Totales(Shape):
    mxn: Importe
    usd: Importe


@dataclass(frozen=True, slots=True)
class SubtotalAnexo(Shape):
    hoja: str | None
    fila: int
    texto: str
    mxn: Importe
    usd: Importe
    coincide: bool


@dataclass(frozen=True, slots=True)
class RenglonAnexo(Shape):
    hoja: str | None
    fila: int
    anexo: str
    partida: str
    concepto: str
    unidad: str
    cantidad: Numero
    pu_mxn: Numero
    pu_usd: Numero
    importe_mxn: Importe
    importe_usd: Importe
    capitulo: str | None
    subencabezado: str | None
    programa_diario: Annotated[
        dict[str, str] | None,
        "Sábana: cantidad por día (fecha ISO); programa: volumen por mes (MES n); null en otros tipos.",
    ]
    suma_dias: Annotated[str | None, "Sábana y programa: la suma de los días o de los meses (decimal)."]


@dataclass(frozen=True, slots=True)
class HojaPUE(Shape):
    hoja: str
    renglones: int


@dataclass(frozen=True, slots=True)
class PuntoCurvaS(Shape):
    periodo: str
    importe: Importe
    acumulado: Importe
    porcentaje_acumulado: Annotated[str, Encoding({"type": "string", "pattern": r"^[0-9]{1,3}\.[0-9]{2}$"})]


@dataclass(frozen=True, slots=True)
class CurvaS(Shape):
    """Per currency, never converted; a currency without amounts has an empty list."""

    mxn: list[PuntoCurvaS]
    usd: list[PuntoCurvaS]


@dataclass(frozen=True, slots=True)
class ReporteAnexo(Shape):
    """The report of shared/annexes.md (dry run or confirmation)."""

    tipo: str
    archivo: str
    sha256: str
    formato: Annotated[str | None, "xlsx, xlsm, xls o csv, según el contenido."]
    hoja: str | None
    fila_encabezado: int | None
    renglones: int
    capitulos: int
    subencabezados: int
    totales: Totales
    subtotales: list[SubtotalAnexo]
    errores: list[Incidencia]
    advertencias: list[Incidencia]
    errores_omitidos: Annotated[int, "Errores más allá de los 1,000 listados."]
    advertencias_omitidas: int
    confirmado: bool
    revision: int | None
    muestra: Annotated[list[RenglonAnexo], "Los primeros renglones."]
    dias: Annotated[list[str] | None, "Sábana: las fechas ISO de las columnas de días."]
    pue: Annotated[HojaPUE | None, "Sábana: la hoja de precios extraordinarios validada."]
    hojas: Annotated[list[str] | None, "Programa: las hojas leídas (ANEXO DT-6, ANEXO DE-MN, ANEXO DE-ME)."]
    periodos: Annotated[list[str] | None, "Programa: los meses relativos (MES 1, MES 2, …)."]
    curva_s: Annotated[CurvaS | None, "Programa: la curva S por moneda (importe por mes y acumulado)."]
    revision_programa: Annotated[
        int | None, "Programa confirmado: la revisión del programa de la OT guardada con el anexo."
    ]


@dataclass(frozen=True, slots=True)
class RevisionAnexo(Shape):
    n: int
    fecha: Annotated[str, "UTC, ISO 8601."]
    usuario: str
    archivo: str
    tamano: int
    sha256: str
    formato: str
    hoja: str | None
    renglones: int
    totales: Totales


@dataclass(frozen=True, slots=True)
class AnexoDatos(Shape):
    """An OT's annex of one kind: the revision's lines, the history, the totals beside the OT's."""

    id: int
    tipo: str
    revision: Annotated[int | None, "null: la OT no tiene este anexo."]
    revisiones: list[RevisionAnexo]
    renglones: list[RenglonAnexo]
    totales: Totales
    monto_ot: Annotated[Totales, "monto_mxn y monto_usd de la OT."]
    diferencia_ot: Annotated[
        Totales | None, "Total del anexo menos el monto de la OT (se señala, no se corrige)."
    ]


@dataclass(frozen=True, slots=True)
class CambioRenglon(Shape):
    de: str
    a: str


@dataclass(frozen=True, slots=True)
class RenglonCambiado(Shape):
    partida: str
    concepto: str
    fila: int
    cambios: Annotated[dict[str, CambioRenglon], "unidad, cantidad, pu_mxn o pu_usd que cambiaron."]


@dataclass(frozen=True, slots=True)
class Diferencias(Shape):
    de: int | None
    a: int | None
    agregados: list[RenglonAnexo]
    eliminados: list[RenglonAnexo]
    cambiados: list[RenglonCambiado]
