"""Demo data (`flask demo`): catalogs, PTEs and about 50 OTs that look like a real office's.

Everything goes through the real services, so the OTs have their steps and their history.
Deterministic (a fixed random seed) and idempotent (it does nothing once its PTEs exist)."""

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from .extensions import db
from .models import (
    Cliente,
    Embarcacion,
    EstatusOTId,
    EstatusPasoId,
    EstatusPTEId,
    FrenteId,
    Intercom,
    OTDetalle,
    PasoPte,
    Patio,
    Plataforma,
    PTEDetalle,
    PTEHeader,
    ResponsableProyecto,
    TipoId,
)
from .orders import commands, read
from .pte import commands as pte_commands

CLIENTE_EXTRA = (5, "Constructora Marina del Golfo")
RESPONSABLES = [
    "Ing. Carlos Pérez Hernández",
    "Ing. Mariana López Cruz",
    "Ing. Jorge Ramírez Ortiz",
    "Ing. Ana Sofía Torres",
    "Ing. Luis Alberto Chablé",
]
EMBARCACIONES = ["B/C Isla Santa Cruz", "B/C Tamaulipas", "Chalán Don Ramón", "B/C Caballo Azteca"]
PLATAFORMAS = ["Akal-J", "Abkatun-A", "Nohoch-A", "Ku-S", "Pol-A", "Ixtal-A", "Maloob-C"]
INTERCOMS = ["Intercom Akal-C / Akal-J", "Intercom Abkatun-A / Pol-A", "Intercom Ku-S / Maloob-C"]
PATIOS = ["Patio Dos Bocas", "Patio Ciudad del Carmen", "Patio Tampico", "Patio Frontera"]
TRABAJOS = [
    "Rehabilitación de línea de descarga de 8 pulgadas",
    "Mantenimiento integral a cabezales de recolección",
    "Sustitución de tramo de oleogasoducto de 24 pulgadas",
    "Instalación de trampa de diablos en plataforma",
    "Protección anticorrosiva de estructura y barandales",
    "Reparación de soportería y pasillos en subestructura",
    "Fabricación de módulo de compresión en patio",
    "Inspección y prueba hidrostática de líneas de proceso",
    "Desmantelamiento de equipo fuera de operación",
    "Construcción de cuarto de control eléctrico",
    "Adecuación de helipuerto y sistema contra incendio",
    "Tendido de cable de fibra óptica entre plataformas",
]
CONTACTOS = [
    "Ing. Laura Méndez",
    "Ing. Roberto Sánchez",
    "Ing. Patricia Gómez",
    "Ing. Héctor Valdivia",
    "Ing. Fernanda Ruiz",
    "Ing. Manuel Castillo",
]
SIGLAS = ["GRZ", "CDC", "DBO", "TAM", "FRO"]


def _catalog(model, names: list[str]) -> list:
    existing = {row.nombre: row for row in db.session.scalars(select(model))}
    rows = []
    for name in names:
        row = existing.get(name)
        if row is None:
            row = model(nombre=name, activo=True)
            db.session.add(row)
        rows.append(row)
    db.session.flush()
    return rows


