"""Base form: CSRF is checked once for every state change by the app (see auth.security), so
forms don't repeat it; a form can run in `partial` mode where absent fields are simply unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField
from wtforms.validators import AnyOf, Length, StopValidation


class Required:
    """Like DataRequired, with our message, and silent when the value already failed to parse."""

    def __init__(self, message: str):
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form, field):
        if field.process_errors:
            raise StopValidation()
        data = field.data
        if data is None or (isinstance(data, str) and not data.strip()):
            field.errors[:] = []
            raise StopValidation(self.message)


class BaseForm(FlaskForm):
    class Meta:
        csrf = False

    def __init__(self, formdata=None, partial: bool = False, **kwargs):
        self.partial = partial
        super().__init__(formdata=formdata, **kwargs)

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        if self.partial:
            for field in self:
                if not field.raw_data:
                    field.errors = []
        return not self.first_errors()

    def first_errors(self) -> dict[str, str]:
        """{field: its first message}, in the form's field order."""
        return {field.name: field.errors[0] for field in self if field.errors}

    def present_values(self) -> dict:
        """Typed values of the fields in the request (all fields unless partial)."""
        out = {}
        for field in self:
            if self.partial and not field.raw_data:
                continue
            value = field.data
            if isinstance(value, str):
                value = value.strip()
            out[field.name] = value
        return out

    @classmethod
    def specs(cls) -> Specs:
        """What pages and the OpenAPI document need to know of each field, read off the form."""
        return field_specs(cls)


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form as the templates and the OpenAPI document see it."""

    name: str
    label: str
    subject: str  # how a message names the field: "El monto en MXN"
    kind: type  # the WTForms field class (IdField, MoneyField, StringField, ...)
    required: bool
    max_length: int | None
    choices: tuple | None  # an AnyOf validator's values


class Specs(dict):
    """{field name: FieldSpec}, in the form's field order; `specs.x` reads like `specs["x"]`."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@cache
def field_specs(form_class) -> Specs:
    unbound = sorted(
        (
            (name, value)
            for name in dir(form_class)
            if not name.startswith("_") and isinstance(value := getattr(form_class, name), UnboundField)
        ),
        key=lambda item: item[1].creation_counter,
    )
    out = Specs()
    for name, field in unbound:
        validators = field.kwargs.get("validators") or []
        out[name] = FieldSpec(
            name=name,
            label=field.args[0] if field.args else field.kwargs.get("label", name),
            subject=field.kwargs.get("subject") or (field.args[0] if field.args else name),
            kind=field.field_class,
            required=any(isinstance(v, Required) for v in validators),
            max_length=next((v.max for v in validators if isinstance(v, Length) and v.max > 0), None),
            choices=next((tuple(v.values) for v in validators if isinstance(v, AnyOf)), None),
        )
    return out
