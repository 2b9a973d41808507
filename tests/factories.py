"""Factory helpers: realistic rows with sensible defaults, overridable per test."""

import itertools
from datetime import date
from decimal import Decimal

from ot_app.extensions import db
from ot_app.models import (
    ApiToken,
    Embarcacion,
    EstatusPTEId,
    Intercom,
    Patio,
    Plataforma,
    PTEHeader,
    ResponsableProyecto,
    Usuario,
)

PASSWORD = "contraseña-de-prueba"
_seq = itertools.count(1)
_hashes: dict[str, str] = {}


def _set_password(user: Usuario, password: str) -> None:
    """The real scrypt hash, made once per password per test process: hashing is ~100 ms, and
    almost every test makes a user (the login that follows still verifies it for real)."""
    if password not in _hashes:
        user.set_password(password)
        _hashes[password] = user.password_hash
    user.password_hash = _hashes[password]
    user.rotate_session()


def make_user(username=None, rol="editor", password=PASSWORD, activo=True, nombre=None) -> Usuario:
    username = username or f"usuario{next(_seq)}"
    user = db.session.scalar(db.select(Usuario).where(Usuario.username == username))
    if user is None:
        user = Usuario(username=username, nombre=nombre or username.title(), rol=rol, activo=activo)
        _set_password(user, password)
        db.session.add(user)
        db.session.flush()
    return user


def make_token(user, nombre="pruebas"):
    row, clear = ApiToken.issue(user, nombre)
    db.session.add(row)
    db.session.flush()
    return row, clear


def make_catalog(model, nombre=None, activo=True):
    row = model(nombre=nombre or f"{model.__name__} {next(_seq)}", activo=activo)
    db.session.add(row)
    db.session.flush()
    return row


def make_responsable(nombre=None, activo=True) -> ResponsableProyecto:
    return make_catalog(ResponsableProyecto, nombre or f"Ing. Responsable {next(_seq)}", activo)


def make_patio(nombre=None, activo=True) -> Patio:
    return make_catalog(Patio, nombre or f"Patio {next(_seq)}", activo)


def make_embarcacion(nombre=None, activo=True) -> Embarcacion:
    return make_catalog(Embarcacion, nombre or f"B/C Embarcación {next(_seq)}", activo)


def make_plataforma(nombre=None, activo=True) -> Plataforma:
    return make_catalog(Plataforma, nombre or f"Plataforma {next(_seq)}", activo)


def make_intercom(nombre=None, activo=True) -> Intercom:
    return make_catalog(Intercom, nombre or f"Intercom {next(_seq)}", activo)


def make_pte(oficio=None, id_cliente=1, estatus_pte=EstatusPTEId.APROBADA, estatus=1, **kw) -> PTEHeader:
    pte = PTEHeader(
        oficio_pte=oficio or f"PTE-{next(_seq):04d}-2026",
        descripcion=kw.pop("descripcion", "Mantenimiento a ductos de recolección"),
        id_cliente=id_cliente,
        id_estatus_pte=estatus_pte,
        estatus=estatus,
        fecha_solicitud=kw.pop("fecha_solicitud", date(2026, 1, 15)),
        plazo_dias=kw.pop("plazo_dias", 90),
        monto_mxn=kw.pop("monto_mxn", Decimal("1500000.00")),
        monto_usd=kw.pop("monto_usd", Decimal("0")),
        **kw,
    )
    db.session.add(pte)
    db.session.flush()
    return pte


def ot_payload(pte, responsable, **overrides) -> dict:
    """The form an old client posts to /api/ot/crear for an initial OT on land."""
    patio = overrides.pop("patio", None)
    data = {
        "orden_trabajo": f"OT-GRZ-{next(_seq):03d}-26-016.7-J-NHA",
        "oficio_ot": f"PEP-SAP-{next(_seq):04d}-2026",
        "id_tipo": "4",
        "descripcion_trabajo": "Rehabilitación de línea de descarga de 8 pulgadas",
        "comentario_general": "",
        "responsable_cliente": "Ing. Laura Méndez",
        "responsable_proyecto": str(responsable.id),
        "id_pte_header": str(pte.id),
        "id_frente": "1",
        "id_patio": str(patio.id) if patio else "",
        "monto_mxn": "1,234,567.50",
        "monto_usd": "0",
        "plazo_dias": "45",
        "fecha_inicio_programado": "2026-02-01",
        "fecha_termino_programado": "2026-03-17",
    }
    data.update({k: str(v) if v is not None and not isinstance(v, str) else v for k, v in overrides.items()})
    return {k: v for k, v in data.items() if v is not None}


def make_ot(actor=None, pte=None, responsable=None, patio=None, **overrides):
    """An OT created through the real service (so it has its steps and its log row)."""
    from werkzeug.datastructures import MultiDict

    from ot_app.orders import commands
    from ot_app.orders.forms import OTForm

    pte = pte or make_pte()
    responsable = responsable or make_responsable()
    patio = patio or make_patio()
    payload = ot_payload(pte, responsable, patio=patio, **overrides)
    form = OTForm(formdata=MultiDict(payload))
    assert form.validate(), form.first_errors()
    db.session.commit()
    return commands.create_order(form.present_values(), actor).ot


def make_annex(ot_id, rows=None, tipo="anexo_c"):
    """A confirmed annex revision of an OT, imported through the real service."""
    import io

    from werkzeug.datastructures import FileStorage

    from ot_app.annexes.commands import import_annex
    from tests.annexes.builders import xlsx

    rows = rows or [["2.401.", "Limpieza con chorro de arena", "M2", 200, 4125.53, None]]
    report = import_annex(ot_id, tipo, FileStorage(io.BytesIO(xlsx(rows)), "anexo.xlsx"), True, None)
    assert report.ok, report.errores
    return report


def make_catalog_import(actor=None):
    """A confirmed import of the contract's concept catalog (revision n + 1), through the real service."""
    import io

    from werkzeug.datastructures import FileStorage

    from ot_app.concepts.commands import import_catalog
    from tests.annexes.concept_builders import contract

    report = import_catalog(FileStorage(io.BytesIO(contract()), "contrato.xlsx"), True, actor)
    assert report.ok, report.errores
    return report


def complete_checklist(pte_id, actor=None):
    """Every step of a PTE's checklist Completado through the real service (its sub-steps first: a
    step with sub-steps follows them), so the PTE may parent an OT."""
    from ot_app.models import EstatusPasoId, PasoPte, PTEDetalle
    from ot_app.pte import commands as pte_commands

    parents = db.select(PasoPte.id_padre).where(PasoPte.id_padre.is_not(None))
    leaves = db.session.scalars(
        db.select(PTEDetalle.id).where(PTEDetalle.id_pte == pte_id, PTEDetalle.id_paso.not_in(parents))
    ).all()
    for paso in leaves:
        pte_commands.set_step({"id": paso, "estatus_paso": EstatusPasoId.COMPLETADO}, actor)
