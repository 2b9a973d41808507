"""Annex import and export benchmark (issue 15): a generated 10,000-line Anexo C (dry run and
confirm), a 4,757-line × 31-day sábana (dry run) and the OT list exported to xlsx from the bench
database (100,000 OTs), each in a fresh child process so its peak RSS is its own.

    .venv/bin/python bench/annexes.py [--lines 10000] [--sabana 4757x31] [--db sqlite:///bench/data/ot_100k.db]
    [--only import,export] [--repeat 3]

Prints wall time, CPU time and the child's peak RSS (ru_maxrss) per scenario; with --repeat N each
scenario runs N times (a fresh process each) and the median of each figure is printed, with the
runs' range. The machine is shared: compare with the figures of one run, and read CPU time beside
wall time."""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def anexo_c(lines: int) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("ANEXO C")
    ws.append(["ANEXO C — CATÁLOGO DE CONCEPTOS"])
    ws.append(
        [
            "PARTIDA",
            "CONCEPTO",
            "UNIDAD",
            "VOLUMEN PTE",
            "P.U. M.N.",
            "P.U. USD",
            "IMPORTE PTE M.N.",
            "IMPORTE PTE USD",
        ]
    )
    per_chapter = max(1, lines // 10)
    n = 0
    for c in range(1, 11):
        ws.append([str(c), f"CAPÍTULO {c} DEL CATÁLOGO"])
        for i in range(per_chapter):
            if n >= lines:
                break
            n += 1
            qty, pu = (i % 50) + 1, round(1000 + (n * 37.13) % 9000, 2)
            ws.append(
                [
                    f"{c}.{i + 1}.",
                    f"Concepto {n}: suministro y aplicación de recubrimiento",
                    "M2",
                    qty,
                    pu,
                    0,
                    round(qty * pu, 2),
                    0,
                ]
            )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sabana(lines: int, days: int) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("SABANA DE RECURSOS")
    ws.append(["SÁBANA DE RECURSOS"])
    start = date(2025, 10, 1)
    ws.append(["PARTIDA", "CONCEPTO", "UNIDAD", *(start + timedelta(days=d) for d in range(days)), "TOTALES"])
    for n in range(1, lines + 1):
        values = [(n + d) % 3 for d in range(days)]
        ws.append([f"{n // 100 + 1}.{n}.", f"Recurso {n}", "DIA", *values, sum(values)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _scenario(name: str, path: str, tipo: str, confirm: bool, out):
    os.environ.setdefault("SECRET_KEY", "bench")
    from ot_app import create_app
    from ot_app.annexes.pipeline import analyze

    data = Path(path).read_bytes()
    if not confirm:
        wall, cpu = time.perf_counter(), time.process_time()
        report = analyze("bench.xlsx", data, tipo)
        result = {
            "wall": time.perf_counter() - wall,
            "cpu": time.process_time() - cpu,
            "lines": len(report.lines),
            "errors": len(report.errores),
        }
    else:
        from werkzeug.datastructures import FileStorage

        from ot_app.annexes.commands import import_annex
        from ot_app.extensions import db
        from ot_app.search import create_search_index
        from ot_app.seed_data import seed_base
        from tests import factories

        folder = tempfile.mkdtemp()
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                "ARCHIVOS_DIR": f"{folder}/archivos",
                "SECRET_KEY": "bench",
            }
        )
        with app.app_context():
            db.create_all()
            with db.engine.begin() as connection:
                create_search_index(connection)
            seed_base()
            ot = factories.make_ot()
            db.session.commit()
            wall, cpu = time.perf_counter(), time.process_time()
            report = import_annex(ot.id, tipo, FileStorage(io.BytesIO(data), "bench.xlsx"), True, None)
            result = {
                "wall": time.perf_counter() - wall,
                "cpu": time.process_time() - cpu,
                "lines": len(report.lines),
                "revision": report.revision,
            }
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put((name, result))


def _export(name: str, uri: str, out):
    """The OT list (every OT, the default sort) streamed to xlsx, as GET /api/ot/exportar does."""
    os.environ.setdefault("SECRET_KEY", "bench")
    from ot_app import create_app
    from ot_app.exports import xlsx_chunks
    from ot_app.orders.export import export_orders
    from ot_app.orders.read import ListQuery

    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "bench"})
    with app.app_context():
        wall, cpu = time.perf_counter(), time.process_time()
        _, sheet, columns, rows = export_orders(ListQuery())
        counted = _Counted(rows)
        size = sum(len(chunk) for chunk in xlsx_chunks(sheet, columns, counted))
        result = {
            "wall": time.perf_counter() - wall,
            "cpu": time.process_time() - cpu,
            "lines": counted.n,
            "bytes": size,
        }
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put((name, result))


