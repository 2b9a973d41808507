"""Deterministic generator of a large, realistic ot_app database for the benchmarks.

    python bench/generate.py --db sqlite:///bench/data/ot_100k.db --ots 100000 [--seed 42]
    python bench/generate.py --db postgresql+psycopg://postgres@127.0.0.1:55432/postgres --ots 10000

The schema comes from the project's migrations (`flask db upgrade` semantics) and the base catalogs
from `seed_base`; everything else is bulk-inserted in batches (sqlite3 `executemany` on SQLite,
`COPY` on PostgreSQL), one transaction per batch. Same seed, same rows, except the bench user's
password hash and API token, which are random and written to bench/data/credentials*.json.

What is generated for N OTs (2019-2026, "today" fixed at 2026-11-27):
- 40 clients (ids 1-4 from the seed), 25 project managers, tens of vessels, platforms, intercoms
  and yards (a few inactive), 12 office users plus the bench admin;
- N/8 PTEs, 88 % approved, each the parent of several OTs of its client and period;
- N OTs: 90 % initial (tipo 4), 10 % reprogrammed versions (tipo 5) in chains of 1 to 11 that share
  their initial OT's folio; 60 % offshore (vessel, platform, sometimes an intercom and a yard phase),
  40 % land (a yard); statuses from the dates; log-normal amounts in MXN, some in USD; 3 % deleted,
  1 % "por definir";
- the steps the rules give (set 5: 12 steps, set 18: 7 steps) with statuses consistent with the
  OT's status and dates;
- 2 to 6 activity-log rows per OT (creation, step changes, edits, deletion), in time order.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import math
import os
import random
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ot_app.models import EstatusOTId, EstatusPasoId, EstatusPTEId, FrenteId, Registro, TipoId  # noqa: E402

TODAY = date(2026, 11, 27)  # fixed, so the data does not depend on the day it is generated
NOW = datetime(2026, 11, 27, 6, 0)
YEARS = list(range(2019, 2027))
YEAR_WEIGHTS = [7, 8, 9, 11, 12, 14, 16, 18]  # the office grows
CREDENTIALS = ROOT / "bench" / "data" / "credentials.json"
BATCH = 5000  # OTs per transaction (with their steps)
BENCH_USER = "bench"
BENCH_PASSWORD = "banco-de-pruebas-ot-2026"  # noqa: S105  (a local benchmark account)

# --------------------------------------------------------------------------- vocabulary

CLIENTES_EXTRA = [
    "Constructora Marina del Golfo",
    "Oceanografía del Sureste",
    "Grupo R Exploración Marina",
    "Diavaz Offshore",
    "Servicios Integrales de Campeche",
    "Nuvoil",
    "Typhoon Offshore",
    "Protexa Marina",
    "Arrendadora Ocean Mexicana",
    "Industrial Perforadora de Campeche",
    "Hokchi Energy",
    "Fieldwood Energy México",
    "Talos Energy México",
    "ENI México",
    "Petrofac México",
    "Eco Petróleos del Golfo",
    "Tubacero Servicios",
    "Construcciones Industriales Tapia",
    "Mantenimiento Marino de México",
    "Grupo Carso Energía",
    "Swecomex",
    "McDermott Marine México",
    "Saipem México",
    "Blue Marine Technology",
    "Jaguar Exploración y Producción",
    "Perenco México",
    "Petrobal",
    "Vista Energy Sureste",
    "Pemex Transformación Industrial",
    "Pemex Logística",
    "Comesa Ingeniería",
    "Geokinetics México",
    "Halliburton de México",
    "Schlumberger Offshore Services",
    "Baker Hughes México",
    "Dowell Schlumberger del Golfo",
]
NOMBRES = [
    "Carlos", "Mariana", "Jorge", "Ana Sofía", "Luis Alberto", "Laura", "Roberto", "Patricia", "Héctor",
    "Fernanda", "Manuel", "Gabriela", "Ricardo", "Verónica", "Alejandro", "Claudia", "Fernando", "Daniela",
    "Raúl", "Adriana", "Óscar", "Beatriz", "Ernesto", "Silvia", "Arturo", "Lucía", "Guillermo", "Elena",
    "Francisco", "Karla", "Miguel Ángel", "Rocío", "Eduardo", "Norma", "Sergio", "Mónica", "Javier", "Diana",
]  # fmt: skip
APELLIDOS = [
    "Pérez", "López", "Ramírez", "Torres", "Chablé", "Méndez", "Sánchez", "Gómez", "Valdivia", "Ruiz",
    "Castillo", "Hernández", "Cruz", "Ortiz", "Martínez", "García", "Rodríguez", "Flores", "Morales",
    "Jiménez", "Reyes", "Aguilar", "Vázquez", "Domínguez", "Escalante", "Zapata", "Can", "May", "Pech",
    "Uc", "Ek", "Córdova", "Magaña", "Priego", "Ocaña", "Sosa", "Arias", "Olán", "Hidalgo", "Cárdenas",
]  # fmt: skip
EMBARCACIONES = [
    "B/C Isla Santa Cruz", "B/C Tamaulipas", "Chalán Don Ramón", "B/C Caballo Azteca", "B/C Bourbon Alexandrite",
    "B/C Cotemar Tonalá", "B/C Cotemar Caballo Maya", "B/C Sea Horse", "B/C Isla del Carmen", "B/C Isla Arena",
    "B/C Ocean Supreme", "B/C Golfo de México", "B/C Atlantis", "B/C Don Nicolás", "B/C Santa Rita",
    "Barcaza Amapola", "Barcaza Tabasco I", "Barcaza Campeche II", "Chalán Los Cocos", "Chalán Frontera",
    "B/C Kan Balam", "B/C Ku Maloob", "B/C Lord Maya", "B/C Cantarell", "B/C Marinero Veracruzano",
    "Gabarra Tlalli", "Gabarra Itzamná", "B/C Chac Mool", "B/C Xicalango", "B/C Zaap",
]  # fmt: skip
PLATAFORMA_BASES = [
    "Akal", "Abkatun", "Nohoch", "Ku", "Pol", "Ixtal", "Maloob", "Zaap", "Caan", "Chuc", "Kab", "Tsimin",
    "Xux", "May", "Sinan", "Bolontikú", "Ayatsil", "Onel", "Kutz", "Batab",
]  # fmt: skip
PATIOS = [
    "Patio Dos Bocas", "Patio Ciudad del Carmen", "Patio Tampico", "Patio Frontera", "Patio Isla del Carmen II",
    "Patio Coatzacoalcos", "Patio Tuxpan", "Patio Altamira", "Patio Paraíso", "Patio Villahermosa",
    "Patio Seybaplaya", "Patio Salina Cruz",
]  # fmt: skip
SIGLAS = ["GRZ", "CDC", "DBO", "TAM", "FRO", "CTZ", "PRS", "VHS", "SBY", "TUX"]
LETRAS = "ABCDEFGHJKLMNPRSTUVWXYZ"

ACCIONES = [
    "Rehabilitación", "Mantenimiento preventivo", "Mantenimiento correctivo", "Sustitución", "Instalación",
    "Inspección y diagnóstico", "Reparación", "Fabricación", "Desmantelamiento", "Construcción", "Adecuación",
    "Tendido", "Limpieza interior", "Protección anticorrosiva", "Calibración", "Recubrimiento y pintura",
    "Modernización", "Interconexión", "Prueba hidrostática", "Recuperación", "Suministro e instalación",
    "Retiro", "Reforzamiento estructural", "Puesta en operación",
]  # fmt: skip
OBJETOS = [
    ("línea de descarga", True), ("oleogasoducto", True), ("gasoducto", True), ("oleoducto", True),
    ("cabezales de recolección", True), ("trampa de diablos", True), ("ductos ascendentes", True),
    ("líneas de proceso", True), ("línea de bombeo neumático", True), ("acueducto de inyección", True),
    ("estructura y barandales", False), ("soportería", False), ("pasillos en subestructura", False),
    ("módulo de compresión", False), ("cuarto de control eléctrico", False), ("helipuerto", False),
    ("sistema contra incendio", False), ("cable de fibra óptica", False), ("válvulas de seguridad", False),
    ("bombas de inyección", False), ("separador de prueba", False), ("tanque de almacenamiento", False),
    ("quemador elevado", False), ("tablero de distribución", False), ("sistema de gas combustible", False),
    ("grúa de pedestal", False), ("defensas y atracaderos", False), ("instrumentación neumática", False),
    ("turbocompresor", False), ("intercambiador de calor", False), ("recipientes a presión", False),
    ("cubierta de producción", False), ("sistema de aire de instrumentos", False), ("planta de tratamiento de agua", False),
    ("módulo habitacional", False), ("subestación eléctrica", False),
]  # fmt: skip
DIAMETROS = [4, 6, 8, 10, 12, 16, 20, 24, 30, 36]
ACTIVOS = [
    "Activo Integral Cantarell", "Activo Ku-Maloob-Zaap", "Activo Abkatun-Pol-Chuc", "Activo Litoral de Tabasco",
    "Activo Samaria-Luna", "Activo Bellota-Jujo", "Activo Cinco Presidentes", "Activo Poza Rica-Altamira",
    "Terminal Marítima Dos Bocas", "Centro de Proceso Akal-C", "Complejo Nohoch-A", "Centro de Proceso Ku-S",
]  # fmt: skip
EXTRAS = [
    "incluye andamiaje y limpieza con chorro de arena",
    "con personal especializado en trabajos en altura",
    "conforme a la norma NRF-030-PEMEX",
    "con pruebas no destructivas y ultrasonido industrial",
    "durante paro programado de planta",
    "con suministro de materiales por parte del contratista",
    "incluye ingeniería de detalle y procura",
    "con libranza eléctrica coordinada con operación",
    "con buceo de saturación y vehículo operado a distancia",
    "incluye retiro de residuos peligrosos",
    "en horario nocturno por restricciones operativas",
    "con registro fotográfico y reporte de integridad",
]
PTE_PROGRAMAS = [
    "Programa de mantenimiento a ductos marinos",
    "Programa de integridad mecánica de plataformas",
    "Paquete de rehabilitación de instalaciones superficiales",
    "Programa de seguridad industrial y contra incendio",
    "Paquete de obras de adecuación eléctrica",
    "Programa de inspección y reparación submarina",
    "Paquete de mantenimiento a equipo dinámico",
    "Programa de protección anticorrosiva",
    "Paquete de construcción de infraestructura en patio",
    "Programa de desmantelamiento de instalaciones fuera de operación",
]
COMENTARIOS_OT = [
    "Requiere permiso de trabajo en caliente.",
    "Pendiente visita técnica.",
    "En espera de ventana operativa.",
    "El cliente solicitó ampliar el alcance.",
    "Se coordina con la residencia de obra.",
    "Materiales en tránsito.",
    "Condiciones meteorológicas adversas retrasaron la movilización.",
    "Pendiente firma del acta de inicio.",
]
COMENTARIOS_PASO = [
    "Sin observaciones.",
    "Se entregó minuta firmada.",
    "Oficio recibido por correo.",
    "En revisión con el cliente.",
    "Validado por la residencia.",
    "Pendiente firma del supervisor.",
    "Se anexa reporte fotográfico.",
    "Conciliado con el área de costos.",
]

STEP_NAMES = EstatusPasoId.names()
# Short names for the fixed ids this generator writes (the values are ot_app.models' enums).
INICIAL, REPROGRAMADA = TipoId.INICIAL, TipoId.REPROGRAMADA
TIERRA, COSTA_AFUERA = FrenteId.TIERRA, FrenteId.COSTA_AFUERA
PENDIENTE, EN_PROCESO, COMPLETADO, NO_APLICA = EstatusPasoId
PROGRAMADA, EN_EJECUCION, SUSPENDIDA, TERMINADA, CANCELADA = EstatusOTId
EN_ELABORACION, ENVIADA, APROBADA, PTE_CANCELADA = EstatusPTEId
POR_DEFINIR, ELIMINADA, ACTIVA = Registro


# --------------------------------------------------------------------------- output backends


class SqliteWriter:
    """sqlite3 executemany, journal off and synchronous off during the load, WAL afterwards."""

    dialect = "sqlite"

    def __init__(self, path: str):
        import sqlite3

        self.conn = sqlite3.connect(path, isolation_level=None)
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "cache_size=-262144",
            "temp_store=MEMORY",
            "locking_mode=EXCLUSIVE",
            "foreign_keys=OFF",
        ):
            self.conn.execute(f"PRAGMA {pragma}")

    @staticmethod
    def day(value: date | None):
        return value.isoformat() if value is not None else None

    @staticmethod
    def stamp(value: datetime | None):
        return value.isoformat(" ", "microseconds") if value is not None else None

    @staticmethod
    def money(cents: int):
        return cents / 100

    @staticmethod
    def flag(value: bool) -> int:
        return 1 if value else 0

    def begin(self) -> None:
        self.conn.execute("BEGIN")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def insert(self, table: str, columns: tuple[str, ...], rows) -> None:
        marks = ", ".join("?" * len(columns))
        self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def finish(self) -> None:
        self.conn.execute("ANALYZE")
        self.conn.execute("PRAGMA locking_mode=NORMAL")
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.close()


class PostgresWriter:
    """psycopg COPY, one transaction per batch; sequences moved past the explicit ids; VACUUM (ANALYZE)."""

    dialect = "postgresql"

    def __init__(self, url: str):
        import psycopg
        from sqlalchemy.engine import make_url

        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.conn = psycopg.connect(conninfo, autocommit=True)
        self.tables: set[str] = set()

    @staticmethod
    def day(value):
        return value

    @staticmethod
    def stamp(value):
        return value

    @staticmethod
    def money(cents: int) -> Decimal:
        return Decimal(cents).scaleb(-2)

    @staticmethod
    def flag(value: bool) -> bool:
        return bool(value)

    def begin(self) -> None:
        self.conn.execute("BEGIN")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def insert(self, table: str, columns: tuple[str, ...], rows) -> None:
        self.tables.add(table)
        with (
            self.conn.cursor() as cur,
            cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def finish(self) -> None:
        for table in sorted(self.tables):
            self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
            )
        # VACUUM, not only ANALYZE: it fills the visibility map, without which PostgreSQL cannot
        # answer the list's count and totals from their covering indexes (an index-only scan).
        # A database in use gets it from autovacuum; a freshly loaded one would not for minutes.
        self.conn.execute("VACUUM (ANALYZE)")
        self.conn.close()


# --------------------------------------------------------------------------- the model of the data


@dataclass
class OT:
    key: int  # creation order before sorting; ids are given after the sort by created_at
    tipo: int
    folio: str
    oficio: str | None
    pte: int
    cliente: int
    responsable: int
    contacto: str
    frente: int
    embarcacion: int | None
    plataforma: int | None
    intercom: int | None
    patio: int | None
    requiere_patio: bool
    inicio_patio: date | None
    fin_patio: date | None
    descripcion: str
    comentario: str
    mxn: int  # cents
    usd: int  # cents
    plazo: int
    inicio: date
    termino: date
    created_at: datetime
    creator: int
    inicio_real: date | None = None
    termino_real: date | None = None
    estatus_ot: int = PROGRAMADA
    estatus: int = ACTIVA
    principal: OT | None = None
    num_reprog: int | None = None
    versions: list = field(default_factory=list)
    id: int = 0


class Generator:
    def __init__(self, n_ots: int, seed: int, writer, users: list[tuple[int, str]]):
        self.n = n_ots
        self.rnd = random.Random(seed)
        self.w = writer
        self.users = users  # (id, username) of the office users, for authorship and history
        self.counts: dict[str, int] = {}

    # ------------------------------------------------------------------ helpers

    def _pick_day(self) -> date:
        rnd = self.rnd
        year = rnd.choices(YEARS, YEAR_WEIGHTS)[0]
        start = date(year, 1, 2)
        day = start + timedelta(days=rnd.randrange(362))
        if day.weekday() >= 5:  # letters arrive on working days
            day += timedelta(days=7 - day.weekday())
        return day

    def _person(self) -> str:
        rnd = self.rnd
        return f"Ing. {rnd.choice(NOMBRES)} {rnd.choice(APELLIDOS)} {rnd.choice(APELLIDOS)}"

    def _lognormal_cents(self, median: float, sigma: float, low: float, high: float) -> int:
        value = median * math.exp(self.rnd.gauss(0, sigma))
        value = min(max(value, low), high)
        if value > 100_000:
            value = round(value, -3)  # contracts are quoted in round thousands
        cents = int(round(value * 100))
        if self.rnd.random() < 0.15:
            cents += self.rnd.choice((25, 50, 75))
        return cents

    def _insert(self, table: str, columns: tuple[str, ...], rows: list) -> None:
        self.w.insert(table, columns, rows)
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    # ------------------------------------------------------------------ catalogs

    def catalogs(self) -> None:
        rnd = self.rnd
        w = self.w
        w.begin()
        cat = ("id", "nombre", "activo")
        clients = [(i, name, w.flag(i < 39)) for i, name in enumerate(CLIENTES_EXTRA, start=5)]
        self._insert("cliente", cat, clients)
        self.client_ids = [1, 2, 3, 4] + [c[0] for c in clients]
        # PEMEX first, then a long tail.
        self.client_weights = [40, 9, 7, 6] + [max(0.3, 6 / (i + 1) ** 0.8) for i in range(len(clients))]

        people = set()
        while len(people) < 25:
            people.add(self._person())
        self._insert(
            "responsable_proyecto", cat, [(i, p, w.flag(i <= 22)) for i, p in enumerate(sorted(people), 1)]
        )
        self.responsables = list(range(1, 26))
        self.responsables_activos = list(range(1, 23))

        self._insert(
            "embarcacion", cat, [(i, n, w.flag(i % 11 != 0)) for i, n in enumerate(EMBARCACIONES, 1)]
        )
        self.embarcaciones = list(range(1, len(EMBARCACIONES) + 1))
        plataformas = []
        for base in PLATAFORMA_BASES:
            for suffix in rnd.sample(["A", "B", "C", "D", "J", "N", "S", "1", "2", "3"], 3):
                plataformas.append(f"{base}-{suffix}")
        self._insert("plataforma", cat, [(i, n, w.flag(True)) for i, n in enumerate(plataformas, 1)])
        self.plataformas = list(range(1, len(plataformas) + 1))
        intercoms = []
        for i in range(24):
            a, b = rnd.sample(plataformas, 2)
            intercoms.append(f"Intercom {a} / {b} #{i + 1}")
        self._insert("intercom", cat, [(i, n, w.flag(True)) for i, n in enumerate(intercoms, 1)])
        self.intercoms = list(range(1, len(intercoms) + 1))
        self._insert("patio", cat, [(i, n, w.flag(i != 12)) for i, n in enumerate(PATIOS, 1)])
        self.patios = list(range(1, len(PATIOS) + 1))
        self.patio_weights = [20, 16, 10, 8, 6, 6, 5, 4, 4, 3, 2, 1]
        self.plataforma_names = plataformas
        self.contactos = [self._person() for _ in range(120)]
        w.commit()

    # ------------------------------------------------------------------ PTEs

    def ptes(self) -> None:
        rnd = self.rnd
        w = self.w
        count = max(4, self.n // 8)
        rows = []
        approved = []  # (fecha, id, cliente, responsable)
        for pte_id in range(1, count + 1):
            fecha = min(
                self._pick_day() - timedelta(days=rnd.randint(20, 120)),
                TODAY - timedelta(days=rnd.randint(1, 30)),
            )
            cliente = rnd.choices(self.client_ids, self.client_weights)[0]
            responsable = rnd.choice(self.responsables)
            u = rnd.random()
            estatus_pte = (
                APROBADA
                if u < 0.88
                else (ENVIADA if u < 0.92 else (EN_ELABORACION if u < 0.96 else PTE_CANCELADA))
            )
            estatus = ELIMINADA if estatus_pte != APROBADA and rnd.random() < 0.1 else ACTIVA
            plazo = rnd.choice((90, 120, 180, 240, 365, 540))
            sigla = rnd.choice(SIGLAS)
            oficio = f"PEP-{sigla}-PTE-{pte_id:05d}-{fecha.year}"
            descripcion = f"{rnd.choice(PTE_PROGRAMAS)} {rnd.choice(ACTIVOS)} {fecha.year}"
            created = datetime.combine(fecha, datetime.min.time()) + timedelta(minutes=rnd.randint(480, 1140))
            creator = rnd.choice(self.users)[0]
            rows.append(
                (
                    pte_id,
                    oficio,
                    descripcion,
                    cliente,
                    responsable,
                    w.day(fecha),
                    plazo,
                    w.money(self._lognormal_cents(40_000_000, 1.0, 1_000_000, 2_000_000_000)),
                    w.money(
                        self._lognormal_cents(900_000, 1.0, 20_000, 50_000_000) if rnd.random() < 0.2 else 0
                    ),
                    estatus_pte,
                    estatus,
                    1,
                    w.stamp(created),
                    w.stamp(created),
                    creator,
                    creator,
                )
            )
            if estatus_pte == APROBADA and estatus == ACTIVA:
                approved.append((fecha, pte_id, cliente, responsable))
        w.begin()
        for chunk in _chunks(rows, BATCH * 2):
            self._insert("pte_header", PTE_COLUMNS, chunk)
        w.commit()
        approved.sort()
        if not approved:  # a tiny N may have drawn no approved PTE
            raise SystemExit("no approved PTE: use a larger --ots")
        self.approved = approved
        self.approved_dates = [a[0] for a in approved]
        self.pte_checklists([r[0] for r in rows], {r[0]: (r[3], r[9]) for r in rows}, approved[-1][1])

    def pte_checklists(self, pte_ids: list[int], by_id: dict, detail_pte: int) -> None:
        """Each PTE's checklist (issue 13), from the seeded PTE templates by its client's rule: an
        approved PTE's steps mostly done, the others' partly; the detail PTE gets the bench's
        30-step set. Parents with sub-steps follow them as the app would."""
        rnd = self.rnd
        w = self.w
        templates: dict[int, list[tuple[int, int | None]]] = {}
        for paso_id, tipo, padre in w.conn.execute(
            "SELECT id, tipo, id_padre FROM paso_pte WHERE activo ORDER BY id"
        ).fetchall():
            templates.setdefault(tipo, []).append((paso_id, padre))
        rules = dict(w.conn.execute("SELECT id_cliente, tipo_paso FROM regla_paso_pte").fetchall())
        rows = []
        next_id = 1
        for pte_id in pte_ids:
            cliente, estatus_pte = by_id[pte_id]
            step_set = BENCH_PTE_SET if pte_id == detail_pte else rules.get(cliente, rules.get(None, 1))
            done_share = 0.95 if estatus_pte == APROBADA else rnd.random() * 0.6
            status = {}
            for paso_id, _padre in templates.get(step_set, []):
                u = rnd.random()
                status[paso_id] = (
                    3 if u < done_share else (4 if u < done_share + 0.05 else rnd.choice((1, 2)))
                )
            for _paso_id, padre in templates.get(step_set, []):
                if padre is not None and padre in status:  # the parent follows its sub-steps
                    subs = [status[p] for p, q in templates[step_set] if q == padre]
                    status[padre] = 3 if all(x in (3, 4) for x in subs) else 2
            for paso_id, _padre in templates.get(step_set, []):
                rows.append((next_id, pte_id, paso_id, status[paso_id], "", w.flag(False)))
                next_id += 1
        w.begin()
        for chunk in _chunks(rows, BATCH * 4):
            self._insert("pte_detalle", PTE_DETALLE_COLUMNS, chunk)
        w.commit()
        self.detail_pte = detail_pte

    # ------------------------------------------------------------------ OTs

    def _new_folio(self, start: date) -> str:
        rnd = self.rnd
        while True:
            folio = (
                f"OT-{rnd.choice(SIGLAS)}-{rnd.randint(100, 999)}-{start.year % 100:02d}-"
                f"{rnd.randint(0, 999):03d}.{rnd.randint(1, 9)}-{rnd.choice(LETRAS)}-"
                f"{''.join(rnd.choices(LETRAS, k=3))}"
            )
            norm = folio.lower()
            if norm not in self.folios:
                self.folios.add(norm)
                return folio

    def _description(self, offshore: bool, plataforma: int | None, patio: int | None) -> str:
        rnd = self.rnd
        objeto, pipe = rnd.choice(OBJETOS)
        text = f"{rnd.choice(ACCIONES)} de {objeto}"
        if pipe:
            text += f" de {rnd.choice(DIAMETROS)} pulgadas"
        if offshore and plataforma:
            text += f" en plataforma {self.plataforma_names[plataforma - 1]}"
        elif patio:
            text += f" en {PATIOS[patio - 1]}"
        text += f", {rnd.choice(ACTIVOS)}"
        if rnd.random() < 0.45:
            text += f"; {rnd.choice(EXTRAS)}"
        return text + "."

    def _initial(self, key: int) -> OT:
        rnd = self.rnd
        start = self._pick_day()
        # A PTE of the same period (requested before the work starts), hence its client.
        pos = bisect.bisect_right(self.approved_dates, start) - 1 - int(rnd.expovariate(1 / 25))
        pos = min(max(pos, 0), len(self.approved) - 1)
        _, pte, cliente, pte_resp = self.approved[pos]
        offshore = rnd.random() < 0.6
        embarcacion = plataforma = intercom = patio = None
        requiere = False
        inicio_patio = fin_patio = None
        if offshore:
            embarcacion = rnd.choice(self.embarcaciones) if rnd.random() < 0.95 else None
            plataforma = rnd.choice(self.plataformas) if rnd.random() < 0.9 else None
            intercom = rnd.choice(self.intercoms) if rnd.random() < 0.25 else None
            if rnd.random() < 0.3:
                requiere = True
                patio = rnd.choices(self.patios, self.patio_weights)[0]
                inicio_patio = start - timedelta(days=rnd.randint(15, 60))
                fin_patio = start - timedelta(days=rnd.randint(1, 10))
        else:
            patio = rnd.choices(self.patios, self.patio_weights)[0]
        plazo = rnd.choices((15, 30, 45, 60, 90, 120, 180, 240, 365), (4, 12, 14, 18, 20, 14, 10, 5, 3))[0]
        mxn = self._lognormal_cents(2_500_000, 1.1, 40_000, 900_000_000)
        u = rnd.random()
        usd = 0
        if u < 0.04:  # dollars only
            usd, mxn = self._lognormal_cents(180_000, 1.0, 5_000, 40_000_000), 0
        elif u < 0.16:
            usd = self._lognormal_cents(120_000, 1.0, 5_000, 40_000_000)
        created = datetime.combine(
            start - timedelta(days=rnd.randint(3, 45)), datetime.min.time()
        ) + timedelta(seconds=rnd.randint(7 * 3600, 20 * 3600), microseconds=rnd.randrange(1_000_000))
        if created > NOW:  # work planned for next month was registered already, not in the future
            created = NOW - timedelta(days=rnd.randint(1, 25), seconds=rnd.randint(0, 36_000))
        return OT(
            key=key,
            tipo=INICIAL,
            folio=self._new_folio(start),
            oficio=f"PEP-SAP-{rnd.randint(1000, 99999)}-{start.year}" if rnd.random() < 0.92 else None,
            pte=pte,
            cliente=cliente,
            responsable=pte_resp if rnd.random() < 0.7 else rnd.choice(self.responsables_activos),
            contacto=rnd.choice(self.contactos),
            frente=COSTA_AFUERA if offshore else TIERRA,
            embarcacion=embarcacion,
            plataforma=plataforma,
            intercom=intercom,
            patio=patio,
            requiere_patio=requiere,
            inicio_patio=inicio_patio,
            fin_patio=fin_patio,
            descripcion=self._description(offshore, plataforma, patio),
            comentario=rnd.choice(COMENTARIOS_OT) if rnd.random() < 0.2 else "",
            mxn=mxn,
            usd=usd,
            plazo=plazo,
            inicio=start,
            termino=start + timedelta(days=plazo),
            created_at=created,
            creator=rnd.choice(self.users)[0],
        )

    def _version(self, principal: OT, k: int, after: datetime) -> OT:
        rnd = self.rnd
        gap = timedelta(days=rnd.randint(20, 90), seconds=rnd.randint(0, 36_000))
        if after + gap > NOW:  # never created in the future: recent chains come closer together
            gap = (NOW - after) / 2
        created = after + gap
        start = max(principal.inicio, created.date()) + timedelta(days=rnd.randint(5, 40))
        plazo = principal.plazo + 15 * k
        factor = 1 + rnd.uniform(0.03, 0.3)
        return OT(
            key=0,
            tipo=REPROGRAMADA,
            folio=principal.folio,
            oficio=f"{principal.oficio}-R{k}" if principal.oficio else None,
            pte=principal.pte,
            cliente=principal.cliente,
            responsable=principal.responsable,
            contacto=principal.contacto,
            frente=principal.frente,
            embarcacion=principal.embarcacion,
            plataforma=principal.plataforma,
            intercom=principal.intercom,
            patio=principal.patio,
            requiere_patio=principal.requiere_patio,
            inicio_patio=principal.inicio_patio,
            fin_patio=principal.fin_patio,
            descripcion=f"Reprogramación {k}: {principal.descripcion}",
            comentario=rnd.choice(COMENTARIOS_OT) if rnd.random() < 0.3 else "",
            mxn=int(principal.mxn * factor),
            usd=int(principal.usd * factor),
            plazo=plazo,
            inicio=start,
            termino=start + timedelta(days=plazo),
            created_at=created,
            creator=rnd.choice(self.users)[0],
            principal=principal,
            num_reprog=k,
        )

    def _status_from_dates(self, ot: OT) -> None:
        """The OT's status and real dates follow its programmed dates relative to TODAY."""
        rnd = self.rnd
        if ot.inicio > TODAY:
            ot.estatus_ot = CANCELADA if rnd.random() < 0.03 else PROGRAMADA
            return
        if ot.termino < TODAY - timedelta(days=30):
            ot.estatus_ot = rnd.choices((TERMINADA, CANCELADA, SUSPENDIDA, EN_EJECUCION), (86, 6, 4, 4))[0]
        else:
            ot.estatus_ot = rnd.choices((EN_EJECUCION, SUSPENDIDA, PROGRAMADA, CANCELADA), (80, 10, 7, 3))[0]
        started = (EN_EJECUCION, SUSPENDIDA, TERMINADA)
        if ot.estatus_ot in started or (ot.estatus_ot == CANCELADA and rnd.random() < 0.5):
            ot.inicio_real = min(ot.inicio + timedelta(days=rnd.randint(-3, 15)), TODAY)
        if ot.estatus_ot == TERMINADA:
            end = ot.inicio_real + timedelta(days=int(ot.plazo * rnd.uniform(0.8, 1.4)))
            ot.termino_real = min(end, TODAY)

    def build_orders(self) -> list[OT]:
        rnd = self.rnd
        self.folios: set[str] = set()
        n_versions = self.n // 10
        n_initial = self.n - n_versions
        initials = [self._initial(key) for key in range(n_initial)]
        for ot in initials:
            self._status_from_dates(ot)

        # Chains of reprogrammed versions: lengths 1..11, the longest one always present.
        lengths = list(range(1, 12))
        weights = [40, 22, 13, 8, 6, 4, 3, 2, 1.2, 0.5, 0.3]
        candidates = [ot for ot in initials if ot.inicio < TODAY - timedelta(days=60)]
        rnd.shuffle(candidates)
        versions = []
        first = True
        for principal in candidates:
            if len(versions) >= n_versions:
                break
            k = 11 if first else rnd.choices(lengths, weights)[0]
            first = False
            k = min(k, n_versions - len(versions))
            after = principal.created_at
            for num in range(1, k + 1):
                version = self._version(principal, num, after)
                self._status_from_dates(version)
                after = version.created_at
                principal.versions.append(version)
                versions.append(version)
            # A reprogrammed initial OT was suspended or is going on under its versions.
            if principal.estatus_ot == TERMINADA and rnd.random() < 0.5:
                principal.estatus_ot = SUSPENDIDA
                principal.termino_real = None

        # Deleted (3 %) and "por definir" (1 %): never an initial OT that has versions.
        loose = [ot for ot in initials if not ot.versions]
        pool = loose + versions
        for ot in rnd.sample(pool, min(len(pool), round(self.n * 0.03))):
            ot.estatus = ELIMINADA
        alive = [ot for ot in loose if ot.estatus == ACTIVA]
        for ot in rnd.sample(alive, min(len(alive), round(self.n * 0.01))):
            ot.estatus = POR_DEFINIR
            ot.estatus_ot = PROGRAMADA
            ot.inicio_real = ot.termino_real = None

        orders = initials + versions
        orders.sort(key=lambda o: o.created_at)
        for i, ot in enumerate(orders, start=1):
            ot.id = i
        return orders

    # ------------------------------------------------------------------ steps and history

    def _steps(self, ot: OT, templates: list[tuple[int, str]]) -> list[list]:
        """[id_paso, status, comment, updated_at] for each template, consistent with the OT."""
        rnd = self.rnd
        n = len(templates)
        st = ot.estatus_ot
        if ot.estatus == POR_DEFINIR:
            done = rnd.randint(0, 1)
        elif st == PROGRAMADA:
            done = rnd.choice((1, 2, 2, 3))
        elif st == EN_EJECUCION:
            elapsed = (TODAY - (ot.inicio_real or ot.inicio)).days / max(ot.plazo, 1)
            done = round(n * min(max(elapsed, 0.3), 0.85))
        elif st == SUSPENDIDA:
            done = rnd.randint(3, max(3, n - 3))
        elif st == TERMINADA:
            done = n
        else:
            done = rnd.randint(1, 4)
        done = min(done, n)
        steps = []
        for i, (paso_id, _) in enumerate(templates):
            if i < done:
                status = COMPLETADO
            elif i == done and st in (EN_EJECUCION, SUSPENDIDA):
                status = EN_PROCESO
            elif st == CANCELADA:
                status = NO_APLICA
            else:
                status = PENDIENTE
            if status in (PENDIENTE, COMPLETADO) and 2 <= i < n - 2 and rnd.random() < 0.04:
                status = NO_APLICA
            steps.append([paso_id, status, "", None])
        # Time stamps in order along the OT's life, up to its end or TODAY.
        begin = ot.created_at
        end_day = min(ot.termino_real or ot.termino, TODAY)
        end = max(
            datetime.combine(end_day, datetime.min.time()) + timedelta(hours=17), begin + timedelta(hours=2)
        )
        span = (end - begin).total_seconds()
        touched = [s for s in steps if s[1] != 1]
        for j, step in enumerate(touched, start=1):
            step[3] = min(
                begin + timedelta(seconds=span * j / (len(touched) + 1) + rnd.randint(0, 3600)), NOW
            )
            if rnd.random() < 0.12:
                step[2] = rnd.choice(COMENTARIOS_PASO)
        return steps

    def _snapshot(self, ot: OT) -> dict:
        """audit.diff({}, snapshot(ot)) for the creation row: the non-empty fields."""
        values = {
            "orden_trabajo": ot.folio,
            "oficio_ot": ot.oficio,
            "id_tipo": ot.tipo,
            "descripcion_trabajo": ot.descripcion,
            "comentario": ot.comentario,
            "responsable_cliente": ot.contacto,
            "id_responsable_proyecto": ot.responsable,
            "id_cliente": ot.cliente,
            "id_frente": ot.frente,
            "id_embarcacion": ot.embarcacion,
            "id_plataforma": ot.plataforma,
            "id_intercom": ot.intercom,
            "id_patio": ot.patio,
            "id_pte_header": ot.pte,
            "ot_principal": ot.principal.id if ot.principal else None,
            "num_reprogramacion": ot.num_reprog,
            "id_estatus_ot": PROGRAMADA,
            "estatus": POR_DEFINIR if ot.estatus == POR_DEFINIR else ACTIVA,
            "monto_mxn": f"{ot.mxn / 100:.2f}",
            "monto_usd": f"{ot.usd / 100:.2f}",
            "plazo_dias": ot.plazo,
            "fecha_inicio_programado": ot.inicio.isoformat(),
            "fecha_termino_programado": ot.termino.isoformat(),
            "fecha_inicio_real": None,
            "fecha_termino_real": None,
            "requiere_patio": ot.requiere_patio,
            "fecha_inicio_patio": ot.inicio_patio.isoformat() if ot.inicio_patio else None,
            "fecha_fin_patio": ot.fin_patio.isoformat() if ot.fin_patio else None,
        }
        return {k: [None, v] for k, v in values.items() if v is not None}

    def _history(
        self, ot: OT, steps: list[list], step_names: dict[int, str]
    ) -> tuple[list, int, datetime, int]:
        """(log rows as (fecha, user_id, username, accion, cambios), version, updated_at, updated_by)."""
        rnd = self.rnd
        creator = self.user_names[ot.creator]
        rows = [(ot.created_at, ot.creator, creator, "crear", self._snapshot(ot))]
        touched = [s for s in steps if s[3] is not None]
        for step in touched[-rnd.randint(1, 3) :] if touched else []:
            uid, uname = rnd.choice(self.users)
            label = f"Paso «{step_names[step[0]]}»: estatus"
            rows.append((step[3], uid, uname, "paso", {label: ["Pendiente", STEP_NAMES[step[1]]]}))
        version = 1
        updated_at, updated_by = ot.created_at, ot.creator
        if ot.estatus_ot != PROGRAMADA or ot.inicio_real:
            when = datetime.combine(ot.inicio_real or min(ot.inicio, TODAY), datetime.min.time()) + timedelta(
                hours=rnd.randint(8, 18), minutes=rnd.randint(0, 59)
            )
            when = max(when, ot.created_at + timedelta(minutes=5))
            cambios = {"id_estatus_ot": [PROGRAMADA, ot.estatus_ot]}
            if ot.inicio_real:
                cambios["fecha_inicio_real"] = [None, ot.inicio_real.isoformat()]
            if ot.termino_real:
                cambios["fecha_termino_real"] = [None, ot.termino_real.isoformat()]
            uid, uname = rnd.choice(self.users)
            rows.append((when, uid, uname, "editar", cambios))
            version += 1
            updated_at, updated_by = when, uid
        if ot.estatus == ELIMINADA:
            when = max(updated_at, ot.created_at) + timedelta(
                days=rnd.randint(1, 60), minutes=rnd.randint(0, 600)
            )
            uid, uname = rnd.choice(self.users)
            rows.append((when, uid, uname, "eliminar", {"estatus": [1, 0]}))
            version += 1
            updated_at, updated_by = when, uid
        rows = [(min(r[0], NOW), *r[1:]) for r in rows]
        return rows, version, min(updated_at, NOW), updated_by

    def orders(self, step_sets: dict[int, list[tuple[int, str]]], rule) -> None:
        w = self.w
        rnd = self.rnd
        self.user_names = dict(self.users)
        orders = self.build_orders()
        step_names = {paso_id: name for templates in step_sets.values() for paso_id, name in templates}
        log_rows = []
        detalle_id = itertools.count(1)
        day, stamp, money = w.day, w.stamp, w.money
        for chunk in _chunks(orders, BATCH):
            ot_rows = []
            step_rows = []
            for ot in chunk:
                templates = step_sets[rule(ot.tipo, ot.cliente)]
                steps = self._steps(ot, templates)
                history, version, updated_at, updated_by = self._history(ot, steps, step_names)
                for fecha, uid, uname, accion, cambios in history:
                    log_rows.append((fecha, uid, uname, accion, ot.id, cambios))
                ot_rows.append(
                    (
                        ot.id,
                        ot.folio,
                        ot.folio.lower(),
                        ot.oficio,
                        ot.tipo,
                        ot.descripcion,
                        ot.comentario,
                        ot.contacto,
                        ot.responsable,
                        ot.cliente,
                        ot.frente,
                        ot.embarcacion,
                        ot.plataforma,
                        ot.intercom,
                        ot.patio,
                        ot.pte,
                        ot.principal.id if ot.principal else None,
                        ot.num_reprog,
                        ot.estatus_ot,
                        ot.estatus,
                        money(ot.mxn),
                        money(ot.usd),
                        ot.plazo,
                        day(ot.inicio),
                        day(ot.termino),
                        day(ot.inicio_real),
                        day(ot.termino_real),
                        w.flag(ot.requiere_patio),
                        day(ot.inicio_patio),
                        day(ot.fin_patio),
                        version,
                        stamp(ot.created_at),
                        stamp(updated_at),
                        ot.creator,
                        updated_by,
                    )
                )
                for paso_id, status, comentario, when in steps:
                    step_rows.append(
                        (
                            next(detalle_id),
                            ot.id,
                            paso_id,
                            status,
                            comentario,
                            stamp(when),
                            rnd.choice(self.users)[0] if when else None,
                        )
                    )
            w.begin()
            self._insert("ote", OTE_COLUMNS, ot_rows)
            self._insert("ot_detalle", DETALLE_COLUMNS, step_rows)
            w.commit()

        # Each chain's current version flagged (ote.vigente), with the migration's own statement.
        w.begin()
        w.conn.execute(_vigente_backfill())
        w.commit()

        # The log in time order, as the app would have written it over the years.
        log_rows.sort(key=lambda r: r[0])
        for chunk in _chunks(log_rows, BATCH * 4):
            rows = [
                (
                    stamp(fecha),
                    uid,
                    uname,
                    accion,
                    "ot",
                    entidad_id,
                    json.dumps(cambios),
                    f"10.20.{uid % 250}.{(entidad_id * 7) % 250 + 1}",
                )
                for fecha, uid, uname, accion, entidad_id, cambios in chunk
            ]
            w.begin()
            self._insert("actividad_log", LOG_COLUMNS, rows)
            w.commit()
        self.orders_list = orders


