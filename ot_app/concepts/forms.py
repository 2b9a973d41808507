"""The concept catalog's one write form besides the import: converting a PUE to ordinary."""

from ..fields import IdField
from ..forms import BaseForm, Required


class ConvertirForm(BaseForm):
    id = IdField(
        "ID", subject="El ID del concepto", validators=[Required("ID del concepto no proporcionado")]
    )
