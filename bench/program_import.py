"""Program import benchmark (issue 19): a generated MSPDI file of 500 tasks (25 phases × 19
activities, each linked to the one before, costs and a weight field) read (dry run) and imported
(confirmed: save_program's revision with its rows and links) on a fresh SQLite database.
Target: importing it < 2 s.

    .venv/bin/python bench/program_import.py [--tasks 500] [--repeat 3] [--mpp]

Prints the median (and the range) of the wall time of each scenario over --repeat runs. `--mpp`
also times the MPXJ path (the same project written by MPXJ as MPX, read back through MPXJ's
UniversalProjectReader as an .mpp is): the JVM's start, once per process, is timed apart."""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def mspdi(tasks: int) -> bytes:
    """`tasks` tasks: a phase every 20, its activities a working week each, linked in a chain."""
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Project xmlns="http://schemas.microsoft.com/project"><Name>bench.xml</Name>'
        "<CurrencyCode>MXN</CurrencyCode><MinutesPerDay>480</MinutesPerDay>"
        "<ExtendedAttributes><ExtendedAttribute><FieldID>188743767</FieldID><FieldName>Number1</FieldName>"
        "<Alias>Ponderación</Alias></ExtendedAttribute></ExtendedAttributes><Tasks>"
        "<Task><UID>0</UID><ID>0</ID><Name>Obra</Name><OutlineLevel>0</OutlineLevel></Task>"
    ]
    start = date(2026, 2, 2)
    phase = 0
    previous = None
    for uid in range(1, tasks + 1):
        if (uid - 1) % 20 == 0:
            phase += 1
            out.append(
                f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Fase {phase}</Name><WBS>{phase}</WBS>"
                f"<OutlineLevel>1</OutlineLevel><Summary>1</Summary></Task>"
            )
            continue
        day = start + timedelta(days=7 * (uid % 40))
        link = (
            f"<PredecessorLink><PredecessorUID>{previous}</PredecessorUID><Type>1</Type>"
            "<LinkLag>4800</LinkLag><LagFormat>7</LagFormat></PredecessorLink>"
            if previous
            else ""
        )
        out.append(
            f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Actividad {uid} con un nombre de tamaño real</Name>"
            f"<WBS>{phase}.{uid}</WBS><OutlineLevel>2</OutlineLevel>"
            f"<Start>{day.isoformat()}T08:00:00</Start><Finish>{(day + timedelta(days=4)).isoformat()}T17:00:00</Finish>"
            f"<Duration>PT40H0M0S</Duration><PercentComplete>{uid % 100}</PercentComplete>"
            f"<Cost>{uid * 123456}</Cost>{link}</Task>"
        )
        previous = uid
    out.append("</Tasks></Project>")
    return "".join(out).encode()


def _median(label: str, runs: list[float]) -> None:
    print(
        f"{label}: median {statistics.median(runs) * 1000:,.0f} ms "
        f"(range {min(runs) * 1000:,.0f}–{max(runs) * 1000:,.0f} ms, {len(runs)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--mpp", action="store_true")
    args = parser.parse_args()

    from werkzeug.datastructures import FileStorage

    from ot_app import create_app
    from ot_app.config import TestConfig
    from ot_app.extensions import db
    from ot_app.schedules.sources import commands, read_project
    from ot_app.seed_data import seed_base
    from tests import factories

    data = mspdi(args.tasks)
    print(f"MSPDI: {args.tasks} tasks, {len(data):,} bytes")
    parse_runs = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        plan, report = read_project("bench.xml", data)
        parse_runs.append(time.perf_counter() - t)
        assert report.ok, report.errores[:3]
    _median("dry run (read and fold)", parse_runs)

    with tempfile.TemporaryDirectory() as tmp:
        config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
        app = create_app(
            {
                **config,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "ARCHIVOS_DIR": f"{tmp}/archivos",
            }
        )
        with app.app_context():
            db.create_all()
            seed_base()
            db.session.commit()
            ot = factories.make_ot()
            db.session.commit()
            confirm_runs = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                report = commands.import_program(
                    ot.id, FileStorage(io.BytesIO(data), "bench.xml"), True, None
                )
                confirm_runs.append(time.perf_counter() - t)
                assert report.confirmado, report.errores[:3]
            _median(
                f"import confirmed (SQLite, {len(plan.actividades)} rows, {len(plan.ligas)} links)",
                confirm_runs,
            )

    if args.mpp:
        from ot_app.schedules.sources import mpp

        t = time.perf_counter()
        jpype = mpp._start_jvm()
        print(f"JVM start (once per process): {(time.perf_counter() - t) * 1000:,.0f} ms")
        java = jpype.JPackage("java")
        project = jpype.JClass("org.mpxj.reader.UniversalProjectReader")().read(
            java.io.ByteArrayInputStream(data)
        )
        out = java.io.ByteArrayOutputStream()
        jpype.JClass("org.mpxj.mpx.MPXWriter")().write(project, out)
        mpx = bytes(out.toByteArray())
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            plan, report = read_project("bench.mpx", mpx)
            runs.append(time.perf_counter() - t)
            assert report.ok, report.errores[:3]
        _median(f"MPXJ path (MPX of {len(mpx):,} bytes → MSPDI → fold)", runs)


if __name__ == "__main__":
    main()