class _Counted:
    def __init__(self, rows):
        self.rows, self.n = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.n += 1
            yield row


def run(name, *args, target=None):
    ctx = get_context("spawn")  # a fresh interpreter: its peak RSS is this scenario's alone
    queue = ctx.Queue()
    proc = ctx.Process(target=target or _scenario, args=(name, *args, queue))
    proc.start()
    got = queue.get(timeout=600)
    proc.join()
    return got


def repeated(times: int, name, *args, target=None):
    """The scenario `times` times; each figure's median (a shared machine's outliers left aside)."""
    runs = [run(name, *args, target=target)[1] for _ in range(times)]
    if times == 1:
        return name, runs[0]
    result = dict(runs[0])
    for key in ("wall", "cpu", "peak_rss_mb"):
        result[key] = statistics.median(r[key] for r in runs)
    result["range"] = {key: (min(r[key] for r in runs), max(r[key] for r in runs)) for key in ("wall", "cpu")}
    return name, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--sabana", default="4757x31")
    parser.add_argument("--db", default=f"sqlite:///{ROOT}/bench/data/ot_100k.db", help="for the OT export")
    parser.add_argument("--only", default="import,export")
    parser.add_argument("--repeat", type=int, default=1, help="runs per scenario; the median is printed")
    parser.add_argument("--out", help="a folder: also write <date>-annexes-<commit>.md there (make bench)")
    args = parser.parse_args()
    only = set(args.only.split(","))
    load_before = os.getloadavg()
    lines, days = (int(x) for x in args.sabana.split("x"))
    folder = Path(tempfile.mkdtemp())
    results = []
    if "import" in only:
        (folder / "anexo.xlsx").write_bytes(anexo_c(args.lines))
        (folder / "sabana.xlsx").write_bytes(sabana(lines, days))
        anexo, hoja = str(folder / "anexo.xlsx"), str(folder / "sabana.xlsx")
        results += [
            repeated(
                args.repeat, f"Anexo C {args.lines:,} renglones, revisión en seco", anexo, "anexo_c", False
            ),
            repeated(
                args.repeat, f"Anexo C {args.lines:,} renglones, confirmar (SQLite)", anexo, "anexo_c", True
            ),
            repeated(args.repeat, f"Sábana {lines:,} × {days} días, revisión en seco", hoja, "sabana", False),
        ]
    if "export" in only:
        results.append(repeated(args.repeat, "Lista de OT a xlsx (todas)", args.db, target=_export))
    sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
    load = os.getloadavg()
    print(json.dumps({"files": sizes, "load_before": load_before, "load": load}, ensure_ascii=False))
    table = ["| escenario | pared | CPU | pico RSS | renglones |", "| --- | --- | --- | --- | --- |"]
    if args.repeat > 1:
        print(f"mediana de {args.repeat} corridas por escenario")
    for name, r in results:
        spread = ""
        if "range" in r:
            (w0, w1), (c0, c1) = r["range"]["wall"], r["range"]["cpu"]
            spread = f" [pared {w0:.2f}–{w1:.2f} s, CPU {c0:.2f}–{c1:.2f} s]"
        print(
            f"{name}: {r['wall']:.2f} s (CPU {r['cpu']:.2f} s), pico RSS {r['peak_rss_mb']:.0f} MB, "
            f"{r['lines']:,} renglones" + (f", {r['bytes'] / 1e6:.1f} MB" if "bytes" in r else "") + spread
        )
        table.append(
            f"| {name} | {r['wall']:.2f} s | {r['cpu']:.2f} s | {r['peak_rss_mb']:.0f} MB | {r['lines']:,} |"
        )
    if args.out:
        import subprocess

        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False
        ).stdout.strip()
        out = Path(args.out) / f"{date.today().isoformat()}-annexes-{commit or 'sin-git'}.md"
        out.write_text(
            f"# Anexos: importación y exportación, {commit} (bench/annexes.py), {date.today().isoformat()}\n\n"
            f"Carga promedio al empezar: {load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f}; "
            f"al terminar: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1, 5, 15 min; "
            f"{os.cpu_count()} núcleos). Con la máquina compartida, el tiempo de CPU es el más cercano "
            "a lo que cuesta; el pico RSS es de cada escenario (un proceso nuevo cada uno).\n\n"
            + (f"Mediana de {args.repeat} corridas por escenario.\n\n" if args.repeat > 1 else "")
            + "\n".join(table)
            + "\n",
            encoding="utf-8",
        )
        print(f"escrito {out}")


if __name__ == "__main__":
    main()
