"""The OT form: the seed's POST names, shared by the browser pages and the JSON API."""

import re

from werkzeug.datastructures import MultiDict
from wtforms import StringField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional, StopValidation, ValidationError

from .. import steps
from ..fields import IdField, IsoDateField, MoneyField, ParsedField, WholeField, parse_id
from ..forms import BaseForm, Required
from ..models import EstatusPasoId, TipoId
from ..service_errors import ValidationFailed

TEXT_MAX = 5000
MOTIVO_MAX = 2000
URL_MAX = 500


# Required of an active OT; one created "Por definir" needs only folio, tipo and PTE, and the
# service asks these again (same messages) when its first real edit makes it active.
ACTIVE_REQUIRED = {
    "descripcion_trabajo": "La descripción del trabajo es obligatoria.",
    "responsable_proyecto": "El responsable de proyecto es obligatorio.",
    "responsable_cliente": "El responsable del cliente es obligatorio.",
}
LAND_YARD_REQUIRED = "En un frente de Tierra el patio es obligatorio."
CHECKED = ("on", "1", "true", "si", "sí")


def checked(value) -> bool:
    """A checkbox as forms and JSON clients send it ("on", "1", "true", "sí")."""
    return (value or "").strip().lower() in CHECKED if isinstance(value, str) else bool(value)


class RequiredWhenActive(Required):
    """Required, except on a form that creates the OT "Por definir"."""

    def __call__(self, form, field):
        if checked(getattr(getattr(form, "por_definir", None), "data", None)):
            if field.process_errors:
                raise StopValidation()
            return
        super().__call__(form, field)


def _alternatives(enum, names: bool = True) -> str:
    """'4 (OT inicial) o 5 (OT reprogramada)': a fixed catalog's ids as a message lists them."""
    items = [f"{m.value} ({m.nombre})" if names else str(m.value) for m in enum]
    return ", ".join(items[:-1]) + " o " + items[-1]


