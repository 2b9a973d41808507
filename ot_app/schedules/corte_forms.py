"""The cut-off form (pages and API post the same names): `id` of the OT, `fecha_corte`,
`comentario`, and one `avance_<id de actividad>` per activity typed (0..100)."""

import re

from wtforms import TextAreaField
from wtforms.validators import Length

from ..fields import IdField, IsoDateField
from ..forms import BaseForm, Required

AVANCE = re.compile(r"^avance_([1-9][0-9]{0,17})$")
MAX_AVANCES = 2000  # a program's activities; more keys than that is not a cut-off


class CorteForm(BaseForm):
    id = IdField(
        "ID de la OT", subject="El ID de la OT", validators=[Required("ID de la OT no proporcionado")]
    )
    fecha_corte = IsoDateField(
        "Fecha de corte",
        subject="La fecha de corte",
        validators=[Required("Fecha de corte no proporcionada")],
    )
    comentario = TextAreaField(
        "Comentario",
        validators=[Length(max=2000, message="El comentario del corte admite hasta 2,000 caracteres.")],
    )


def avances_of(formdata) -> dict[int, str]:
    """{id_actividad: the typed text} of the body's `avance_<id>` fields (the service checks them)."""
    out = {}
    for key in formdata:
        match = AVANCE.match(key)
        if match and len(out) < MAX_AVANCES:
            out[int(match.group(1))] = formdata.get(key, "")
    return out
