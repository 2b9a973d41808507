"""Site-conflict benchmark (issue 14): the portfolio sweep alone (`conflicts.sweep_rows` over
bookings in memory) and end to end (`bookings.portfolio_conflicts`, SQL included), at 1,000,
10,000 and 100,000 OTs, and the check on save (`bookings.sync_chain` of one OT whose dates moved:
its bookings read, the nearby ones of its sites read and checked, the new ones written) on the
largest database. Targets: the sweep over 100,000 OTs ≤ 150 ms, the check on save ≤ 5 ms.

    .venv/bin/python bench/generate.py --db sqlite:///bench/data/ot_100000.db --ots 100000   # once per size
    .venv/bin/python bench/conflicts.py [--sizes 1000,10000,100000] [--repeat 15]

The generator spreads 100,000 OTs over 20 vessels, 60 platforms and 12 yards: hundreds of OTs hold
each vessel at once, so the bookings are kept but the sites are widened here to one per ~25
bookings (`--per-site`), about one OT per site at a time, with the capacities, exclusivity and gaps
of a real catalog. The sweep is also timed on that dense original (`--dense`). Works on a copy of
each SQLite file; prints the median and range of `--repeat` runs."""

from __future__ import annotations

import argparse
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int) -> tuple[float, float, float]:
    fn()  # warm: imports, the first connection, the page cache
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), min(runs), max(runs)