PTE_COLUMNS = (
    "id", "oficio_pte", "descripcion", "id_cliente", "id_responsable_proyecto", "fecha_solicitud", "plazo_dias",
    "monto_mxn", "monto_usd", "id_estatus_pte", "estatus", "version", "created_at", "updated_at", "created_by",
    "updated_by",
)  # fmt: skip


def _vigente_backfill() -> str:
    """The UPDATE that computes ote.vigente, from the migration that added it (one statement)."""
    import importlib.util

    path = ROOT / "migrations" / "versions" / "c5e2a8d71f04_ote_vigente.py"
    spec = importlib.util.spec_from_file_location("ote_vigente", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.BACKFILL


OTE_COLUMNS = (
    "id", "orden_trabajo", "folio_norm", "oficio_ot", "id_tipo", "descripcion_trabajo", "comentario",
    "responsable_cliente", "id_responsable_proyecto", "id_cliente", "id_frente", "id_embarcacion",
    "id_plataforma", "id_intercom", "id_patio", "id_pte_header", "ot_principal", "num_reprogramacion",
    "id_estatus_ot", "estatus", "monto_mxn", "monto_usd", "plazo_dias", "fecha_inicio_programado",
    "fecha_termino_programado", "fecha_inicio_real", "fecha_termino_real", "requiere_patio",
    "fecha_inicio_patio", "fecha_fin_patio", "version", "created_at", "updated_at", "created_by", "updated_by",
)  # fmt: skip
DETALLE_COLUMNS = ("id", "id_ot", "id_paso", "estatus_paso", "comentario", "updated_at", "updated_by")
PTE_DETALLE_COLUMNS = ("id", "id_pte", "id_paso", "estatus_paso", "comentario", "entrega_auto")
# A PTE step set of 30 (a Volumetría with 4 sub-steps among them) for the PTE detail benchmark.
BENCH_PTE_SET = 90
LOG_COLUMNS = ("fecha", "id_usuario", "usuario", "accion", "entidad", "entidad_id", "cambios", "ip")


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


# --------------------------------------------------------------------------- orchestration


def _sqlite_path(url: str) -> Path | None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise SystemExit("--db: a SQLite file is needed, not an in-memory database")
    return Path(parsed.database).resolve()


def absolute_url(url: str) -> str:
    """sqlite:///relative/path resolved against the current directory, so gunicorn agrees."""
    path = _sqlite_path(url)
    return f"sqlite:///{path}" if path else url


def prepare(url: str, force: bool) -> None:
    path = _sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    with engine.begin() as conn:
        if inspect(conn).has_table("ote"):
            if not force:
                raise SystemExit("the PostgreSQL database already has tables: pass --force to drop them")
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().replace(" ", "")


def _bench_pte_set(db) -> None:
    """BENCH_PTE_SET: 26 steps and 4 sub-steps of the 5th (30 rows), for the 30-step PTE page."""
    from ot_app.models import PasoPte

    for n in range(1, 27):
        parent = PasoPte(descripcion=f"Paso de PTE {n:02d}", tipo=BENCH_PTE_SET, orden=n * 10)
        db.session.add(parent)
        db.session.flush()
        if n == 5:
            for k in range(1, 5):
                db.session.add(
                    PasoPte(
                        descripcion=f"Subpaso {k}", tipo=BENCH_PTE_SET, orden=n * 10 + k, id_padre=parent.id
                    )
                )
    db.session.commit()


def schema_and_users(url: str, office_users: int = 12) -> tuple[list, dict, object, dict]:
    """flask db upgrade, seed_base, the office users and the bench admin with an API token."""
    import logging

    import flask_migrate
    from sqlalchemy import select

    from ot_app import create_app
    from ot_app.auth.passwords import password_problem
    from ot_app.extensions import db
    from ot_app.migrations_cli import enable_migrations
    from ot_app.models import ApiToken, PasoOt, ReglaPaso, Usuario
    from ot_app.seed_data import seed_base

    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-generate"})
    enable_migrations(app)
    with app.app_context():
        flask_migrate.upgrade()
        seed_base()
        db.session.commit()
        _bench_pte_set(db)
        problem = password_problem(BENCH_PASSWORD, BENCH_USER)
        if problem:
            raise SystemExit(f"bench password refused by the policy: {problem}")
        bench = Usuario(username=BENCH_USER, nombre="Banco de pruebas", rol="admin", activo=True)
        bench.set_password(BENCH_PASSWORD)
        db.session.add(bench)
        # Office users: authors of the generated OTs and their history. One shared unusable hash.
        shared_hash = None
        rnd = random.Random(7)
        users = []
        for i in range(office_users):
            nombre = f"{rnd.choice(NOMBRES)} {rnd.choice(APELLIDOS)}"
            user = Usuario(
                username=_ascii(f"{nombre.split()[0]}.{rnd.choice(APELLIDOS)}{i}".lower()),
                nombre=nombre,
                rol="editor" if i % 4 else "lector",
                activo=True,
            )
            if shared_hash is None:
                user.set_password(os.urandom(16).hex())
                shared_hash = user.password_hash
            else:
                user.password_hash = shared_hash
            db.session.add(user)
            users.append(user)
        token_row, token = ApiToken.issue(bench, "bench")
        db.session.add(token_row)
        db.session.commit()
        user_list = [(u.id, u.username) for u in users]
        step_sets: dict[int, list[tuple[int, str]]] = {}
        for paso in db.session.scalars(select(PasoOt).where(PasoOt.activo.is_(True)).order_by(PasoOt.id)):
            step_sets.setdefault(paso.tipo, []).append((paso.id, paso.descripcion))
        rules = [(r.id_tipo, r.id_cliente, r.tipo_paso) for r in db.session.scalars(select(ReglaPaso))]
        db.session.remove()
        db.engine.dispose()

    def rule(id_tipo: int, id_cliente: int | None) -> int:
        """service.step_set_for, without a query: exact client first, then any client."""
        for tipo, cliente, paso in rules:
            if tipo == id_tipo and cliente == id_cliente:
                return paso
        for tipo, cliente, paso in rules:
            if tipo == id_tipo and cliente is None:
                return paso
        return 5

    credentials = {"username": BENCH_USER, "password": BENCH_PASSWORD, "token": token, "db": url}
    return user_list, step_sets, rule, credentials


def manifest(gen: Generator, rule, step_sets) -> dict:
    """Ids the harness needs: a typical OT for the detail pages, steps to cycle, an approved PTE."""
    rnd = random.Random(99)
    orders = gen.orders_list
    typical = [
        o
        for o in orders
        if o.tipo == INICIAL
        and o.estatus == ACTIVA
        and len(o.versions) == 2
        and o.estatus_ot == EN_EJECUCION
        and rule(INICIAL, o.cliente) == 5
    ] or [o for o in orders if o.estatus == ACTIVA]
    detail = typical[len(typical) // 2]
    # Step ids of live OTs, for the step-change benchmark (ids are sequential per OT).
    first_step = {}
    next_id = 1
    for o in orders:
        first_step[o.id] = next_id
        next_id += len(step_sets[rule(o.tipo, o.cliente)])
    live = [o for o in orders if o.estatus != ELIMINADA]
    sample = rnd.sample(live, min(997, len(live)))
    step_ids = sorted(
        first_step[o.id] + rnd.randrange(len(step_sets[rule(o.tipo, o.cliente)])) for o in sample
    )
    # The longest chain (11 versions): its current version's page shows the whole lineage.
    longest = max((o for o in orders if o.tipo == INICIAL), key=lambda o: len(o.versions))
    live_versions = [v for v in longest.versions if v.estatus != ELIMINADA]
    return {
        "detail_ot_id": detail.id,
        "lineage_ot_id": (live_versions[-1] if live_versions else longest).id,
        "lineage_versions": 1 + len(live_versions),
        "step_ids": step_ids,
        "pte_id": gen.approved[-1][1],
        "detail_pte_id": gen.detail_pte,
        "patio_id": 1,
        "responsable_id": 1,
        "counts": gen.counts,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite:///bench/data/ot_100k.db", help="SQLAlchemy URL")
    parser.add_argument("--ots", type=int, default=100_000, help="number of OTs (default 100,000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--force", action="store_true", help="PostgreSQL: drop the existing tables first")
    parser.add_argument(
        "--credentials", default=str(CREDENTIALS), help="JSON file of credentials and ids, by URL"
    )
    parser.add_argument(
        "--if-stale",
        action="store_true",
        help="do nothing when the database exists with these --ots/--seed at the newest migration",
    )
    args = parser.parse_args(argv)
    if args.ots < 10:
        parser.error("--ots must be at least 10")

    url = absolute_url(args.db)
    cred_path = Path(args.credentials)
    if args.if_stale and up_to_date(url, args.ots, args.seed, cred_path):
        print(f"{url}: up to date ({args.ots:,} OTs, seed {args.seed}, migration {head_revision()})")
        return 0
    t0 = time.perf_counter()
    prepare(url, args.force)
    users, step_sets, rule, credentials = schema_and_users(url)
    t_schema = time.perf_counter() - t0

    path = _sqlite_path(url)
    writer = SqliteWriter(str(path)) if path else PostgresWriter(url)
    gen = Generator(args.ots, args.seed, writer, users)
    gen.catalogs()
    gen.ptes()
    gen.orders(step_sets, rule)
    t_rows = time.perf_counter() - t0 - t_schema
    writer.finish()
    elapsed = time.perf_counter() - t0

    info = manifest(gen, rule, step_sets)
    info.update(
        credentials,
        revision=head_revision(),
        ots=args.ots,
        seed=args.seed,
        load_seconds=round(elapsed, 2),
        schema_seconds=round(t_schema, 2),
        rows_seconds=round(t_rows, 2),
        generated_at=datetime.now().isoformat(timespec="seconds"),
    )
    save_credentials(cred_path, url, info)
    size = f", {path.stat().st_size / 1e6:.0f} MB" if path else ""
    counts = ", ".join(
        f"{k} {v:,}"
        for k, v in gen.counts.items()
        if k in ("pte_header", "ote", "ot_detalle", "actividad_log")
    )
    print(
        f"{args.ots:,} OTs in {elapsed:.1f} s (schema and users {t_schema:.1f} s, rows {t_rows:.1f} s, "
        f"ANALYZE {elapsed - t_schema - t_rows:.1f} s){size}: {counts}"
    )
    print(f"credentials and ids: {cred_path}")
    return 0


def head_revision() -> str | None:
    """The newest migration of the project (what `flask db upgrade` would reach)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


def database_revision(url: str) -> str | None:
    """The migration a generated database was built at; None when there is none (or no database)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    path = _sqlite_path(url)
    if path is not None and not path.exists():
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def up_to_date(url: str, ots: int, seed: int, path: Path | None = None) -> bool:
    """The database exists at the newest migration, with these parameters and its credentials."""
    try:
        info = json.loads((path or CREDENTIALS).read_text())[url]
    except (FileNotFoundError, KeyError, ValueError):
        return False
    if info.get("ots") != ots or info.get("seed") != seed:
        return False
    return database_revision(url) == head_revision()


def save_credentials(path: Path, url: str, info: dict) -> None:
    """bench/data/credentials.json maps each generated database's URL to its user, token and ids."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        everything = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        everything = {}
    everything[url] = info
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(everything, indent=2, ensure_ascii=False) + "\n")
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def load_credentials(url: str, path: Path | None = None) -> dict:
    path = path or CREDENTIALS
    try:
        return json.loads(path.read_text())[absolute_url(url)]
    except (FileNotFoundError, KeyError, ValueError):
        raise SystemExit(f"no credentials for {url} in {path}: run bench/generate.py --db {url}") from None


if __name__ == "__main__":
    sys.exit(main())
