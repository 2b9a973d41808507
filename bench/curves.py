"""S-curve benchmark (issue 19): one OT's curve from a 200-activity program over 52 weeks (the
arithmetic alone, then the whole read on the database), and the portfolio curve over the current
versions of a generated database (10,000 OTs by default), a share of them with programs and
weekly cut-offs added here.

    .venv/bin/python bench/generate.py --db sqlite:///bench/data/ot_10k.db --ots 10000   # once
    .venv/bin/python bench/curves.py [--db bench/data/ot_10k.db] [--repeat 15] [--programs 0.2]

Works on a copy of the SQLite file (the generated one is never changed). Prints the median and
the range of `--repeat` runs per scenario; the machine is shared, read them within one run."""

from __future__ import annotations

import argparse
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int) -> tuple[float, float, float]:
    fn()  # warm: imports, the first connection
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), min(runs), max(runs)


def tramos_200x52():
    from ot_app.schedules.spread import Tramo

    rng = random.Random(19)
    start = date(2027, 1, 4)
    out = []
    for _ in range(200):
        a = start + timedelta(days=rng.randint(0, 300))
        out.append(
            Tramo(
                Decimal(rng.randint(1, 10_000)) / 100,
                a,
                a + timedelta(days=rng.randint(7, 60)),
                rng.choice(["lineal", "inicio", "final", "campana"]),
            )
        )
    # One activity spans the year, so the curve has 52 weeks.
    out.append(Tramo(Decimal(1), start, start + timedelta(days=363)))
    return out


