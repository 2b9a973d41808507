"""The ceiling: a bare Flask app (not part of the product) that serves the OT list page's current
markup from memory, so the benchmark can say how far the list is from what Flask + Jinja + gunicorn
do with a page of the same weight.

    python bench/ceiling.py --snapshot [--db sqlite:///bench/data/ot_100k.db]   # bench/run.py does it
    gunicorn -w 2 -b 127.0.0.1:8001 --chdir bench ceiling:app

The snapshot (bench/data/ceiling.json) is ot_app's own page 1 of the list on the bench database, as
the bench user sees it: the page around the rows (head, top bar, filters, bulk toolbar, header,
totals, pager, dialogs) as text, and the 50 rows' values. Each request renders the project's own
`templates/orders/_rows.html` over those values with ot_app's own badges, progress bar and number
and date filters, between the two texts: the same bytes as the real page, with the row rendering
(the part that grows with the page) done per request and no database, session, login or CSRF.
It was stale before (issue 20): a hand-written copy of a markup that has changed since.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
SNAPSHOT = BENCH / "data" / "ceiling.json"
TBODY = '<tbody id="ot-rows"'


def _plain(value):
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if isinstance(value, date):
        return {"t": value.isoformat()}
    if hasattr(value, "done") and hasattr(value, "total"):
        return {"avance": [int(value.done), int(value.total)]}
    return value


def snapshot(db_url: str, credentials: dict | None = None) -> Path:
    """Page 1 of the list, as ot_app renders it to the bench user, split around its rows.
    `credentials`: the bench user's, when `db_url` is a copy (bench/run.py's) the file does not name."""
    from generate import absolute_url, load_credentials
    from run import InProcess

    from ot_app.orders import read

    url = absolute_url(db_url)
    inproc = InProcess(url, credentials or load_credentials(url), "ceiling")
    html = inproc.browser.get("/").get_data(as_text=True)
    start = html.index(">", html.index(TBODY)) + 1
    end = html.index("</tbody>", start)
    with inproc.app.test_request_context("/"):
        query = read.ListQuery(totales=True, vigentes=True)  # the page's default: one row per chain
        items = read.list_orders(query).items
    rows = [{k: _plain(v) for k, v in item.items()} for item in items]
    SNAPSHOT.parent.mkdir(exist_ok=True)
    SNAPSHOT.write_text(json.dumps({"db": url, "before": html[:start], "after": html[end:], "rows": rows}))
    print(f"{SNAPSHOT}: {len(html.encode()):,} bytes, {len(rows)} rows")
    return SNAPSHOT


def _load_rows(rows):
    from ot_app.orders.read import Avance, Fila

    def value(v):
        if isinstance(v, dict):
            if "d" in v:
                return Decimal(v["d"])
            if "t" in v:
                return date.fromisoformat(v["t"])
            if "avance" in v:
                return Avance(*v["avance"])
        return v

    return [Fila({k: value(v) for k, v in row.items()}) for row in rows]


def make_app():
    from flask import Flask, render_template

    from ot_app import formatting, models, templating

    try:
        data = json.loads(SNAPSHOT.read_text())
    except FileNotFoundError:
        raise SystemExit(f"no {SNAPSHOT}: run python bench/ceiling.py --snapshot first") from None
    app = Flask(__name__, template_folder=str(ROOT / "templates"))
    # The project's filters and row helpers, as its templates see them (templating.register_templating
    # also wants the app's other globals; the rows need only these).
    app.jinja_env.filters.update(money=formatting.money, fecha=formatting.fecha)
    app.jinja_env.globals.update(
        Registro=models.Registro,
        TipoId=models.TipoId,
        registro_badge=templating.registro_badge,
        estatus_badge=templating.estatus_badge,
        progress_bar=templating.progress_bar,
    )

    class User:
        @staticmethod
        def puede(rol: str) -> bool:
            return True

    rows = _load_rows(data["rows"])
    before, after = data["before"], data["after"]

    @app.get("/")
    def index():
        body = render_template("orders/_rows.html", rows=rows, current_user=User, query=None, agrupada=True)
        return before + body + after  # plain text: the rows come escaped by Jinja

    @app.get("/ot/<int:ot_id>", endpoint="orders.detalle")
    def detalle(ot_id: int):
        return str(ot_id)

    return app


def __getattr__(name):
    # `gunicorn ceiling:app` builds it from the snapshot; run.py imports the module to write one.
    if name == "app":
        globals()["app"] = made = make_app()
        return made
    raise AttributeError(name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--snapshot", action="store_true", help="write bench/data/ceiling.json from the database"
    )
    parser.add_argument("--db", default="sqlite:///bench/data/ot_100k.db")
    opts = parser.parse_args()
    if opts.snapshot:
        snapshot(opts.db)
