"""Login form."""

from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import Length

from ..forms import BaseForm, Required


class LoginForm(BaseForm):
    """CSRF is checked by the app for every POST, the login's too (see auth.security)."""

    username = StringField(
        "Usuario",
        validators=[Required("Escriba su usuario."), Length(max=80)],
        filters=[lambda v: v.strip() if v else v],
    )
    password = PasswordField("Contraseña", validators=[Required("Escriba su contraseña."), Length(max=200)])
    next = HiddenField()