def add_programs(share: float, cuts: int, acts: int) -> tuple[int, int]:
    """Programs of `acts` activities for `share` of the current versions, `cuts` weekly cut-offs
    each: inserted in bulk, the shape save_program and record_cut store."""
    from sqlalchemy import insert, select

    from ot_app.extensions import db
    from ot_app.models import OTE, Corte, ProgramaActividad, ProgramaRevision, Registro

    rng = random.Random(7)
    rows = db.session.execute(
        select(OTE.id, OTE.fecha_inicio_programado, OTE.fecha_termino_programado).where(
            OTE.vigente.is_(True), OTE.estatus != Registro.ELIMINADA, OTE.fecha_inicio_programado.is_not(None)
        )
    ).all()
    chosen = [r for r in rows if rng.random() < share]
    revs, activities, cortes = [], [], []
    for n, (ot_id, start, end) in enumerate(chosen, start=100_000):  # ids clear of any saved one
        end = max(end or start, start + timedelta(days=14))
        revs.append(
            {"id": n, "id_ot": ot_id, "n": 1, "origen": "captura", "total_mxn": 1000, "total_usd": 10}
        )
        span = (end - start).days
        for k in range(acts):
            a = start + timedelta(days=rng.randint(0, span))
            activities.append(
                {
                    "id_revision": n,
                    "orden": k,
                    "nivel": 2,
                    "nombre": f"Actividad {k}",
                    "inicio": a,
                    "fin": min(end, a + timedelta(days=rng.randint(1, 30))),
                    "peso_mxn": Decimal(100) / acts,
                    "peso_usd": Decimal(100) / acts,
                    "perfil": rng.choice(["lineal", "campana"]),
                }
            )
        friday = start + timedelta(days=(4 - start.weekday()) % 7)
        for c in range(cuts):
            real = Decimal(min(100, 10 * (c + 1)))
            cortes.append(
                {
                    "id_ot": ot_id,
                    "fecha_corte": friday + timedelta(days=7 * c),
                    "origen": "captura",
                    "id_revision": n,
                    "real_mxn": real,
                    "real_usd": real,
                }
            )
    db.session.execute(insert(ProgramaRevision), revs)
    db.session.execute(insert(ProgramaActividad), activities)
    if cortes:
        db.session.execute(insert(Corte), cortes)
    db.session.commit()
    return len(revs), len(activities), [r["id_ot"] for r in revs]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="bench/data/ot_10k.db", help="a database made by bench/generate.py")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--programs", type=float, default=0.2, help="share of current versions given a program"
    )
    parser.add_argument("--activities", type=int, default=10, help="activities per added program")
    parser.add_argument("--cuts", type=int, default=8, help="weekly cut-offs per added program")
    args = parser.parse_args(argv)

    from ot_app import create_app
    from ot_app.config import Config
    from ot_app.extensions import db
    from ot_app.models import OTE, Registro
    from ot_app.schedules import curves, spread

    print(
        f"machine: {platform.machine()}, {platform.processor() or platform.platform()}, Python {platform.python_version()}"
    )
    ts = tramos_200x52()
    ends = spread.periods(min(t.primero for t in ts), max(t.ultimo for t in ts), spread.SEMANA, 4)
    med, lo, hi = timed(lambda: [spread.pct(v) for v in spread.cumulative(ts, ends)], args.repeat)
    print(
        f"S-curve arithmetic, {len(ts)} activities × {len(ends)} weeks: median {med:.1f} ms ({lo:.1f}–{hi:.1f})"
    )

    source = ROOT / args.db
    if not source.exists():
        print(f"{source} is missing: run bench/generate.py first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "curves.db"
        shutil.copyfile(source, copy)
        app = create_app(
            {
                **{k: getattr(Config, k) for k in dir(Config) if k.isupper()},
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{copy}",
            }
        )
        with app.app_context():
            from sqlalchemy import func, select

            # The 200-activity program on one OT version, read whole (the OT page's curve).
            ot = db.session.scalar(
                select(OTE).where(OTE.vigente.is_(True), OTE.estatus != Registro.ELIMINADA).limit(1)
            )
            from ot_app.models import ProgramaActividad, ProgramaRevision

            rev = ProgramaRevision(id_ot=ot.id, n=99, origen="captura", total_mxn=1, total_usd=1)
            for i, t in enumerate(ts):
                rev.actividades.append(
                    ProgramaActividad(
                        orden=i,
                        nivel=2,
                        nombre=f"A{i}",
                        inicio=t.inicio,
                        fin=t.fin,
                        peso_mxn=t.peso,
                        peso_usd=t.peso,
                        perfil=t.perfil,
                    )
                )
            db.session.add(rev)
            db.session.commit()
            from ot_app.schedules import curve_store

            with_program = [ot.id]
            med, lo, hi = timed(lambda: curves.ot_curve(ot, "mxn", "semana"), args.repeat)
            print(
                f"OT S-curve read (201 activities, 52 weeks, SQLite): median {med:.1f} ms ({lo:.1f}–{hi:.1f})"
            )

            made, acts, ids = add_programs(args.programs, args.cuts, args.activities)
            current = db.session.scalar(
                select(func.count()).where(OTE.vigente.is_(True), OTE.estatus != Registro.ELIMINADA)
            )
            weekday = curves.cutoff_weekday()
            # The programs were inserted in bulk, past the services: their stored curves are
            # recomputed as save_program would, then every version still without one (what a
            # database migrated from before them pays once, on its first aggregate read).
            start = time.perf_counter()
            curve_store.refresh(with_program + ids)
            db.session.commit()
            filled = curve_store.ensure_fresh(weekday) + len(with_program) + len(ids)
            print(
                f"stored planned curves computed for {filled:,} OT versions: {time.perf_counter() - start:.1f} s"
            )
            everything = curves.Filtro()
            for periodo in (spread.SEMANA, spread.MES):
                stored = partial(curve_store.portfolio, everything, "mxn", periodo, weekday)
                reference = partial(curves._portfolio, everything, "mxn", periodo, weekday)
                med, lo, hi = timed(stored, args.repeat)
                points = stored().puntos
                print(
                    f"portfolio S-curve ({periodo}), computed from the stored rows (SQL sums, no cache): "
                    f"{current:,} current versions ({made:,} with a program of {args.activities} activities and "
                    f"{args.cuts} cut-offs, {acts:,} activities), {len(points)} periods: median {med:.0f} ms "
                    f"({lo:.0f}–{hi:.0f})"
                )
                differ = [(a, b) for a, b in zip(points, reference().puntos, strict=True) if a != b]
                med, lo, hi = timed(reference, max(2, args.repeat // 5))
                print(
                    f"portfolio S-curve ({periodo}), the Python reference (every activity): median {med:.0f} ms "
                    f"({lo:.0f}–{hi:.0f}); points that differ: {len(differ)} {differ[:2]}"
                )
            client = partial(
                curve_store.portfolio, curves.Filtro(id_cliente=2), "mxn", spread.SEMANA, weekday
            )
            med, lo, hi = timed(client, args.repeat)
            print(
                f"one client's S-curve (weekly), from the stored rows: median {med:.0f} ms ({lo:.0f}–{hi:.0f})"
            )
            with open("/proc/loadavg") as f:
                print(f"load average (1, 5, 15 min): {' '.join(f.read().split()[:3])}")
            db.session.remove()
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
