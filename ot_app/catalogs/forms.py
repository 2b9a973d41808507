"""The catalog pages' forms: a row's name and state, a step template, the step set a page is on,
a step-set rule. They check what a value must look like; the services check it against the data
(a name already taken, a client that does not exist, a rule that already exists)."""

from wtforms import StringField
from wtforms.validators import Length, NumberRange, Optional

from ..fields import ActivoField, IdField, ParsedField, WholeField, parse_whole
from ..forms import BaseForm, Required

NOMBRE_MAX = 150
DESCRIPCION_PASO_MAX = 300
STEP_SET_MAX = 9999
PESO_MAX = 100
DEFAULT_STEP_SET = 5  # the set the steps page opens on (the seed's everyday set)


def parse_step_set(raw) -> int | None:
    try:
        value = parse_whole(raw, STEP_SET_MAX)
    except ValueError:
        value = 0
    if value == 0:
        raise ValueError(f"debe ser un número entre 1 y {STEP_SET_MAX:,}")
    return value


class StepSetField(ParsedField):
    """A step set's number (PasoOt.tipo, ReglaPaso.tipo_paso): 1 to 9,999."""

    parser = staticmethod(parse_step_set)


ACTIVO_SUBJECT = "El valor de «activo»"


class CatalogRowForm(BaseForm):
    nombre = StringField(
        "Nombre",
        validators=[
            Required("El nombre es obligatorio."),
            Length(max=NOMBRE_MAX, message=f"El nombre admite hasta {NOMBRE_MAX} caracteres."),
        ],
    )


class CatalogRowEditForm(CatalogRowForm):
    """Rename and/or (de)activate: used in partial mode, an absent field is left as it is."""

    activo = ActivoField("Activo", subject=ACTIVO_SUBJECT)


CAPACIDAD_MAX = 99
MOVILIZACION_MAX = 365


class SiteRowEditForm(CatalogRowEditForm):
    """A site's row (vessel, platform, yard): also how many OTs it takes at once, whether more is
    refused, and the days a vessel needs between two bookings. Partial, like its parent."""

    capacidad = WholeField(
        "Capacidad",
        subject="La capacidad",
        validators=[
            NumberRange(
                min=1,
                max=CAPACIDAD_MAX,
                message=f"La capacidad debe ser un número entre 1 y {CAPACIDAD_MAX}.",
            )
        ],
    )
    exclusivo = ActivoField("Exclusivo", subject="El valor de «exclusivo»")
    movilizacion_dias = WholeField(
        "Días de movilización",
        subject="Los días de movilización",
        validators=[
            NumberRange(
                min=0,
                max=MOVILIZACION_MAX,
                message=f"Los días de movilización deben ser un número entre 0 y {MOVILIZACION_MAX}.",
            )
        ],
    )


class StepSetForm(BaseForm):
    """The `tipo` query argument of the steps page (which set is shown, and added to)."""

    tipo = StepSetField("Conjunto", subject="El conjunto de pasos")


class StepForm(BaseForm):
    descripcion = StringField(
        "Descripción del paso",
        validators=[
            Required("La descripción del paso es obligatoria."),
            Length(
                max=DESCRIPCION_PASO_MAX,
                message=f"La descripción del paso admite hasta {DESCRIPCION_PASO_MAX} caracteres.",
            ),
        ],
    )

    peso = WholeField(
        "Peso",
        subject="El peso del paso",
        validators=[
            Optional(),
            NumberRange(
                min=1, max=PESO_MAX, message=f"El peso del paso debe ser un número entre 1 y {PESO_MAX}."
            ),
        ],
    )
    orden = WholeField("Orden", subject="El orden del paso")
    id_padre = IdField("Subpaso de", subject="El paso principal")


class StepEditForm(StepForm):
    """Rename, reweigh, reorder and/or (de)activate a template: used in partial mode."""

    activo = ActivoField("Activo", subject=ACTIVO_SUBJECT)


class RulePreviewForm(BaseForm):
    id_tipo = IdField(
        "Tipo de OT", subject="El tipo de OT", validators=[Required("Seleccione un tipo de OT.")]
    )
    id_cliente = IdField("Cliente", subject="El cliente")


class RuleForm(RulePreviewForm):
    """Add a rule, or change one (with its `id`): (tipo, cliente) → step set."""

    id = IdField("ID", subject="El ID de la regla")
    tipo_paso = StepSetField(
        "Conjunto de pasos",
        subject="El conjunto de pasos",
        validators=[Required(f"El conjunto de pasos debe ser un número entre 1 y {STEP_SET_MAX:,}.")],
    )


class PTERulePreviewForm(BaseForm):
    id_cliente = IdField("Cliente", subject="El cliente")


class PTERuleForm(PTERulePreviewForm):
    """Add a PTE rule, or change one (with its `id`): cliente (or any) → PTE step set."""

    id = RuleForm.id
    tipo_paso = RuleForm.tipo_paso
