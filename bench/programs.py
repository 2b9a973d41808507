"""Program comparison benchmark (issue 19): two revisions of a 200-activity program compared
(schedules.read.compare_rows: keys by WBS or name, then the changed fields), and the same through
the database (read.compare: both revisions loaded with their rows) on a throwaway SQLite file.

    .venv/bin/python bench/programs.py [--activities 200] [--repeat 50]

Prints the median and the worst wall time and the median processor time in milliseconds. The\ngoal: comparing two revisions of a 200-activity program < 50 ms."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def plan(n: int, changed: bool):
    from ot_app.models import OrigenPrograma
    from ot_app.schedules.plan import ActividadPlan, LigaPlan, Plan

    rows = []
    start = date(2027, 1, 4)
    for i in range(n):
        if i % 20 == 0:
            rows.append(ActividadPlan(nombre=f"Fase {i // 20 + 1}", nivel=1, wbs=f"{i // 20 + 1}"))
        shift = 3 if changed and i % 7 == 0 else 0
        rows.append(
            ActividadPlan(
                nombre=f"Actividad {i}",
                wbs=f"{i // 20 + 1}.{i % 20 + 1}" if not (changed and i % 50 == 0) else f"9.{i}",
                inicio=start + timedelta(days=i),
                fin=start + timedelta(days=i + 5 + shift),
                monto_mxn=Decimal(1000 + i * (11 if changed and i % 5 == 0 else 10)),
                monto_usd=Decimal(i % 3 * 100),
            )
        )
    return Plan(
        OrigenPrograma.CAPTURA,
        rows,
        [
            LigaPlan(k, k + 1)
            for k in range(1, len(rows) - 1)
            if rows[k].nivel == 2 and rows[k + 1].nivel == 2
        ],
    )


def timed(fn, repeat: int) -> str:
    """Median and worst wall time, and the median processor time (the machine is shared: the
    processor time is what the code costs, the wall time adds other processes' load)."""
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return f"median {statistics.median(wall):.2f} ms, worst {max(wall):.2f} ms, processor median {statistics.median(cpu):.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    from ot_app import create_app
    from ot_app.config import TestConfig
    from ot_app.extensions import db
    from ot_app.schedules import commands, read
    from ot_app.seed_data import seed_base
    from tests import factories

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "ARCHIVOS_DIR": tmp,
            }
        )
        with app.app_context():
            db.create_all()
            seed_base()
            db.session.commit()
            ot = factories.make_ot(
                fecha_inicio_programado="2027-01-01", fecha_termino_programado="2027-12-31", plazo_dias="365"
            )
            db.session.commit()
            commands.save_program(ot.id, plan(args.activities, False), None)
            commands.save_program(ot.id, plan(args.activities, True), None)
            a, b = read.revision(ot.id, 1), read.revision(ot.id, 2)
            c = read.compare(ot.id, 1, 2)
            print(
                f"{args.activities} activities: {len(c.agregadas)} added, {len(c.eliminadas)} removed, {len(c.cambiadas)} changed"
            )
            print(
                "compare_rows (in memory):",
                timed(lambda: read.compare_rows(a.actividades, b.actividades), args.repeat),
            )

            def through_db():
                db.session.expire_all()
                read.compare(ot.id, 1, 2)

            print("read.compare (the rows of both revisions from SQLite):", timed(through_db, args.repeat))
            prepared = timed(lambda: commands.prepare(plan(args.activities, True)), args.repeat)
            print(f"prepare (weights, checks, links), {args.activities} activities:", prepared)


if __name__ == "__main__":
    main()