def load_demo() -> int:
    from .concepts.demo import load_demo_catalog

    load_demo_catalog()  # the contract's concept catalog (issue 15); idempotent by itself
    if db.session.scalar(select(PTEHeader.id).where(PTEHeader.oficio_pte.like("PEP-DEMO-%")).limit(1)):
        return 0
    rnd = random.Random(2026)  # noqa: S311 - demo data, not security
    if db.session.get(Cliente, CLIENTE_EXTRA[0]) is None:
        db.session.add(Cliente(id=CLIENTE_EXTRA[0], nombre=CLIENTE_EXTRA[1], activo=True))
    responsables = _catalog(ResponsableProyecto, RESPONSABLES)
    embarcaciones = _catalog(Embarcacion, EMBARCACIONES)
    plataformas = _catalog(Plataforma, PLATAFORMAS)
    intercoms = _catalog(Intercom, INTERCOMS)
    patios = _catalog(Patio, PATIOS)
    # Sites (issue 14): a yard takes several jobs at once, a vessel needs days to move between
    # two; the others keep the defaults (one OT at a time), so the demo has conflicts to look at.
    for patio in patios:
        patio.capacidad = 4
    embarcaciones[0].movilizacion_dias = 3
    from .seed_data import _fix_sequences

    _fix_sequences()

    ptes = []
    for n in range(1, 15):
        estatus = (
            EstatusPTEId.APROBADA
            if n <= 11
            else (EstatusPTEId.ENVIADA if n == 12 else EstatusPTEId.EN_ELABORACION)
        )
        pte = PTEHeader(
            oficio_pte=f"PEP-DEMO-{n:03d}-{2024 + n % 3}",
            descripcion=rnd.choice(TRABAJOS),
            id_cliente=rnd.choice([1, 1, 1, 2, 3, 4, 5]),
            id_responsable_proyecto=rnd.choice(responsables).id,
            fecha_solicitud=date(2024, 1, 10) + timedelta(days=rnd.randint(0, 900)),
            plazo_dias=rnd.choice([60, 90, 120, 180]),
            monto_mxn=Decimal(rnd.randint(800, 40000) * 1000),
            monto_usd=Decimal(rnd.choice([0, 0, rnd.randint(50, 900) * 1000])),
            id_estatus_pte=estatus,
        )
        db.session.add(pte)
        ptes.append(pte)
    db.session.commit()
    approved = [p for p in ptes if p.id_estatus_pte == EstatusPTEId.APROBADA]

    added = 0
    today = date(2026, 11, 27)
    initial_ots = []
    for n in range(1, 43):
        pte = rnd.choice(approved)
        offshore = rnd.random() < 0.6
        start = today + timedelta(days=rnd.randint(-365, 150))
        plazo = rnd.choice([30, 45, 60, 90, 120])
        values = _values(
            rnd, n, pte, start, plazo, offshore, responsables, embarcaciones, plataformas, intercoms, patios
        )
        values["por_definir"] = "on" if n % 17 == 0 else ""
        result = commands.create_order(values, None)
        added += 1
        _progress(rnd, result.ot, start, plazo, today)
        initial_ots.append(result.ot)

    # A few initial OTs with 1-4 reprogrammed versions each, as in the old system's data: made by
    # reprogramming the current version (prefilled, with a motivo; some without oficio), and the
    # first chain's amount grows by more than the client's 25 % (a warning, never a block).
    for i, ot in enumerate(initial_ots[:6]):
        current = ot
        for k in range(rnd.randint(1, 4)):
            plazo = (current.plazo_dias or 60) + 15
            factor = Decimal("1.40") if i == 0 and k == 0 else Decimal(rnd.choice(["1.00", "1.05", "1.10"]))
            values = {
                "id": current.id,
                "motivo": rnd.choice(MOTIVOS),
                "plazo_dias": plazo,
                "monto_mxn": (current.monto_mxn * factor).quantize(Decimal("0.01")),
                "descripcion_trabajo": f"Reprogramación {k + 1}: {ot.descripcion_trabajo}",
            }
            if rnd.random() < 0.6:
                values["oficio_ot"] = f"{ot.oficio_ot}-R{k + 1}"
            result = commands.reprogram_order(values, None)
            added += 1
            current = result.ot
            _progress(rnd, current, current.fecha_inicio_programado or today, plazo, today)

    for ot in initial_ots[-3:]:
        commands.delete_order(ot.id, None)
    # One current, not reprogrammed OT with its annexes (issue 15), through the importer.
    from .annexes import demo as annex_demo

    annexed = initial_ots[6]
    annex_demo.load(annexed.id, annexed.fecha_inicio_programado or today)
    from .schedules.demo import demo_programs  # issue 19: programs, one reprogrammed chain
    from .schedules.demo_cortes import demo_cuts

    demo_programs()
    demo_cuts()  # weekly cut-offs up to today of the programs above, a little behind plan
    _checklists(rnd, responsables)
    return added


def _checklists(rnd, responsables) -> None:
    """PTEs with their checklists (issue 13), through the PTE commands: one approved and complete,
    ready for "Crear OT"; one approved with "Volumetría" half done; one still being prepared."""
    for n, (estatus, done) in enumerate(
        ((EstatusPTEId.APROBADA, 1.0), (EstatusPTEId.APROBADA, 0.5), (EstatusPTEId.EN_ELABORACION, 0.2)), 1
    ):
        pte = pte_commands.create_pte(
            {
                "oficio_pte": f"PEP-DEMO-CHK-{n:03d}-2026",
                "descripcion": rnd.choice(TRABAJOS),
                "id_cliente": 1,
                "responsable_proyecto": rnd.choice(responsables).id,
                "fecha_solicitud": date(2026, 10, 1) + timedelta(days=7 * n),
                "plazo_dias": 90,
                "monto_mxn": Decimal(rnd.randint(800, 40000) * 1000),
                "monto_usd": Decimal("0.00"),
            },
            None,
        ).pte
        # Leaves only: a step with sub-steps follows them.
        parents = select(PasoPte.id_padre).where(PasoPte.id_padre.is_not(None))
        leaves = list(
            db.session.scalars(
                select(PTEDetalle.id)
                .where(PTEDetalle.id_pte == pte.id, PTEDetalle.id_paso.not_in(parents))
                .order_by(PTEDetalle.id)
            )
        )
        for paso in leaves[: round(len(leaves) * done)]:
            pte_commands.set_step({"id": paso, "estatus_paso": EstatusPasoId.COMPLETADO}, None)
        for target in (EstatusPTEId.ENVIADA, EstatusPTEId.APROBADA):
            if estatus == EstatusPTEId.APROBADA:
                pte_commands.change_status(pte.id, target, None)


