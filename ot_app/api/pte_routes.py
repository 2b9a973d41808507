"""/api/pte endpoints: the same envelope and the same services as the PTE pages."""

from flask_login import current_user

from ..auth.security import requires_role
from ..envelope import envelope
from ..pte import commands, read, serialize
from ..pte.forms import PTEForm, PTEStatusForm
from ..service_errors import ValidationFailed
from . import bp
from .request import body_values, query_id


def _form(form_class, partial: bool):
    form = form_class(formdata=body_values(), partial=partial)
    if not form.validate():
        raise ValidationFailed.from_errors(form.first_errors())
    return form.present_values()


@bp.post("/pte/crear")
@requires_role("editor")
def pte_crear():
    result = commands.create_pte(_form(PTEForm, partial=False), current_user)
    return envelope(True, result.detalles, id_nuevo=result.pte.id)


@bp.post("/pte/editar")
@requires_role("editor")
def pte_editar():
    values = _form(PTEForm, partial=True)
    if not values.get("id"):
        raise ValidationFailed("ID de la PTE no proporcionado", {"id": "ID de la PTE no proporcionado"})
    result = commands.update_pte(values, current_user)
    return envelope(True, result.detalles, tipo_aviso=result.tipo_aviso, version=result.pte.version)


@bp.get("/pte/obtener")
def pte_obtener():
    pte = read.get_pte(query_id("id", message="ID de la PTE no proporcionado"))
    return envelope(True, "PTE encontrada", datos=serialize.pte_datos(pte))


@bp.post("/pte/eliminar")
@requires_role("editor")
def pte_eliminar():
    values = _form(PTEStatusForm, partial=True)
    result = commands.delete_pte(values.get("id"), current_user)
    return envelope(True, result.detalles)


@bp.post("/pte/estatus")
@requires_role("editor")
def pte_estatus():
    values = _form(PTEStatusForm, partial=False)
    result = commands.change_status(
        values["id"], values["id_estatus_pte"], current_user, values.get("version")
    )
    return envelope(True, result.detalles, version=result.pte.version)