def spread_sites(per_site: int) -> dict:
    """Give the bookings one site per `per_site` of them (new catalog rows), keeping each booking's
    kind and dates; 80 % of sites take one OT, 15 % two, 5 % four; a tenth of the vessels need
    2–5 days to move, a tenth of the single sites are exclusive. Returns the counts."""
    from sqlalchemy import bindparam, func, insert, select, update

    from ot_app.extensions import db
    from ot_app.models import OTE, ReservaSitio
    from ot_app.schedules.bookings import SITE_COLUMNS, SITE_MODELS

    rng = random.Random(14)
    r = ReservaSitio
    counts = {}
    for tipo, model in SITE_MODELS.items():
        ids = db.session.execute(select(r.id, r.id_ot).where(r.tipo_sitio == tipo.value).order_by(r.id)).all()
        n_sites = max(1, len(ids) // per_site)
        first = (db.session.scalar(select(func.max(model.id))) or 0) + 1
        sites = []
        for k in range(n_sites):
            u = rng.random()
            cap = 1 if u < 0.8 else 2 if u < 0.95 else 4
            sites.append(
                {
                    "id": first + k,
                    "nombre": f"{tipo.value} {first + k}",
                    "activo": True,
                    "capacidad": cap,
                    "exclusivo": cap == 1 and rng.random() < 0.1,
                    "movilizacion_dias": rng.randint(2, 5)
                    if tipo.value == "embarcacion" and rng.random() < 0.1
                    else 0,
                }
            )
        db.session.execute(insert(model), sites)
        moved = [(i, ot, first + rng.randrange(n_sites)) for i, ot in ids]
        # ORM bulk UPDATEs by primary key (one executemany each): the booking, and its OT's site
        # column, so the check on save reads the same site from the OT.
        db.session.execute(update(r), [{"id": i, "id_sitio": site} for i, _, site in moved])
        # Core, not the ORM: the OT's version counter is not the bench's to bump.
        t = OTE.__table__
        db.session.execute(
            update(t).where(t.c.id == bindparam("ot")).values({SITE_COLUMNS[tipo]: bindparam("site")}),
            [{"ot": ot, "site": site} for _, ot, site in moved],
        )
        counts[tipo.value] = (len(ids), n_sites)
    db.session.commit()
    return counts


def plan_sites(hoy) -> None:
    """Make each widened site's bookings a planned schedule, as an office keeps one: in the order
    they start, one after another with 0–20 free days, each keeping its length; 4 % start 1–15 days
    before the previous one ends (an overlap). An actual period starts 2 days before to 3 after
    the booking; a finished one ends 5 days early to 10 late, and one still running began within
    the last 90 days (else it ended). Returns nothing; the rows are rewritten in place."""
    from sqlalchemy import select, update

    from ot_app.extensions import db
    from ot_app.models import ReservaSitio

    rng = random.Random(41)
    r = ReservaSitio
    rows = db.session.execute(
        select(r.id, r.tipo_sitio, r.id_sitio, r.desde, r.hasta, r.real_desde, r.real_hasta).order_by(
            r.tipo_sitio, r.id_sitio, r.desde, r.id
        )
    ).all()
    changes, site, cursor = [], None, None
    for rid, tipo, id_sitio, desde, hasta, real_desde, real_hasta in rows:
        if (tipo, id_sitio) != site:
            site, cursor = (tipo, id_sitio), desde
        length = (hasta - desde).days
        if rng.random() < 0.04:
            start = cursor - timedelta(days=rng.randint(1, max(1, min(length, 15))))
        else:
            start = cursor + timedelta(days=rng.randint(0, 20))
        end = start + timedelta(days=length)
        new_real_desde = new_real_hasta = None
        if real_desde is not None:
            new_real_desde = start + timedelta(days=rng.randint(-2, 3))
            if real_hasta is not None or new_real_desde < hoy - timedelta(days=90):
                new_real_hasta = max(new_real_desde, end + timedelta(days=rng.randint(-5, 10)))
        changes.append(
            {
                "id": rid,
                "desde": start,
                "hasta": end,
                "real_desde": new_real_desde,
                "real_hasta": new_real_hasta,
            }
        )
        cursor = end + timedelta(days=1)
    db.session.execute(update(r), changes)
    db.session.commit()


def sweep_line(label: str, rows, sitios, hoy, repeat: int) -> None:
    from ot_app.schedules import conflicts

    found = conflicts.sweep_rows(rows, sitios, hoy.toordinal())
    kinds: dict[str, int] = {}
    for c in found:
        kinds[c.tipo.value] = kinds.get(c.tipo.value, 0) + 1
    wall, cpu = timed2(lambda: conflicts.sweep_rows(rows, sitios, hoy.toordinal()), repeat)
    print(
        f"    {label}: {len(found):,} conflicts ({', '.join(f'{k} {v:,}' for k, v in sorted(kinds.items()))}); "
        f"sweep alone median {wall[0]:.1f} ms wall ({wall[1]:.1f}–{wall[2]:.1f}), {cpu[0]:.1f} ms CPU"
    )


def timed2(fn, repeat: int):
    """(median, min, max) of the wall time and of this process's CPU time, in ms: on a shared
    machine the CPU time is the figure that does not count other processes' turns."""
    fn()
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - w) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    return (
        (statistics.median(walls), min(walls), max(walls)),
        (statistics.median(cpus), min(cpus), max(cpus)),
    )


