"""Login form."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(
        "Usuario",
        validators=[DataRequired("Escriba su usuario."), Length(max=80)],
        filters=[lambda v: v.strip() if v else v],
    )
    password = PasswordField(
        "Contraseña", validators=[DataRequired("Escriba su contraseña."), Length(max=200)]
    )
    next = HiddenField()
