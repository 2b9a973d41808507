"""/api/linea-tiempo: the portfolio timeline's rows and bars (issue 14). Parse with the timeline's
own parser (the OT list's filters included), call schedules/timeline.py, answer with the envelope."""

from flask import request
from flask_login import current_user

from ..envelope import envelope
from ..orders.query import LIST_INT_PARAMS
from ..schedules import timeline
from ..schedules.timeline_shapes import FilaLinea
from .spec import ID_QUERY, READ_CODES, Answer, Param, operation

DATE = {"type": "string", "format": "date"}


@operation(
    "GET",
    "/linea-tiempo",
    tag="Conflictos",
    summary="Línea de tiempo de la cartera: una fila por cadena de OT (su versión vigente) con sus barras",
    description="Las OT cuya programación, ejecución real o fase de patio toca la ventana [desde, hasta] "
    "(por omisión la de la escala alrededor de hoy), agrupadas y en páginas. Cada fila trae lo programado, "
    "lo real, la fase de patio, las fechas de la versión 1 (la línea base), el avance del último corte, si "
    "está vencida o atrasada (transcurrido > avance) y los conflictos de sitio que la tocan en la ventana, como GET "
    "/api/conflictos. Los filtros son los de la lista de OT (`q`, `id_cliente`, `id_estatus_ot`…).",
    parameters=(
        Param("desde", DATE, "Primer día de la ventana."),
        Param("hasta", DATE, "Último día de la ventana (a lo más 1,098 días desde `desde`)."),
        Param("zoom", {"type": "string", "enum": list(timeline.ZOOM_ORDER)}, "La escala (mes por omisión)."),
        Param(
            "agrupar",
            {"type": "string", "enum": [*timeline.GROUPS, "ninguno"]},
            "embarcacion por omisión; ordena las filas por grupo.",
        ),
        Param("pagina", {"type": "integer", "minimum": 1, "maximum": 1_000_000}, "1 por omisión."),
        Param(
            "por_pagina",
            {"type": "integer", "minimum": 1, "maximum": timeline.MAX_PER_PAGE},
            f"{timeline.PER_PAGE} por omisión.",
        ),
        Param("q", {"type": "string", "maxLength": 200}, "La búsqueda de la lista de OT."),
        *(Param(name, ID_QUERY, "Como en la lista de OT.") for name in LIST_INT_PARAMS),
    ),
    answer=Answer(
        "LineaTiempoRespuesta", datos=list[FilaLinea], extra={"desde": str, "hasta": str, "hay_mas": bool}
    ),
    ok="Las filas de la página, en el orden de la línea de tiempo.",
    codes=READ_CODES,
)
def linea_tiempo():
    vista = timeline.parse(request.args)
    linea = timeline.timeline(vista, current_user)
    datos = [FilaLinea.of(f).to_json() for f in linea.filas]
    return envelope(
        True,
        f"{len(datos)} OT",
        datos=datos,
        desde=vista.desde.isoformat(),
        hasta=vista.hasta.isoformat(),
        hay_mas=linea.hay_mas,
    )
