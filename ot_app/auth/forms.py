"""Login form; one's own password change."""

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


class OwnPasswordForm(BaseForm):
    """Changing one's own password: the current one, the new one twice (auth/account.py checks them)."""

    actual = PasswordField(
        "Contraseña actual", validators=[Required("Escriba su contraseña actual."), Length(max=200)]
    )
    nueva = PasswordField(
        "Contraseña nueva", validators=[Required("Escriba la contraseña nueva."), Length(max=200)]
    )
    confirmacion = PasswordField(
        "Repita la contraseña nueva",
        validators=[Required("Escriba otra vez la contraseña nueva."), Length(max=200)],
    )