MOTIVOS = [
    "Ampliación de alcance solicitada por el cliente.",
    "Condiciones meteorológicas adversas (frente frío).",
    "Falta de disponibilidad de la embarcación.",
    "Ajuste de volúmenes de obra tras la inspección.",
    "Reprogramación por permisos de trabajo pendientes.",
]


def _values(
    rnd, n, pte, start, plazo, offshore, responsables, embarcaciones, plataformas, intercoms, patios
) -> dict:
    folio = f"OT-{rnd.choice(SIGLAS)}-{800 + n:03d}-{start.year % 100}-{rnd.randint(10, 99)}.{rnd.randint(1, 9)}-J-NHA"
    values = {
        "orden_trabajo": folio,
        "oficio_ot": f"PEP-SAP-{rnd.randint(1000, 9999)}-{start.year}",
        "id_tipo": TipoId.INICIAL,
        "id_pte_header": pte.id,
        "descripcion_trabajo": rnd.choice(TRABAJOS),
        "comentario_general": rnd.choice(
            ["", "", "Requiere permiso de trabajo en caliente.", "Pendiente visita técnica."]
        ),
        "responsable_cliente": rnd.choice(CONTACTOS),
        "responsable_proyecto": rnd.choice(responsables).id,
        "id_cliente": None,
        "monto_mxn": Decimal(rnd.randint(150, 9000) * 1000) + Decimal(rnd.choice([0, 50, 75])) / 100,
        "monto_usd": Decimal(rnd.choice([0, 0, 0, rnd.randint(20, 500) * 1000])),
        "plazo_dias": plazo,
        "fecha_inicio_programado": start,
        "fecha_termino_programado": start + timedelta(days=plazo),
    }
    if offshore:
        values.update(
            id_frente=FrenteId.COSTA_AFUERA,
            id_embarcacion=rnd.choice(embarcaciones).id,
            id_plataforma=rnd.choice(plataformas).id,
            id_intercom=rnd.choice(intercoms).id if rnd.random() < 0.4 else None,
        )
        if rnd.random() < 0.35:
            values.update(
                check_fase_patio="on",
                id_patio_fase=rnd.choice(patios).id,
                fecha_inicio_patio=start - timedelta(days=20),
                fecha_fin_patio=start - timedelta(days=3),
            )
    else:
        values.update(id_frente=FrenteId.TIERRA, id_patio=rnd.choice(patios).id)
    return values


def _progress(rnd, ot, start, plazo, today) -> None:
    """Move the OT along its life according to its dates: steps done, real dates, status."""
    end = start + timedelta(days=plazo)
    if start > today or ot.por_definir:
        return
    steps = read.steps_of(ot.id)
    if end < today and rnd.random() < 0.8:
        done, status = len(steps), EstatusOTId.TERMINADA
        real = {"fecha_inicio_real": start + timedelta(days=rnd.randint(0, 5))}
        real["fecha_termino_real"] = end + timedelta(days=rnd.randint(-3, 20))
    else:
        done = max(1, int(len(steps) * min(1, (today - start).days / plazo)) - 1)
        status = (
            rnd.choice([EstatusOTId.EN_EJECUCION] * 3 + [EstatusOTId.SUSPENDIDA])
            if rnd.random() < 0.95
            else EstatusOTId.CANCELADA
        )
        real = {"fecha_inicio_real": start + timedelta(days=rnd.randint(0, 5))}
    for step in steps[:done]:
        commands.set_step({"id": step["id"], "estatus_paso": EstatusPasoId.COMPLETADO}, None)
    if done < len(steps) and rnd.random() < 0.5:
        commands.set_step(
            {
                "id": steps[done]["id"],
                "estatus_paso": EstatusPasoId.EN_PROCESO,
                "comentario": "En revisión con el cliente.",
            },
            None,
        )
    if steps and rnd.random() < 0.2:
        db.session.query(OTDetalle).filter(OTDetalle.id == steps[-2]["id"]).update(
            {"estatus_paso": EstatusPasoId.NO_APLICA}
        )
        db.session.commit()
    commands.update_order({"id": ot.id, "id_estatus_ot": status, **real}, None)