class OTForm(BaseForm):
    id = IdField("ID", subject="El ID de la OT")
    version = WholeField("Versión", subject="La versión", validators=[Optional()])
    orden_trabajo = StringField(
        "Folio",
        validators=[
            Required("El Folio de la OT es obligatorio"),
            Length(max=100, message="El folio admite hasta 100 caracteres."),
        ],
    )
    id_tipo = IdField(
        "Tipo de OT",
        subject="El tipo de OT",
        validators=[
            Required("El tipo de OT es obligatorio."),
            AnyOf(list(TipoId), message=f"El tipo de OT debe ser {_alternatives(TipoId)}."),
        ],
    )
    ot_principal = IdField("OT inicial", subject="La OT inicial")
    num_reprogramacion = WholeField("Núm. de reprogramación", subject="El número de reprogramación")
    # Required, except that a reprogramming may inherit its initial OT's PTE: the service decides.
    id_pte_header = IdField("PTE padre", subject="La PTE padre")
    oficio_ot = StringField(
        "Oficio de la OT", validators=[Length(max=100, message="El oficio admite hasta 100 caracteres.")]
    )
    descripcion_trabajo = TextAreaField(
        "Descripción del trabajo",
        validators=[
            RequiredWhenActive(ACTIVE_REQUIRED["descripcion_trabajo"]),
            Length(max=TEXT_MAX, message=f"La descripción admite hasta {TEXT_MAX:,} caracteres."),
        ],
    )
    id_cliente = IdField("Cliente", subject="El cliente")
    responsable_proyecto = IdField(
        "Responsable de proyecto",
        subject="El responsable de proyecto",
        validators=[RequiredWhenActive(ACTIVE_REQUIRED["responsable_proyecto"])],
    )
    responsable_cliente = StringField(
        "Responsable del cliente",
        validators=[
            RequiredWhenActive(ACTIVE_REQUIRED["responsable_cliente"]),
            Length(max=150, message="El responsable del cliente admite hasta 150 caracteres."),
        ],
    )
    id_estatus_ot = IdField("Estatus de la OT", subject="El estatus de la OT")
    id_frente = IdField("Frente", subject="El frente")
    id_embarcacion = IdField("Embarcación", subject="La embarcación")
    id_plataforma = IdField("Plataforma", subject="La plataforma")
    id_intercom = IdField("Intercom", subject="El intercom")
    id_patio = IdField("Patio", subject="El patio")
    check_fase_patio = StringField("Fase de patio")
    id_patio_fase = IdField("Patio de la fase", subject="El patio de la fase de patio")
    fecha_inicio_patio = IsoDateField("Inicio en patio", subject="La fecha de inicio en patio")
    fecha_fin_patio = IsoDateField("Fin en patio", subject="La fecha de fin en patio")
    fecha_inicio_programado = IsoDateField("Inicio programado", subject="La fecha de inicio programado")
    fecha_termino_programado = IsoDateField("Término programado", subject="La fecha de término programado")
    fecha_inicio_real = IsoDateField("Inicio real", subject="La fecha de inicio real")
    fecha_termino_real = IsoDateField("Término real", subject="La fecha de término real")
    plazo_dias = WholeField("Plazo (días)", subject="El plazo en días")
    monto_mxn = MoneyField("Monto MXN", subject="El monto en MXN")
    monto_usd = MoneyField("Monto USD", subject="El monto en USD")
    comentario_general = TextAreaField(
        "Comentario",
        validators=[Length(max=TEXT_MAX, message=f"El comentario admite hasta {TEXT_MAX:,} caracteres.")],
    )
    por_definir = StringField("Por definir")
    motivo = TextAreaField(
        "Motivo de la reprogramación",
        validators=[Length(max=MOTIVO_MAX, message=f"El motivo admite hasta {MOTIVO_MAX:,} caracteres.")],
    )

    def validate_id_pte_header(self, field):
        # Said with the other errors in one pass; a reprogramming may inherit its initial OT's PTE.
        if (
            not self.partial
            and field.data is None
            and not field.process_errors
            and self.id_tipo.data != TipoId.REPROGRAMADA
        ):
            raise StopValidation("La PTE padre es obligatoria.")


class StepForm(BaseForm):
    id = IdField(
        "ID del paso", subject="El ID del paso", validators=[Required("ID del paso no proporcionado")]
    )
    estatus_paso = IdField(
        "Estatus del paso",
        subject="El estatus del paso",
        validators=[
            Optional(),
            AnyOf(
                list(EstatusPasoId),
                message=f"El estatus del paso debe ser {_alternatives(EstatusPasoId, names=False)}.",
            ),
        ],
    )
    comentario = TextAreaField(
        "Comentario",
        validators=[Length(max=1000, message="El comentario del paso admite hasta 1,000 caracteres.")],
    )
    fecha_inicio = IsoDateField("Fecha de inicio", subject="La fecha de inicio del paso")
    fecha_termino = IsoDateField("Fecha de término", subject="La fecha de término del paso")
    fecha_entrega = IsoDateField("Fecha de entrega", subject="La fecha de entrega del paso")
    entregable_url = StringField(
        "Enlace al entregable",
        validators=[
            Length(max=URL_MAX, message=f"El enlace al entregable admite hasta {URL_MAX} caracteres.")
        ],
    )

    def validate_entregable_url(self, field):
        # Only web links: a javascript: or file: URL in a link people click is an attack, not a deliverable.
        value = (field.data or "").strip()
        if value and not re.fullmatch(r"https?://[^\s<>\"']+", value, flags=re.IGNORECASE):
            raise ValidationError("El enlace al entregable debe ser una dirección http:// o https://.")


