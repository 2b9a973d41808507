"""Timeline benchmark (issue 14): GET /linea-tiempo through the whole Flask stack (login, the
read, the sweep, the template) on a copy of a database made by bench/generate.py, its site
bookings rebuilt first (bookings.rebuild_all). For each database: the month zoom over the 12
months with the most OTs, the whole portfolio in one answer (`por_pagina`=1,000) and the first
screen (the default page; the rest comes as the user scrolls), with the next page; median, range,
SQL statements and HTML size; and the first answer after a write (the conflicts computed
again, once: the cases share the window); the rest reuse them until the next write (data_version).

    .venv/bin/python bench/generate.py --db sqlite:///bench/data/ot_1k.db --ots 1000      # once
    .venv/bin/python bench/generate.py --db sqlite:///bench/data/ot_10k.db --ots 10000    # once
    .venv/bin/python bench/timeline.py [--db bench/data/ot_1k.db ...] [--repeat 15] [--per-site 25 [--planned]]

`--per-site N` spreads the bookings over one site per N of them first (bench/conflicts.py's
`spread_sites`): the generator packs hundreds of OTs onto each vessel at once, which no office
could book, and the conflicts that packing makes dominate the first answer after a write.
`--planned` also lays each site's bookings one after another (`plan_sites`), as an office does.

The machine is shared: read the figures within one run, with the load average printed beside them."""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import BENCH_PASSWORD, BENCH_USER  # noqa: E402


def _login(client) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    r = client.post(
        "/login", data={"username": BENCH_USER, "password": BENCH_PASSWORD, "csrf_token": token.group(1)}
    )
    assert r.status_code in (302, 303), r.status_code


def _busiest_year(db):
    """The first day of the 12-month window with the most programmed OTs (current versions)."""
    from sqlalchemy import func, select

    from ot_app.models import OTE

    month = func.substr(func.cast(OTE.fecha_inicio_programado, db.String), 1, 7)
    counts = dict(
        db.session.execute(select(month, func.count()).where(OTE.vigente.is_(True)).group_by(month)).all()
    )
    months = sorted(m for m in counts if m)
    best = max(months, key=lambda m: sum(counts.get(x, 0) for x in months if m <= x < _plus_year(m)))
    from datetime import date

    return date(int(best[:4]), int(best[5:7]), 1)


def _plus_year(month: str) -> str:
    return f"{int(month[:4]) + 1}{month[4:]}"


def _bump_data_version(app) -> None:
    """What any write does to the cached figures: the next answer computes the conflicts again."""
    from sqlalchemy import update

    from ot_app.extensions import db
    from ot_app.models import VersionDatos

    with app.app_context():
        db.session.execute(update(VersionDatos).values(n=VersionDatos.n + 1))
        db.session.commit()


def run(path: Path, repeat: int, per_site: int = 0, planned: bool = False) -> None:
    from sqlalchemy import event

    from ot_app import create_app
    from ot_app.config import Config
    from ot_app.extensions import db
    from ot_app.schedules import bookings, timeline

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "timeline.db"
        shutil.copyfile(path, copy)
        app = create_app(
            {
                **{k: getattr(Config, k) for k in dir(Config) if k.isupper()},
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{copy}",
            }
        )
        with app.app_context():
            booked = bookings.rebuild_all()
            db.session.commit()
            if per_site:
                # The generator packs the OTs onto ~90 sites (hundreds on a vessel at once): spread
                # them as bench/conflicts.py does, about one OT per site at a time.
                from conflicts import plan_sites, spread_sites

                from ot_app.formatting import office_today

                spread_sites(per_site)
                if planned:
                    # And each site's bookings one after another, as an office plans them (the
                    # bookings only: the bars keep the OTs' dates, the sweep reads the bookings).
                    plan_sites(office_today())
            desde = _busiest_year(db)
            engine = db.engine
        hasta = timeline.add_months(desde, 12) - timedelta(days=1)
        statements = []

        @event.listens_for(engine, "before_cursor_execute")
        def _count(conn, cursor, statement, *args):
            if not re.match(r"\s*(BEGIN|COMMIT|ROLLBACK|PRAGMA|SAVEPOINT|RELEASE)", statement, re.I):
                statements.append(statement)

        client = app.test_client()
        _login(client)
        window = f"desde={desde}&hasta={hasta}&zoom=mes"
        sites = f"one site per {per_site} bookings" if per_site else "the generator's sites"
        if per_site and planned:
            sites += ", planned one after another"
        print(f"{path.name}: {booked:,} bookings on {sites}, window {desde} – {hasta}")
        cases = (
            ("whole portfolio, one answer", f"/linea-tiempo?{window}&por_pagina=1000", {}),
            ("first screen (page of 200)", f"/linea-tiempo?{window}", {}),
            (
                "next page as the user scrolls",
                f"/linea-tiempo/filas?{window}&pagina=2",
                {"HX-Request": "true"},
            ),
        )
        for i, (name, url, headers) in enumerate(cases):
            # The first answer after a write sweeps the conflicts again (the cases share the window,
            # so the later ones reuse that sweep, as a user's next request would).
            if i:
                _bump_data_version(app)
            start = time.perf_counter()
            r = client.get(url, headers=headers)
            first = (time.perf_counter() - start) * 1000
            assert r.status_code == 200, (url, r.status_code)
            runs = []
            for _ in range(repeat):
                statements.clear()
                start = time.perf_counter()
                r = client.get(url, headers=headers)
                body = r.get_data()
                runs.append((time.perf_counter() - start) * 1000)
            html = body.decode()
            rows = html.count("data-row ")
            bars = len(re.findall(r"<rect class=\"(?:programado|real|patio|base)\"", html))
            print(
                f"  {name}: {rows:,} rows, {bars:,} bars, {len(body) / 1024:,.0f} KB, {len(statements)} statements; "
                f"median {statistics.median(runs):.1f} ms ({min(runs):.1f}–{max(runs):.1f})"
                + f"; first answer after a write (the sweep) {first:,.0f} ms"
            )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", nargs="+", default=["bench/data/ot_1k.db", "bench/data/ot_10k.db"])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--per-site", type=int, default=0, help="spread the bookings, one site per N (0: as generated)"
    )
    parser.add_argument(
        "--planned", action="store_true", help="with --per-site: each site's bookings one after another"
    )
    args = parser.parse_args(argv)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    for name in args.db:
        path = Path(name) if Path(name).is_absolute() else ROOT / name
        if not path.exists():
            print(f"{path} is missing: run bench/generate.py first", file=sys.stderr)
            return 2
        run(path, args.repeat, args.per_site, args.planned)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
