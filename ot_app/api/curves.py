"""/api/ot/curva-s, /api/curva-s, /api/ot/cortes and /api/ot/corte: S-curves and cut-offs (issue
19). Parse, call schedules' curves or cut-off service, answer with the envelope."""

from flask import request
from flask_login import current_user

from ..auth.security import requires_role
from ..envelope import envelope
from ..orders import read as orders_read
from ..schedules import cortes, curves
from ..schedules.corte_forms import CorteForm, avances_of
from ..schedules.curve_shapes import CorteDatos, PuntoCurva, corte_datos, punto
from ..schedules.spread import MONEDAS, PERIODOS
from ..service_errors import ValidationFailed
from .request import body_values, query_id, validated
from .spec import ID_QUERY, READ_CODES, WRITE_CODES, Answer, FormBody, Param, operation

TAG = "OT"
OT_ID = Param("id", ID_QUERY, "ID de la OT (una versión).", required=True, example=1)
MONEDA = Param("moneda", {"type": "string", "enum": list(MONEDAS)}, "mxn por omisión; nunca se convierte.")
PERIODO = Param("periodo", {"type": "string", "enum": list(PERIODOS)}, "semana (por omisión) o mes.")
CURVA = Answer("CurvaSRespuesta", datos=list[PuntoCurva], extra={"origen": str})


def choice(args, name: str, allowed: tuple[str, ...]) -> str:
    """A query argument among `allowed` (the first when absent); anything else is a 400 in Spanish."""
    value = (args.get(name) or allowed[0]).strip().lower()
    if value not in allowed:
        raise ValidationFailed.from_errors({name: f"{name} debe ser {' o '.join(allowed)}."})
    return value


def filtro_of(args) -> curves.Filtro:
    return curves.Filtro(
        **{
            name: query_id(name, required=False)
            for name in ("id_cliente", "id_embarcacion", "id_plataforma", "id_patio")
        }
    )


@operation(
    "GET",
    "/ot/curva-s",
    tag=TAG,
    summary="Curva S de una versión de OT: planeado, planeado de la versión 1 y real acumulados (%)",
    description="Por moneda, sin convertir: % acumulado por monto al fin de cada semana (el día de corte "
    "de la instalación) o mes. `origen`: programa (el programa vigente de la versión), fechas (sin "
    "programa: lineal entre sus fechas programadas por su monto) o vacío (nada pesa en esa moneda).",
    parameters=(OT_ID, MONEDA, PERIODO),
    answer=CURVA,
    ok="Los periodos, del primero con algo planeado o cortado al último.",
    codes=READ_CODES,
)
def ot_curva_s():
    ot = orders_read.get_order(query_id("id", message="ID de la OT no proporcionado"))
    curva = curves.ot_curve(
        ot, choice(request.args, "moneda", MONEDAS), choice(request.args, "periodo", PERIODOS)
    )
    return envelope(True, "Curva S", datos=[punto(p).to_json() for p in curva.puntos], origen=curva.origen)


@operation(
    "GET",
    "/curva-s",
    tag=TAG,
    summary="Curva S de la cartera, de un cliente o de un sitio (embarcación, plataforma, patio)",
    description="Sobre la versión vigente de cada OT, ponderada por su monto en la moneda pedida (nunca "
    "convertida). planeado_v1 usa el programa y el monto de la versión 1 de cada OT.",
    parameters=(
        Param("id_cliente", ID_QUERY, "Solo las OT de este cliente."),
        Param("id_embarcacion", ID_QUERY, "Solo las OT de esta embarcación."),
        Param("id_plataforma", ID_QUERY, "Solo las OT de esta plataforma."),
        Param("id_patio", ID_QUERY, "Solo las OT de este patio."),
        MONEDA,
        PERIODO,
    ),
    answer=CURVA,
    ok="Los periodos (una lista vacía si ninguna OT tiene fechas o montos en esa moneda).",
    codes=READ_CODES,
)
def curva_s():
    curva = curves.portfolio_curve(
        filtro_of(request.args),
        choice(request.args, "moneda", MONEDAS),
        choice(request.args, "periodo", PERIODOS),
    )
    return envelope(True, "Curva S", datos=[punto(p).to_json() for p in curva.puntos], origen=curva.origen)


@operation(
    "GET",
    "/ot/cortes",
    tag=TAG,
    summary="Los cortes de una versión de OT, del más reciente al más antiguo",
    parameters=(OT_ID,),
    answer=Answer("CortesRespuesta", datos=list[CorteDatos]),
    ok="Los cortes con su avance por actividad.",
    codes=READ_CODES,
)
def ot_cortes():
    ot = orders_read.get_order(query_id("id", message="ID de la OT no proporcionado"))
    datos = [corte_datos(c, avances).to_json() for c, avances in cortes.cuts_with_values(ot.id)]
    return envelope(True, f"{len(datos)} cortes", datos=datos)


@operation(
    "POST",
    "/ot/corte",
    tag=TAG,
    summary="Registrar el corte semanal de una OT: el avance físico acumulado por actividad",
    description="Rol editor. `fecha_corte` cae en el día de corte de la instalación, no es futura y es "
    "posterior al último corte (un corte no se reescribe: la corrección va en el siguiente). Un "
    "`avance_<id de actividad>` (0 a 100, dos decimales) por actividad del programa vigente; la que "
    "falta conserva su valor anterior; bajar de valor exige `comentario`. Sin programa, el avance sale "
    "de los pasos de la OT. Guarda planeado, real, SPI y días de atraso por moneda: no cambian después.",
    body=FormBody(
        CorteForm,
        "`id` de la OT, `fecha_corte`, `comentario` y un `avance_<id>` por actividad.",
        examples={"corte": ("Un corte", {"id": "1", "fecha_corte": "2026-02-13", "avance_1": "40"})},
    ),
    answer=Answer("CorteRespuesta", datos=CorteDatos),
    ok="El corte registrado.",
    codes=WRITE_CODES,
)
@requires_role("editor")
def ot_corte():
    formdata = body_values()
    values = validated(CorteForm, formdata=formdata)
    orders_read.get_order(values["id"])
    done = cortes.record_cut(
        values["id"],
        values["fecha_corte"],
        avances_of(formdata),
        current_user,
        values.get("comentario") or "",
    )
    return envelope(True, done.detalles, datos=corte_datos(done.corte, done.corte.avances).to_json())
