"""Base catalogs with fixed ids (`flask seed`): the rules of the app depend on these ids."""

from sqlalchemy import select

from . import data_version
from .extensions import db
from .models import (
    Cliente,
    EstatusOT,
    EstatusOTId,
    EstatusPaso,
    EstatusPasoId,
    EstatusPTE,
    EstatusPTEId,
    Frente,
    FrenteId,
    PasoOt,
    PasoPte,
    ReglaPaso,
    ReglaPasoPte,
    TipoDocumento,
    TipoId,
)

# The step-set rule names clients 1-4, so they are base data, not demo data.
CLIENTES = {
    1: "PEMEX Exploración y Producción",
    2: "Cotemar",
    3: "Compañía Perforadora del Golfo",
    4: "Servicios Marinos del Sureste",
}

# Step set 5: the whole life of an OT, from the official letter to the administrative close.
PASOS_5 = [
    "Recepción del oficio de la OT",
    "Registro de la OT y asignación de responsable",
    "Revisión técnica del alcance y la PTE",
    "Reunión de arranque con el cliente",
    "Programa de ejecución aprobado",
    "Movilización de personal y equipo",
    "Ejecución de los trabajos",
    "Supervisión y reportes diarios",
    "Pruebas y acta de entrega-recepción",
    "Desmovilización",
    "Generadores y estimación",
    "Cierre administrativo",
]
# Step set 18: a reprogrammed version only re-plans and re-closes.
PASOS_18 = [
    "Recepción del oficio de reprogramación",
    "Análisis de las causas de la reprogramación",
    "Nuevo programa de ejecución aprobado",
    "Ajuste de recursos y montos",
    "Ejecución conforme a la reprogramación",
    "Estimación de la reprogramación",
    "Cierre administrativo de la reprogramación",
]

# (id, id_tipo, id_cliente or None, step set): reproduces the seed's hard-coded choice.
REPROGRAMADA, INICIAL = TipoId.REPROGRAMADA, TipoId.INICIAL
REGLAS = [
    (1, REPROGRAMADA, 1, 5),
    (2, REPROGRAMADA, 2, 18),
    (3, REPROGRAMADA, 3, 18),
    (4, REPROGRAMADA, 4, 18),
    (5, REPROGRAMADA, None, 5),
    (6, INICIAL, None, 5),
]

# PTE checklists (issue 13): (id, description, set, orden, id_padre). Set 1 is every client's;
# set 2 is PEMEX's, which also asks for the Anexo C review. "Volumetría" has sub-steps: it
# completes itself when they all do.
PASOS_PTE = [
    (1, "Recepción de la solicitud del cliente", 1, 10, None),
    (2, "Visita técnica y levantamiento", 1, 20, None),
    (3, "Volumetría", 1, 30, None),
    (4, "Planos y croquis", 1, 31, 3),
    (5, "Cantidades de obra", 1, 32, 3),
    (6, "Revisión de la volumetría con el cliente", 1, 33, 3),
    (7, "Análisis de precios unitarios", 1, 40, None),
    (8, "Programa de ejecución propuesto", 1, 50, None),
    (9, "Integración de la propuesta técnico-económica", 1, 60, None),
    (10, "Envío de la propuesta al cliente", 1, 70, None),
    (101, "Recepción de la solicitud de PEP", 2, 10, None),
    (102, "Visita técnica y levantamiento", 2, 20, None),
    (103, "Volumetría", 2, 30, None),
    (104, "Planos y croquis", 2, 31, 103),
    (105, "Cantidades de obra", 2, 32, 103),
    (106, "Revisión de la volumetría con el cliente", 2, 33, 103),
    (107, "Revisión del Anexo C", 2, 40, None),
    (108, "Análisis de precios unitarios", 2, 50, None),
    (109, "Programa de ejecución propuesto", 2, 60, None),
    (110, "Integración de la propuesta técnico-económica", 2, 70, None),
    (111, "Envío de la propuesta a PEP", 2, 80, None),
]
# (id, id_cliente or None, set)
REGLAS_PTE = [(1, 1, 2), (2, None, 1)]


def _ensure(model, rows: dict[int, str]) -> int:
    """Insert the fixed-id rows that are missing; existing rows (maybe renamed) are kept."""
    existing = set(db.session.scalars(select(model.id).where(model.id.in_(rows))))
    added = 0
    for id_, nombre in rows.items():
        if id_ not in existing:
            db.session.add(model(id=id_, nombre=nombre, activo=True))
            added += 1
    return added


def seed_base() -> int:
    """Idempotent: returns how many rows it inserted."""
    added = 0
    for model, rows in (
        (TipoDocumento, TipoId.names()),
        (Frente, FrenteId.names()),
        (EstatusPaso, EstatusPasoId.names()),
        (EstatusOT, EstatusOTId.names()),
        (EstatusPTE, EstatusPTEId.names()),
        (Cliente, CLIENTES),
    ):
        added += _ensure(model, rows)
    db.session.flush()
    data_version.ensure_row()

    pasos = [(i, d, 5) for i, d in enumerate(PASOS_5, start=1)]
    pasos += [(i, d, 18) for i, d in enumerate(PASOS_18, start=101)]
    existing = set(db.session.scalars(select(PasoOt.id)))
    for id_, descripcion, tipo in pasos:
        if id_ not in existing:
            db.session.add(PasoOt(id=id_, descripcion=descripcion, tipo=tipo, activo=True))
            added += 1

    existing = set(db.session.scalars(select(ReglaPaso.id)))
    for id_, id_tipo, id_cliente, tipo_paso in REGLAS:
        if id_ not in existing:
            db.session.add(ReglaPaso(id=id_, id_tipo=id_tipo, id_cliente=id_cliente, tipo_paso=tipo_paso))
            added += 1

    existing = set(db.session.scalars(select(PasoPte.id)))
    for id_, descripcion, tipo, orden, padre in PASOS_PTE:  # parents come first: ids ascend
        if id_ not in existing:
            db.session.add(
                PasoPte(id=id_, descripcion=descripcion, tipo=tipo, orden=orden, id_padre=padre, activo=True)
            )
            db.session.flush()
            added += 1
    existing = set(db.session.scalars(select(ReglaPasoPte.id)))
    for id_, id_cliente, tipo_paso in REGLAS_PTE:
        if id_ not in existing:
            db.session.add(ReglaPasoPte(id=id_, id_cliente=id_cliente, tipo_paso=tipo_paso))
            added += 1
    db.session.flush()
    _fix_sequences()
    from .concepts.units import seed_units  # the units catalog (issue 15): no fixed ids

    added += seed_units()
    return added


def _fix_sequences() -> None:
    """After inserting explicit ids, PostgreSQL's sequences must move past them."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in (
        "tipo",
        "frente",
        "estatus_paso",
        "estatus_ot",
        "estatus_pte",
        "cliente",
        "paso_ot",
        "regla_paso",
        "paso_pte",
        "regla_paso_pte",
    ):
        db.session.execute(
            db.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
            )
        )
