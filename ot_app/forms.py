"""Base form: CSRF is checked once for every state change by the app (see auth.security), so
forms don't repeat it; a form can run in `partial` mode where absent fields are simply unchanged."""

from flask_wtf import FlaskForm
from wtforms.validators import StopValidation


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

    def is_present(self, name: str) -> bool:
        return bool(self[name].raw_data)

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
