"""The users page's forms: new user, role, state, password reset. They say what the page needs
(labels, lengths, the roles) and refuse a malformed value beside its field; users/service.py keeps
the rules themselves (a taken username, the password policy, never without an active admin), for
the page and the CLI alike, with the same messages."""

from wtforms import PasswordField, StringField
from wtforms.validators import AnyOf, Length

from ..auth.passwords import MIN_LENGTH
from ..fields import ActivoField
from ..forms import BaseForm, Required
from ..models import ROLES
from . import service

# auth/passwords.py's policy, as the fields declare it (it refuses the same lengths, same words).
PASSWORD_MAX = 200
PASSWORD_TOO_SHORT = f"La contraseña debe tener al menos {MIN_LENGTH} caracteres."
PASSWORD_TOO_LONG = f"La contraseña no puede tener más de {PASSWORD_MAX} caracteres."
ACTIVO_REQUIRED = "Indique si el usuario queda activo (1) o inactivo (0)."


def _rol(label: str = "Rol"):
    return StringField(
        label,
        validators=[Required(service.ROL_INVALID), AnyOf(ROLES, message=service.ROL_INVALID)],
    )


def _password(label: str):
    return PasswordField(
        label,
        validators=[
            Required(PASSWORD_TOO_SHORT),
            Length(max=PASSWORD_MAX, message=PASSWORD_TOO_LONG),
        ],
    )


class NewUserForm(BaseForm):
    username = StringField(
        "Usuario",
        validators=[
            Required(service.USERNAME_REQUIRED),
            Length(max=service.USERNAME_MAX, message=service.USERNAME_TOO_LONG),
        ],
    )
    nombre = StringField(
        "Nombre", validators=[Length(max=service.NOMBRE_MAX, message=service.NOMBRE_TOO_LONG)]
    )
    rol = _rol()
    password = _password("Contraseña inicial")


class RoleForm(BaseForm):
    rol = _rol()


class ActiveForm(BaseForm):
    activo = ActivoField("Estado", subject="El valor de «activo»", validators=[Required(ACTIVO_REQUIRED)])


class PasswordForm(BaseForm):
    password = _password("Nueva contraseña")
