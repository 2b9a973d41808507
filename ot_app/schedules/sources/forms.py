"""The form of a program derived from an annex (the page's dialog and POST /api/ot/programa/derivar
post the same fields). An MS Project upload is a file: files.py and the multipart fields read it."""

from wtforms import StringField
from wtforms.validators import AnyOf, Optional

from ...fields import IdField
from ...forms import BaseForm, Required

FUENTES = ("anexo_c", "sabana")


class DerivarProgramaForm(BaseForm):
    id = IdField("ID", subject="El ID de la OT", validators=[Required("ID de la OT no proporcionado")])
    fuente = StringField(
        "Fuente",
        validators=[
            Required("Indique la fuente: anexo_c o sabana."),
            AnyOf(FUENTES, message="fuente no válida: use anexo_c o sabana"),
        ],
    )
    confirmar = StringField(
        "Confirmar",
        default="0",
        validators=[Optional(), AnyOf(("0", "1"), message="confirmar debe ser 0 (revisar) o 1 (guardar)")],
    )
