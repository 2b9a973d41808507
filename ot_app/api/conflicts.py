"""/api/conflictos: the sites booked beyond what they take (issue 14), and accepting one with a
reason. Parse, call schedules/bookings.py, answer with the envelope."""

from flask import request
from flask_login import current_user

from ..auth.security import requires_role
from ..envelope import envelope
from ..schedules import bookings
from ..schedules.conflict_forms import AcceptConflictForm, ConflictFilterForm
from ..schedules.conflict_shapes import ConflictoSitio
from .request import validated
from .spec import EXITO, READ_CODES, WRITE_CODES, Answer, FormBody, Param, operation

TAG = "Conflictos"
DATE = {"type": "string", "format": "date"}


def filters(formdata) -> dict:
    """The list's filters (the page and the API share them): desde, hasta, sitio → the service's."""
    values = validated(ConflictFilterForm, formdata=formdata)
    sitio = values.get("sitio") or (None, None)
    return {
        "desde": values.get("desde"),
        "hasta": values.get("hasta"),
        "tipo_sitio": sitio[0],
        "id_sitio": sitio[1],
    }


@operation(
    "GET",
    "/conflictos",
    tag=TAG,
    summary="Conflictos de sitio: embarcaciones, plataformas y patios ocupados más allá de su capacidad",
    description="Cada conflicto es un tramo de días en que un sitio tiene más OT de las que admite "
    "(`programado`), en que el periodo real de una OT invade la siguiente reserva (`real`), o en que "
    "una embarcación queda con menos días de movilización de los que necesita (`movilizacion`). Solo "
    "la versión vigente de cada cadena reserva. Los conflictos aceptados con motivo no se listan.",
    parameters=(
        Param("desde", DATE, "Solo los que terminan en o después de esta fecha."),
        Param("hasta", DATE, "Solo los que empiezan en o antes de esta fecha."),
        Param(
            "sitio",
            {"type": "string", "pattern": r"^(embarcacion|plataforma|patio)(:[0-9]{1,10})?$"},
            "Un tipo de sitio, o uno solo con `tipo:ID` (`embarcacion:3`).",
        ),
    ),
    answer=Answer("ConflictosRespuesta", datos=list[ConflictoSitio]),
    ok="Los conflictos, por sitio y fecha.",
    codes=READ_CODES,
)
def conflictos():
    found = bookings.portfolio_conflicts(**filters(request.args))
    datos = [ConflictoSitio.from_found(f).to_json() for f in found]
    return envelope(True, f"{len(datos)} conflicto{'' if len(datos) == 1 else 's'}", datos=datos)


@operation(
    "POST",
    "/conflictos/aceptar",
    tag=TAG,
    summary="Aceptar un conflicto de sitio con un motivo",
    description="Rol editor. Queda en el historial y deja de listarse mientras las mismas OT se "
    "traslapen en los mismos días (si cambian las fechas, es otro conflicto). `ots`: los ID separados "
    "por comas, como los lista `GET /api/conflictos`.",
    body=FormBody(AcceptConflictForm, "El conflicto tal como se listó, y el motivo."),
    answer=EXITO,
    ok="Aceptado.",
    codes=WRITE_CODES,
)
@requires_role("editor")
def conflictos_aceptar():
    values = validated(AcceptConflictForm)
    bookings.accept(values, current_user)
    return envelope(True, "Conflicto aceptado.")
