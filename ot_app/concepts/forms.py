"""The concept catalog's write forms besides the import: converting a PUE to ordinary, a unit of
the units catalog and its state."""

from wtforms import StringField
from wtforms.validators import Length

from ..fields import ActivoField, IdField
from ..forms import BaseForm, Required


class ConvertirForm(BaseForm):
    id = IdField(
        "ID", subject="El ID del concepto", validators=[Required("ID del concepto no proporcionado")]
    )


class UnidadForm(BaseForm):
    """A unit of the units catalog and its other spellings (comma separated); an existing clave
    gets the new spellings (and its name, when given)."""

    clave = StringField(
        "Clave",
        validators=[
            Required("La clave de la unidad es obligatoria."),
            Length(max=40, message="La clave admite hasta 40 caracteres."),
        ],
    )
    nombre = StringField(
        "Nombre", validators=[Length(max=40, message="El nombre admite hasta 40 caracteres.")]
    )
    alias = StringField(
        "Se escribe también", validators=[Length(max=400, message="Hasta 400 caracteres de variantes.")]
    )


class UnidadActivoForm(BaseForm):
    activo = ActivoField(
        "Activa", subject="El valor de «activo»", validators=[Required("Indique activo: 1 o 0.")]
    )
