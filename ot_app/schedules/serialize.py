"""The program shapes the API sends and the OpenAPI document publishes: a program (its rows,
links, revisions, totals), a revision, a save's answer, a comparison. One shape per JSON object;
read.py gives the objects, the builders below give the JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated

from ..formatting import amount
from ..shapes import Encoding, Money, Shape
from .read import COMPARED, Comparacion, Programa

Pct = Annotated[
    str,
    Encoding(
        {
            "type": "string",
            "pattern": r"^[0-9]{1,3}\.[0-9]{2}$",
            "description": "Porcentaje con dos decimales.",
        },
    ),
]


def pct(value) -> str:
    return f"{Decimal(value or 0):.2f}"


@dataclass(frozen=True, slots=True)
class TotalesPrograma(Shape):
    mxn: Money
    usd: Money


@dataclass(frozen=True, slots=True)
class ActividadPrograma(Shape):
    """A row: a phase (nivel 1, its amounts and weights the sums of its activities) or an activity."""

    id: Annotated[int, "Id de la fila: enviarlo de vuelta al guardar conserva su distribución y sus claves."]
    numero: Annotated[int, "Número de fila (1 = primera), el que usan las predecesoras."]
    nivel: Annotated[int, "1: fase; 2: actividad (de la fase anterior)."]
    wbs: str
    nombre: str
    es_patio: Annotated[bool, "La fase de patio."]
    inicio: date | None
    fin: date | None
    monto_mxn: Money
    monto_usd: Money
    peso_mxn: Pct
    peso_usd: Pct
    peso_editado_mxn: Annotated[bool, "Peso MXN capturado (no el de omisión: importe ÷ total)."]
    peso_editado_usd: Annotated[bool, "Peso USD capturado (no el de omisión: importe ÷ total)."]
    perfil: Annotated[str, "lineal, inicio, final o campana."]
    avance: Pct
    claves_anexo: list[str] | None
    distribucion: Annotated[
        dict[str, dict[str, str]] | None, "Importe por periodo y moneda que reemplaza al perfil."
    ]


@dataclass(frozen=True, slots=True)
class LigaPrograma(Shape):
    """Fin a inicio: índices (desde 0) en `actividades`."""

    predecesora: int
    sucesora: int
    retraso_dias: int


@dataclass(frozen=True, slots=True)
class RevisionPrograma(Shape):
    n: int
    fecha: Annotated[str, "UTC, ISO 8601."]
    usuario: str
    origen: Annotated[str, "captura, programa, sabana, anexo, mspdi, mpp o copia."]
    formato: str
    archivo: str
    comentario: str
    totales: TotalesPrograma


@dataclass(frozen=True, slots=True)
class ProgramaDatos(Shape):
    id: int
    revision: Annotated[int | None, "null: la versión no tiene programa."]
    congelado: Annotated[bool, "La OT fue reprogramada: su programa es línea base y no cambia."]
    sin_importes: Annotated[list[str], "Monedas sin importes (sus pesos son 0.00)."]
    totales: TotalesPrograma
    revisiones: Annotated[list[RevisionPrograma], "La más reciente primero."]
    actividades: list[ActividadPrograma]
    ligas: list[LigaPrograma]


@dataclass(frozen=True, slots=True)
class ProgramaGuardado(Shape):
    id: int
    revision: int
    advertencias: list[str]


@dataclass(frozen=True, slots=True)
class ActividadResumen(Shape):
    wbs: str
    nombre: str
    nivel: int
    inicio: date | None
    fin: date | None
    monto_mxn: Money
    monto_usd: Money


@dataclass(frozen=True, slots=True)
class CambioValor(Shape):
    de: str | None
    a: str | None


@dataclass(frozen=True, slots=True)
class ActividadCambiada(Shape):
    clave: Annotated[str, "La EDT, o el nombre cuando no tiene."]
    nombre: str
    cambios: Annotated[dict[str, CambioValor], "nombre, nivel, es_patio, fechas, importes, pesos o perfil."]


@dataclass(frozen=True, slots=True)
class ComparacionPrograma(Shape):
    a: int | None
    b: int | None
    agregadas: list[ActividadResumen]
    eliminadas: list[ActividadResumen]
    cambiadas: list[ActividadCambiada]


def revision_shape(rev) -> RevisionPrograma:
    return RevisionPrograma(
        n=rev.n,
        fecha=rev.fecha.isoformat(timespec="seconds") + "Z",
        usuario=rev.usuario,
        origen=rev.origen,
        formato=rev.formato,
        archivo=rev.archivo_nombre,
        comentario=rev.comentario,
        totales=TotalesPrograma(rev.total_mxn, rev.total_usd),
    )


def _row_shape(f) -> ActividadPrograma:
    a = f.actividad
    return ActividadPrograma(
        id=a.id,
        numero=f.numero,
        nivel=a.nivel,
        wbs=a.wbs,
        nombre=a.nombre,
        es_patio=a.es_patio,
        inicio=a.inicio,
        fin=a.fin,
        monto_mxn=f.monto_mxn,
        monto_usd=f.monto_usd,
        peso_mxn=pct(f.peso_mxn),
        peso_usd=pct(f.peso_usd),
        peso_editado_mxn=a.peso_editado_mxn,
        peso_editado_usd=a.peso_editado_usd,
        perfil=a.perfil,
        avance=pct(a.avance),
        claves_anexo=a.claves_anexo,
        distribucion=a.distribucion,
    )


def program_json(p: Programa) -> dict:
    rev = p.revision
    index = {f.actividad.id: k for k, f in enumerate(p.filas)}
    ligas = sorted(rev.ligas, key=lambda li: (index[li.id_sucesora], index[li.id_predecesora])) if rev else []
    zero = Decimal("0")
    return ProgramaDatos(
        id=p.ot.id,
        revision=rev.n if rev else None,
        congelado=p.congelado,
        sin_importes=p.sin_importes,
        totales=TotalesPrograma(rev.total_mxn if rev else zero, rev.total_usd if rev else zero),
        revisiones=[revision_shape(r) for r in p.revisiones],
        actividades=[_row_shape(f) for f in p.filas],
        ligas=[
            LigaPrograma(index[li.id_predecesora], index[li.id_sucesora], li.retraso_dias) for li in ligas
        ],
    ).to_json()


def _summary(a) -> ActividadResumen:
    return ActividadResumen(a.wbs, a.nombre, a.nivel, a.inicio, a.fin, a.monto_mxn, a.monto_usd)


def _value(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return amount(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "sí" if value else "no"
    return str(value)


def comparison_json(c: Comparacion) -> dict:
    return ComparacionPrograma(
        a=c.a,
        b=c.b,
        agregadas=[_summary(a) for a in c.agregadas],
        eliminadas=[_summary(a) for a in c.eliminadas],
        cambiadas=[
            ActividadCambiada(
                ch.clave,
                ch.nombre,
                {
                    k: CambioValor(_value(ch.campos[k][0]), _value(ch.campos[k][1]))
                    for k in COMPARED
                    if k in ch.campos
                },
            )
            for ch in c.cambiadas
        ],
    ).to_json()
