"""The conflicts page's and API's forms: which conflicts to list, and accepting one."""

from wtforms import StringField
from wtforms.validators import Length

from ..fields import IdField, IsoDateField, ParsedField
from ..forms import BaseForm, Required
from ..models import TipoConflicto, TipoSitio

MOTIVO_MAX = 500
MOTIVO_REQUIRED = "Escriba el motivo por el que se acepta el conflicto."


def parse_sitio(raw) -> tuple[str, int | None] | None:
    """`embarcacion`, `plataforma` or `patio`, optionally `:id` (one site): ("embarcacion", 3)."""
    text = (raw or "").strip().lower()
    if not text:
        return None
    tipo, _, ident = text.partition(":")
    if tipo not in {t.value for t in TipoSitio}:
        raise ValueError("debe ser embarcacion, plataforma o patio, con «:ID» para uno solo")
    if not ident:
        return tipo, None
    if not ident.isdigit() or not 0 < int(ident) < 2**31:
        raise ValueError("lleva un ID no válido después de «:»")
    return tipo, int(ident)


class SitioField(ParsedField):
    parser = staticmethod(parse_sitio)


def parse_ots(raw) -> list[int]:
    parts = [p.strip() for p in (raw or "").split(",") if p.strip()]
    if len(parts) < 2 or not all(p.isdigit() and 0 < int(p) < 2**31 for p in parts):
        raise ValueError("deben ser dos o más ID separados por comas")
    return sorted(int(p) for p in parts)


class OtsField(ParsedField):
    parser = staticmethod(parse_ots)


def _choice(values: set[str]):
    def parse(raw):
        text = (raw or "").strip()
        if text not in values:
            raise ValueError(f"debe ser {' o '.join(sorted(values))}")
        return text

    return staticmethod(parse)


class TipoConflictoField(ParsedField):
    parser = _choice({t.value for t in TipoConflicto})


class TipoSitioField(ParsedField):
    parser = _choice({t.value for t in TipoSitio})


class ConflictFilterForm(BaseForm):
    desde = IsoDateField("Desde", subject="La fecha «desde»")
    hasta = IsoDateField("Hasta", subject="La fecha «hasta»")
    sitio = SitioField("Sitio", subject="El sitio")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.desde.data and self.hasta.data and self.hasta.data < self.desde.data:
            self.hasta.errors = ["La fecha «hasta» no puede ser anterior a «desde»."]
            return False
        return ok


class AcceptConflictForm(BaseForm):
    tipo = TipoConflictoField(
        "Tipo", subject="El tipo de conflicto", validators=[Required("Falta el tipo de conflicto.")]
    )
    tipo_sitio = TipoSitioField(
        "Tipo de sitio", subject="El tipo de sitio", validators=[Required("Falta el tipo de sitio.")]
    )
    id_sitio = IdField("Sitio", subject="El ID del sitio", validators=[Required("Falta el ID del sitio.")])
    ots = OtsField("OT", subject="Las OT", validators=[Required("Faltan las OT del conflicto.")])
    desde = IsoDateField(
        "Desde", subject="La fecha «desde»", validators=[Required("Falta la fecha «desde».")]
    )
    hasta = IsoDateField(
        "Hasta", subject="La fecha «hasta»", validators=[Required("Falta la fecha «hasta».")]
    )
    motivo = StringField(
        "Motivo",
        validators=[
            Required(MOTIVO_REQUIRED),
            Length(max=MOTIVO_MAX, message=f"El motivo admite hasta {MOTIVO_MAX} caracteres."),
        ],
    )