def measure_size(source: Path, size: int, args) -> None:
    from ot_app import create_app
    from ot_app.config import Config
    from ot_app.extensions import db
    from ot_app.formatting import office_today
    from ot_app.schedules import bookings

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "conflicts.db"
        shutil.copyfile(source, copy)
        app = create_app(
            {
                **{k: getattr(Config, k) for k in dir(Config) if k.isupper()},
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{copy}",
            }
        )
        from ot_app.migrations_cli import enable_migrations

        enable_migrations(app)
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(directory=str(ROOT / "migrations"))  # a database generated before the last migration
            hoy = office_today()
            n = bookings.rebuild_all()
            db.session.commit()
            print(f"{size:,} OTs, {n:,} bookings:")
            if args.dense:
                rows = bookings.booking_rows()
                sitios = bookings._sites({(x[1], x[2]) for x in rows})
                sweep_line(f"generator's {len(sitios)} sites, dense", rows, sitios, hoy, args.repeat)
            counts = spread_sites(args.per_site)
            rows = bookings.booking_rows()
            sitios = bookings._sites({(x[1], x[2]) for x in rows})
            widened = ", ".join(f"{k} {b:,} on {s:,}" for k, (b, s) in counts.items())
            sweep_line(
                f"{len(sitios):,} sites ({widened}), dates as generated", rows, sitios, hoy, args.repeat
            )
            if size == max(args.sizes):
                check_on_save(args, hoy)  # on bookings that are the OTs' own dates
            plan_sites(hoy)
            rows = bookings.booking_rows()
            sweep_line("the same sites, planned one after another", rows, sitios, hoy, args.repeat)
            wall, cpu = timed2(bookings.booking_rows, args.repeat)
            print(
                f"    reading the bookings (one SELECT, ordinals): median {wall[0]:.1f} ms wall "
                f"({wall[1]:.1f}–{wall[2]:.1f}), {cpu[0]:.1f} ms CPU"
            )
            wall, cpu = timed2(lambda: bookings.portfolio_conflicts(hoy=hoy), args.repeat)
            print(
                f"    portfolio_conflicts end to end (SQL, sweep, acceptances, folios, sentences): median "
                f"{wall[0]:.1f} ms wall ({wall[1]:.1f}–{wall[2]:.1f}), {cpu[0]:.1f} ms CPU"
            )
            db.session.remove()
            db.engine.dispose()


def check_on_save(args, hoy) -> None:
    """sync_chain of one OT whose programmed dates moved by a day, in a transaction rolled back
    each time: the bookings check of an OT edit (the edit's own statements not counted)."""
    from sqlalchemy import select

    from ot_app.extensions import db
    from ot_app.models import OTE, ReservaSitio
    from ot_app.schedules import bookings
    from ot_app.service_errors import ValidationFailed

    rng = random.Random(5)
    candidates = list(
        db.session.execute(
            select(OTE.id, OTE.ot_principal).join(ReservaSitio, ReservaSitio.id_ot == OTE.id).distinct()
        )
    )
    picks = rng.sample(candidates, min(args.saves, len(candidates)))
    runs, cpus, warned, refused = [], [], 0, 0
    for ot_id, principal in picks:
        ot = db.session.get(OTE, ot_id)
        ot.fecha_inicio_programado += timedelta(days=1)
        ot.fecha_termino_programado += timedelta(days=1)
        db.session.flush()
        start, cpu = time.perf_counter(), time.process_time()
        try:
            warned += bool(bookings.sync_chain(principal or ot_id, hoy))
        except ValidationFailed:
            refused += 1
        runs.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        db.session.rollback()
    runs.sort()
    print(
        f"    check on save (sync_chain after a date move, {len(runs)} OTs: {warned} warned, "
        f"{refused} refused): median {statistics.median(runs):.2f} ms wall, p90 {runs[int(len(runs) * 0.9)]:.2f} ms, "
        f"max {runs[-1]:.2f} ms; median {statistics.median(cpus):.2f} ms CPU"
    )


def calibration() -> float:
    """ms for 10 million additions in a Python loop: how much of a core this process gets right
    now (the machine is shared: compare figures of runs with a similar calibration)."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return (time.perf_counter() - start) * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--data", default="bench/data", help="where ot_<size>.db are")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--per-site", type=int, default=25, help="bookings per site after widening")
    parser.add_argument("--saves", type=int, default=200, help="OTs whose check on save is timed")
    parser.add_argument("--dense", action="store_true", help="also sweep the generator's own sites")
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"machine: {platform.machine()}, {platform.processor() or platform.platform()}, "
        f"Python {platform.python_version()}; 10M additions in {calibration():.0f} ms"
    )
    for size in args.sizes:
        source = ROOT / args.data / f"ot_{size}.db"
        if not source.exists():
            print(f"{source} is missing: run bench/generate.py --ots {size} first", file=sys.stderr)
            return 2
        measure_size(source, size, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
