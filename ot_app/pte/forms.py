"""The PTE form, shared by the pages and the JSON API."""

from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from ..fields import IdField, IsoDateField, MoneyField, WholeField
from ..forms import BaseForm, Required


class PTEForm(BaseForm):
    id = IdField("ID", subject="El ID de la PTE")
    version = WholeField("Versión", subject="La versión")
    oficio_pte = StringField(
        "Oficio de la PTE",
        validators=[
            Required("El oficio de la PTE es obligatorio."),
            Length(max=100, message="El oficio admite hasta 100 caracteres."),
        ],
    )
    descripcion = TextAreaField(
        "Descripción",
        validators=[
            Required("La descripción de la PTE es obligatoria."),
            Length(max=5000, message="La descripción admite hasta 5,000 caracteres."),
        ],
    )
    id_cliente = IdField("Cliente", subject="El cliente", validators=[Required("El cliente es obligatorio.")])
    responsable_proyecto = IdField("Responsable de proyecto", subject="El responsable de proyecto")
    fecha_solicitud = IsoDateField("Fecha de solicitud", subject="La fecha de solicitud")
    plazo_dias = WholeField("Plazo (días)", subject="El plazo en días")
    monto_mxn = MoneyField("Monto MXN", subject="El monto en MXN")
    monto_usd = MoneyField("Monto USD", subject="El monto en USD")


class PTEStatusForm(BaseForm):
    id = IdField("ID", subject="El ID de la PTE", validators=[Required("ID de la PTE no proporcionado")])
    id_estatus_pte = IdField(
        "Estatus",
        subject="El estatus de la PTE",
        validators=[Required("Indique el nuevo estatus de la PTE.")],
    )
    version = WholeField("Versión", subject="La versión")
