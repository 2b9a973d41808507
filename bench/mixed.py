"""The mixed workload (issue 20): 90 % reads (list, search, deep page, edit page, detail), 10 % writes
(step changes, OT edits, creates) at 16 connections against gunicorn, for --duration seconds.

    python bench/mixed.py [--db sqlite:///bench/data/ot_100k.db] [--duration 30] [--connections 16]

Runs on a copy of a SQLite file (a PostgreSQL URL is used as it is). Reports throughput, p50/p99,
the 5xx count and the writes: every write answered 200 carries a unique marker, and afterwards each
marker must be in the database (the activity log for edits, the folio for creates): none lost.
Writes bench/results/<date>-mixed-<database>.{md,json} unless --no-write.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from generate import absolute_url, load_credentials  # noqa: E402
from run import DATA, LUA, RESULTS, ROOT, SEARCH, SECRET_KEY, Gunicorn, login, machine, sqlite_path  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402


def editable_ots(url: str, n: int = 500) -> list[int]:
    """Current, active versions (an edit of a replaced one is refused, which is not what we measure)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        ids = conn.execute(
            text("SELECT id FROM ote WHERE vigente AND estatus = 1 ORDER BY id DESC LIMIT :n"), {"n": n}
        )
        out = [row[0] for row in ids]
    engine.dispose()
    return out


def markers_found(url: str, nonce: str) -> set[str]:
    pattern = re.compile(rf"MIX-{nonce}-\d+-\d+")
    like = f"%MIX-{nonce}-%"
    engine = create_engine(url)
    with engine.connect() as conn:
        logged = conn.execute(
            text("SELECT CAST(cambios AS TEXT) FROM actividad_log WHERE CAST(cambios AS TEXT) LIKE :p"),
            {"p": like},
        )
        found = {m for (row,) in logged for m in pattern.findall(row or "")}
        # A create is its OT: the folio is "OT-" + the marker (its own log row says only "creó").
        created = conn.execute(text("SELECT orden_trabajo FROM ote WHERE orden_trabajo LIKE :p"), {"p": like})
        found |= {m for (row,) in created for m in pattern.findall(row)}
    engine.dispose()
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite:///bench/data/ot_100k.db")
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-write", action="store_true")
    opts = parser.parse_args(argv)

    url = absolute_url(opts.db)
    info = load_credentials(url)
    run_url = url
    source = sqlite_path(url)
    if source is not None:
        copy = source.with_name(source.stem + ".mixed.db")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        with contextlib.closing(sqlite3.connect(source)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(source, copy)
        run_url = f"sqlite:///{copy}"
    ots = editable_ots(run_url)
    nonce = datetime.now().strftime("%H%M%S")
    steps_file, ots_file = DATA / f"mixed-steps-{nonce}.txt", DATA / f"mixed-ots-{nonce}.txt"
    steps_file.write_text("\n".join(map(str, info["step_ids"])) + "\n")
    ots_file.write_text("\n".join(map(str, ots)) + "\n")
    deep = urlencode({"id_cliente": 1, "id_estatus_ot": 4, "orden": "-fecha_inicio_programado", "page": 50})
    reads = ["/", "/?" + urlencode({"q": SEARCH}), "/?" + deep, f"/ot/{ots[0]}/editar", f"/ot/{ots[1]}"]

    env = {"DATABASE_URL": run_url, "SECRET_KEY": SECRET_KEY, "PYTHONDONTWRITEBYTECODE": "1"}
    app = Gunicorn("mixed", "wsgi:app", env, opts.workers, ROOT)
    try:
        app.wait_ready("/login")
        cookie, _ = login(app.port, info["username"], info["password"])
        cmd = [
            "wrk",
            f"-t{opts.threads}",
            f"-c{opts.connections}",
            f"-d{max(1, round(opts.duration))}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(LUA / "mixed.lua"),
            f"http://127.0.0.1:{app.port}",
            "--",
            cookie,
            info["token"],
            nonce,
            str(steps_file),
            str(ots_file),
            str(info["pte_id"]),
            str(info["patio_id"]),
            str(info["responsable_id"]),
            *reads,
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        memory = app.memory()
    finally:
        app.stop()
        steps_file.unlink(missing_ok=True)
        ots_file.unlink(missing_ok=True)
    lines = {
        x.split(" ", 1)[0]: json.loads(x.split(" ", 1)[1])
        for x in out.stdout.splitlines()
        if x.startswith(("WRKJSON ", "MIXJSON "))
    }
    if out.returncode != 0 or "WRKJSON" not in lines:
        raise SystemExit(f"wrk failed:\n{out.stdout}\n{out.stderr}")
    w, m = lines["WRKJSON"], lines["MIXJSON"]
    ok = m["ok_step"] + m["ok_edit"] + m["ok_create"]
    found = markers_found(run_url, nonce)
    result = {
        "date": date.today().isoformat(),
        "db": url,
        "ots": info["ots"],
        "rps": round(w["requests"] / (w["duration_us"] / 1e6), 1),
        "p50_ms": round(w["p50_us"] / 1000, 1),
        "p99_ms": round(w["p99_us"] / 1000, 1),
        "requests": w["requests"],
        "writes_ok": m,
        "writes_found": len(found),
        "lost_writes": ok - len(found),
        "e5xx": m["e5xx"],
        "socket_errors": w["connect"] + w["read"] + w["write"] + w["timeout"],
        "rss_mb": [x["rss_mb"] for x in memory],
        "machine": machine(),
    }
    md = (
        f"Mixed workload {result['date']}, {info['ots']:,} OTs, {url.split(':')[0]}, "
        f"{opts.connections} connections, {opts.duration:.0f} s, gunicorn {opts.workers} workers\n\n"
        "| req/s | p50 ms | p99 ms | 5xx | writes 200 (step / edit / create) | lost | worker RSS MB |\n"
        "| ---: | ---: | ---: | ---: | --- | ---: | --- |\n"
        f"| {result['rps']} | {result['p50_ms']} | {result['p99_ms']} | {result['e5xx']} | "
        f"{m['ok_step']} / {m['ok_edit']} / {m['ok_create']} | {result['lost_writes']} | "
        f"{', '.join(map(str, result['rss_mb']))} |\n"
    )
    print(md)
    if not opts.no_write:
        stem = RESULTS / f"{result['date']}-mixed-{'sqlite' if source else 'postgresql'}-{info['ots']}"
        stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
        stem.with_suffix(".md").write_text(md)
    return 1 if result["lost_writes"] or result["e5xx"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