def step_values(formdata, paso_id: int) -> dict:
    """A step's change from a page (the OT's or the PTE's checklist): only the writable fields, the
    step's id from the URL. Raises ValidationFailed with the fields' messages."""
    raw = MultiDict([(k, v) for k, v in formdata.items(multi=True) if k in steps.WRITABLE])
    raw["id"] = str(paso_id)
    form = StepForm(formdata=raw, partial=True)
    if not form.validate():
        raise ValidationFailed.from_errors(form.first_errors())
    values = form.present_values()
    if values.get("estatus_paso") is None:
        values.pop("estatus_paso", None)
    return values


class OTStatusForm(BaseForm):
    """A status change (the OT page, the list's `s`, `POST /api/ot/estatus`)."""

    id = IdField("ID", subject="El ID de la OT", validators=[Required("ID de la OT no proporcionado")])
    id_estatus_ot = IdField(
        "Estatus de la OT", subject="El estatus de la OT", validators=[Required("Indique el nuevo estatus.")]
    )
    fecha = IsoDateField("Fecha", subject="La fecha")
    comentario = TextAreaField(
        "Comentario del cambio",
        validators=[Length(max=1000, message="El comentario del cambio admite hasta 1,000 caracteres.")],
    )
    version = WholeField("Versión", subject="La versión")


BULK_MAX = 200  # OTs one bulk action may touch (a list page holds up to 200 rows)
BULK_ACTIONS = {"estatus": "Cambiar estatus", "responsable": "Cambiar responsable de proyecto"}


def parse_selection(raw: str) -> list[tuple[int, int | None]]:
    """'12:3, 15' → [(12, 3), (15, None)]: the selected OTs, each with the version the person saw."""
    pairs, seen = [], set()
    for item in re.split(r"[\s,]+", raw.strip()):
        if not item:
            continue
        ot_id, _, version = item.partition(":")
        parsed = parse_id(ot_id)
        if parsed is None or (
            version and not (version.isascii() and version.isdigit() and len(version) <= 9)
        ):
            raise ValueError(f"«{item[:20]}» no es un ID de OT (ID o ID:versión)")
        if parsed not in seen:
            seen.add(parsed)
            pairs.append((parsed, int(version) if version else None))
    if len(pairs) > BULK_MAX:
        raise ValueError(f"admite hasta {BULK_MAX} OT por acción")
    return pairs


class SelectionField(ParsedField):
    """The selected OTs: checkboxes posted one by one, or one comma-separated text (the API)."""

    def process_formdata(self, valuelist):
        super().process_formdata([",".join(valuelist)] if valuelist else valuelist)

    parser = staticmethod(lambda raw: parse_selection(raw) or None)  # none selected: Required says so


class BulkForm(BaseForm):
    """A bulk action on the list's selection (the list's toolbar, `POST /api/ot/masivo`)."""

    accion = StringField("Acción", validators=[Required("Indique la acción.")])
    ots = SelectionField(
        "OT seleccionadas", subject="La selección", validators=[Required("Seleccione al menos una OT.")]
    )
    id_estatus_ot = IdField("Nuevo estatus", subject="El estatus de la OT")
    responsable_proyecto = IdField("Nuevo responsable de proyecto", subject="El responsable de proyecto")
    fecha = IsoDateField("Fecha", subject="La fecha")
    comentario = TextAreaField(
        "Comentario del cambio",
        validators=[Length(max=1000, message="El comentario del cambio admite hasta 1,000 caracteres.")],
    )

    def validate_accion(self, field):
        if (field.data or "").strip() not in BULK_ACTIONS:
            raise StopValidation("La acción debe ser estatus o responsable.")

    def validate_id_estatus_ot(self, field):
        if self.accion.data == "estatus" and field.data is None and not field.process_errors:
            raise StopValidation("Indique el nuevo estatus.")

    def validate_responsable_proyecto(self, field):
        if self.accion.data == "responsable" and field.data is None and not field.process_errors:
            raise StopValidation("Indique el nuevo responsable de proyecto.")
