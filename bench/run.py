"""The benchmark harness of issue 7: gunicorn (2 workers) on a generated database, wrk at 16
connections for each endpoint, the ceiling app in the same run, SQL statements per request.

    python bench/run.py [--db sqlite:///bench/data/ot_100k.db] [--duration 10] [--connections 16]
                        [--only list,search,...]
    python bench/run.py --sizes 10000,100000      # generate if missing, list/search/deep page at each size

For each endpoint: one checked request, a warm-up (wrk, --warmup seconds), then
`wrk -t2 -c16 -d10s --latency` (Lua scripts in bench/lua/: headers, bearer token, CSRF, unique
folios, cycling step ids). Then RSS per gunicorn worker (VmRSS and VmHWM from /proc), and, in
process (create_app on the same database, a statement counter on the engine, the Flask test client),
the SQL statements of one request per endpoint and the time of a request alone.

On SQLite the measured database is a copy (bench/data/<name>.run.db, removed afterwards): the write
endpoints change it, and the next run should start from the generated data.

Writes bench/results/<date>-<database>.json and .md (or <date>-sizes.*) and prints the table.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LUA = BENCH / "lua"
DATA = BENCH / "data"
RESULTS = BENCH / "results"
VENV_BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import ceiling as ceiling_page  # noqa: E402
from generate import absolute_url, database_revision, head_revision, load_credentials  # noqa: E402

SECRET_KEY = "bench-secret-key-not-for-production"  # noqa: S105
SEARCH = "anticorrosiva"
CSRF_PAGE_RE = re.compile(r'"X-CSRFToken": "([^"]+)"')
CSRF_FORM_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')  # any attribute order


@dataclass
class Endpoint:
    name: str
    label: str
    path: str
    auth: str  # "session", "bearer", "none" (the ceiling)
    method: str = "GET"
    script: str = "get.lua"
    htmx: bool = False
    server: str = "app"
    body: dict | None = None  # for the in-process request
    args: list = field(default_factory=list)


def endpoints(info: dict, search: str) -> list[Endpoint]:
    ot = info["detail_ot_id"]
    filtered = urlencode(
        {"id_cliente": 1, "id_estatus_ot": 4, "orden": "-fecha_inicio_programado", "page": 50}
    )
    return [
        Endpoint(
            "ceiling",
            "ceiling: bare Flask, the list page's own markup from memory",
            "/",
            "none",
            server="ceiling",
        ),
        Endpoint("list", "OT list, default view (one row per chain), page 1", "/", "session"),
        Endpoint("search", f"OT list, search «{search}»", "/?" + urlencode({"q": search}), "session"),
        Endpoint(
            "search_htmx",
            f"OT list, search «{search}» (htmx fragment)",
            "/?" + urlencode({"q": search}),
            "session",
            htmx=True,
        ),
        Endpoint("deep", "OT list, client 1 + Terminada, by date, page 50", "/?" + filtered, "session"),
        Endpoint(
            "list_all",
            "OT list, every version (versiones=todas), page 1",
            "/?versiones=todas",
            "session",
        ),
        Endpoint("detail", "OT detail (steps, versions, history)", f"/ot/{ot}", "session"),
        Endpoint("edit", "OT edit page", f"/ot/{info.get('edit_ot_id', ot)}/editar", "session"),
        Endpoint("pte_list", "PTE list with progress, page 1", "/pte", "session"),
        Endpoint(
            "dashboard",
            "Tablero (by status and client, overdue, steps to do, PTE usage)",
            "/tablero",
            "session",
        ),
        Endpoint(
            "pte_detail",
            "PTE detail (30-step checklist, its OTs)",
            f"/pte/{info.get('detail_pte_id', info.get('pte_id', 1))}",
            "session",
        ),
        Endpoint(
            "lineage",
            f"OT detail of the longest chain ({info.get('lineage_versions', '?')} versions: lineage)",
            f"/ot/{info.get('lineage_ot_id', ot)}",
            "session",
        ),
        Endpoint("api_obtener", "GET /api/ot/obtener", f"/api/ot/obtener?id={ot}", "bearer"),
        Endpoint("api_listar", "GET /api/ot/listar", "/api/ot/listar", "bearer"),
        Endpoint(
            "api_step",
            "POST /api/ot/paso/editar (step status)",
            "/api/ot/paso/editar",
            "bearer",
            method="POST",
            script="api_step.lua",
        ),
        Endpoint(
            "api_create",
            "POST /api/ot/crear (OT with its steps)",
            "/api/ot/crear",
            "bearer",
            method="POST",
            script="api_create.lua",
        ),
        Endpoint(
            "page_step",
            "POST /ot/paso/<id> (step status, htmx + CSRF)",
            "/ot/paso/{id}",
            "session",
            method="POST",
            script="page_step.lua",
            htmx=True,
        ),
    ]


SIZE_ENDPOINTS = ("ceiling", "list", "search", "deep")


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn -w 2 on a free loopback port; stopped by its pid."""

    def __init__(self, name: str, app: str, env: dict, workers: int, chdir: Path):
        self.name = name
        self.port = free_port()
        self.log = DATA / f"gunicorn-{name}.log"
        cmd = [
            str(VENV_BIN / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--chdir",
            str(chdir),
            "--log-level",
            "warning",
            app,
        ]
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(cmd, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)

    def wait_ready(self, path: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn {self.name} exited: see {self.log}")
            try:
                status, _, _ = http_request(self.port, "GET", path)
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn {self.name} did not answer in {timeout} s: see {self.log}")

    def workers(self) -> list[int]:
        pid = self.proc.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            out = []
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == pid:
                    out.append(int(stat.parent.name))
            return out

    def memory(self) -> list[dict]:
        out = []
        for wpid in self.workers():
            status = Path(f"/proc/{wpid}/status").read_text()
            values = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M))
            out.append(
                {
                    "pid": wpid,
                    "rss_mb": round(int(values.get("VmRSS", 0)) / 1024, 1),
                    "peak_mb": round(int(values.get("VmHWM", 0)) / 1024, 1),
                }
            )
        return out

    def stop(self) -> None:
        workers = self.workers()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for wpid in workers:  # normally gone with their master
            with contextlib.suppress(ProcessLookupError):
                os.kill(wpid, signal.SIGKILL)


def http_request(port: int, method: str, path: str, headers: dict | None = None, body: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, response.getheaders(), data
    finally:
        conn.close()


def session_cookie(headers) -> str | None:
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith("session="):
            return value.split(";", 1)[0]
    return None


def login(port: int, username: str, password: str) -> tuple[str, str]:
    """GET /login for the CSRF token, POST /login, then GET / for the session's CSRF token."""
    status, headers, body = http_request(port, "GET", "/login")
    cookie = session_cookie(headers)
    token = CSRF_FORM_RE.search(body.decode()).group(1)
    form = urlencode({"username": username, "password": password, "csrf_token": token, "next": ""})
    status, headers, _ = http_request(
        port,
        "POST",
        "/login",
        {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        form,
    )
    if status != 302:
        raise SystemExit(f"login as {username} failed ({status})")
    cookie = session_cookie(headers)
    status, headers, body = http_request(port, "GET", "/", {"Cookie": cookie})
    cookie = session_cookie(headers) or cookie  # now holding the CSRF secret too
    match = CSRF_PAGE_RE.search(body.decode())
    if status != 200 or not match:
        raise SystemExit(f"no CSRF token on / after login ({status})")
    return cookie, match.group(1)


# --------------------------------------------------------------------------- CPU accounting

TICK = os.sysconf("SC_CLK_TCK")


def cpu_busy() -> float:
    """Seconds of CPU time spent busy (all cores) since boot, from /proc/stat."""
    values = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / TICK


def process_cpu(pids) -> dict[int, float]:
    """CPU seconds (user + system) of each process, from /proc/<pid>/stat."""
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
    return out


def postgres_pids() -> list[int]:
    """The PostgreSQL server's processes: on a PostgreSQL run they work for us, not against us."""
    pids = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        with contextlib.suppress(OSError):
            if comm.read_text().strip() == "postgres":
                pids.append(int(comm.parent.name))
    return pids


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class CpuMeter:
    """CPU used by other processes (not our gunicorns, not wrk, not the PostgreSQL server of a
    PostgreSQL run) while a measurement runs, in cores."""

    def __init__(self, pids, postgres: bool = False):
        self.pids = list(pids)
        self.postgres = postgres

    def _ours(self) -> list[int]:
        return self.pids + (postgres_pids() if self.postgres else [])

    def __enter__(self):
        self.t0 = time.monotonic()
        self.busy0, self.ours0, self.kids0 = cpu_busy(), process_cpu(self._ours()), children_cpu()
        return self

    def __exit__(self, *exc):
        wall = time.monotonic() - self.t0
        busy = cpu_busy() - self.busy0
        ours1 = process_cpu(self._ours())
        ours = sum(v - self.ours0.get(pid, 0.0) for pid, v in ours1.items()) + children_cpu() - self.kids0
        self.other_cores = max(0.0, (busy - ours) / wall) if wall > 0 else 0.0
        self.our_cores = ours / wall if wall > 0 else 0.0


def wait_quiet(pids: list[int], threshold: float, max_wait: float, postgres: bool = False) -> float:
    """Wait (up to max_wait s) until other processes use less than `threshold` cores over 1 s."""
    deadline = time.monotonic() + max_wait
    announced = False
    while True:
        with CpuMeter(pids, postgres) as meter:
            time.sleep(1)
        if meter.other_cores < threshold or time.monotonic() >= deadline:
            if announced:
                print(f"    (other processes now at {meter.other_cores:.2f} cores)", flush=True)
            return meter.other_cores
        if not announced:
            print(
                f"    waiting for a quiet machine: other processes use {meter.other_cores:.2f} cores "
                f"(up to {max_wait:.0f} s)",
                flush=True,
            )
            announced = True


# --------------------------------------------------------------------------- wrk


def wrk(url: str, script: str, args: list[str], duration: float, connections: int, threads: int) -> dict:
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(LUA / script),
        url,
        "--",
        *args,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    line = next((x for x in out.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if out.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed on {url}:\n{out.stdout}\n{out.stderr}")
    data = json.loads(line[len("WRKJSON ") :])
    seconds = data["duration_us"] / 1e6
    data["rps"] = data["requests"] / seconds if seconds else 0.0
    data["errors"] = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return data


# --------------------------------------------------------------------------- in process


class InProcess:
    """The app in this process on the same database: a logged-in browser and a bearer API client."""

    def __init__(self, db_url: str, info: dict, nonce: str):
        from ot_app import create_app
        from ot_app.extensions import db

        self.db = db
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": SECRET_KEY})
        self.info = info
        self.nonce = nonce
        self.steps = info["step_ids"]
        self.browser = self.app.test_client()
        page = self.browser.get("/login").get_data(as_text=True)
        token = CSRF_FORM_RE.search(page).group(1)
        form = {"username": info["username"], "password": info["password"], "csrf_token": token}
        response = self.browser.post("/login", data=form)
        if response.status_code != 302:
            raise SystemExit(f"in-process login failed ({response.status_code})")
        self.csrf = CSRF_PAGE_RE.search(self.browser.get("/").get_data(as_text=True)).group(1)
        self.api = self.app.test_client()
        self.bearer = {"Authorization": f"Bearer {info['token']}"}
        with self.app.app_context():
            self.engine = db.engine
        self.serial = 0

    def call(self, ep: Endpoint):
        """One request to `ep` (writes get a new folio, another step, another status each time)."""
        self.serial += 1
        n = self.serial
        steps = self.steps
        if ep.name == "api_step":
            body = {
                "id": steps[n % len(steps)],
                "estatus_paso": 1 + n % 3,
                "comentario": f"Revisión {self.nonce}-{n}",
            }
            return self.api.post(ep.path, json=body, headers=self.bearer)
        if ep.name == "api_create":
            body = create_body(f"INPROC-{self.nonce}", n, self.info)
            return self.api.post(ep.path, json=body, headers=self.bearer)
        if ep.name == "page_step":
            return self.browser.post(
                f"/ot/paso/{steps[(n + 300) % len(steps)]}",
                data={"estatus_paso": 1 + n % 3, "comentario": f"Revisión {self.nonce}-{n}"},
                headers={"X-CSRFToken": self.csrf, "HX-Request": "true"},
            )
        headers = {"HX-Request": "true"} if ep.htmx else {}
        if ep.auth == "bearer":
            return self.api.get(ep.path, headers={**self.bearer, **headers})
        return self.browser.get(ep.path, headers=headers)

    def close(self) -> None:
        with self.app.app_context():
            self.db.session.remove()
            self.db.engine.dispose()


def in_process(db_url: str, eps: list[Endpoint], info: dict, nonce: str, repeat: int = 5) -> dict:
    """Statements of one request (after a first one) and the median time of a request alone."""
    from sqlalchemy import event

    client = InProcess(db_url, info, nonce)
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if (
            not statement.lstrip()
            .upper()
            .startswith(("PRAGMA", "SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK"))
        ):
            statements.append(statement)

    event.listen(client.engine, "before_cursor_execute", count)
    out = {}
    try:
        for ep in eps:
            if ep.server != "app":
                continue
            first = client.call(ep)
            check(ep, first.status_code, first.get_data())
            statements.clear()
            client.call(ep)
            counted = list(statements)
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                client.call(ep)
                times.append((time.perf_counter() - t0) * 1000)
            out[ep.name] = {
                "statements": len(counted),
                "sql": counted,
                "alone_ms": round(statistics.median(times), 2),
            }
    finally:
        event.remove(client.engine, "before_cursor_execute", count)
        client.close()
    return out


def create_body(nonce: str, n: int, info: dict) -> dict:
    return {
        "orden_trabajo": f"OT-BENCH-{nonce}-{n}",
        "id_tipo": 4,
        "id_pte_header": info["pte_id"],
        "oficio_ot": f"PEP-SAP-BENCH-{n}",
        "descripcion_trabajo": "Mantenimiento preventivo de bombas de inyección en Patio Dos Bocas "
        "(alta del banco de pruebas)",
        "responsable_proyecto": info["responsable_id"],
        "responsable_cliente": "Ing. Banco de Pruebas",
        "id_frente": 1,
        "id_patio": info["patio_id"],
        "fecha_inicio_programado": "2026-12-01",
        "fecha_termino_programado": "2027-01-30",
        "plazo_dias": 60,
        "monto_mxn": "1250000.00",
        "monto_usd": "0",
    }


def current_ot(db_url: str) -> int:
    """The newest current, active version: its edit page is a page (a replaced one redirects)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT max(id) FROM ote WHERE vigente AND estatus = 1")).scalar()
    engine.dispose()
    return found


def check(ep: Endpoint, status: int, body: bytes) -> None:
    if status != 200:
        raise SystemExit(f"{ep.name}: {ep.method} {ep.path} answered {status}: {body[:300]!r}")
    if ep.auth == "bearer" and not json.loads(body).get("exito"):
        raise SystemExit(f"{ep.name}: {body[:300]!r}")


# --------------------------------------------------------------------------- one run


def measure(db_url: str, only: list[str] | None, opts) -> dict:
    db_url = absolute_url(db_url)
    info = load_credentials(db_url)
    revision, head = database_revision(db_url), head_revision()
    if revision != head and not opts.allow_stale:
        raise SystemExit(
            f"{db_url} was built at migration {revision}, the code is at {head}: measuring it would "
            f"miss the newest schema (indexes). Regenerate: python bench/generate.py --db {db_url} "
            f"--ots {info['ots']} (or pass --allow-stale)"
        )
    source = sqlite_path(db_url)
    run_url = db_url
    copy = None
    if source is not None and not opts.no_copy:
        copy = source.with_name(source.stem + ".run.db")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        with contextlib.closing(sqlite3.connect(source)) as conn:  # fold any WAL into the file first
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(source, copy)
        run_url = f"sqlite:///{copy}"
    info.setdefault("edit_ot_id", current_ot(run_url))
    eps = [e for e in endpoints(info, opts.search) if not only or e.name in only]
    nonce = datetime.now().strftime("%H%M%S")
    steps_file = DATA / f"steps-{nonce}.txt"
    steps_file.write_text("\n".join(map(str, info["step_ids"])) + "\n")

    print(f"# {db_url} ({info['ots']:,} OTs){' → copy ' + str(copy.name) if copy else ''}", flush=True)
    postgres = source is None
    results = {}
    app = ceiling = None
    try:
        wait_quiet([], opts.quiet, opts.max_wait, postgres)
        counts = in_process(run_url, eps, info, nonce)
        env = {"DATABASE_URL": run_url, "SECRET_KEY": SECRET_KEY, "PYTHONDONTWRITEBYTECODE": "1"}
        app = Gunicorn("app", "wsgi:app", env, opts.workers, ROOT)
        ceiling_page.snapshot(run_url, info)  # the list's current markup, this database's page 1
        ceiling = Gunicorn("ceiling", "ceiling:app", {}, opts.workers, BENCH)
        app.wait_ready("/login")
        ceiling.wait_ready("/")
        cookie, csrf = login(app.port, info["username"], info["password"])
        session_headers = [f"Cookie: {cookie}"]
        bearer = f"Bearer {info['token']}"
        runs = list(eps)
        if any(e.name == "ceiling" for e in eps) and len(eps) > 1:
            runs.append(
                Endpoint("ceiling_end", "ceiling again, after the others", "/", "none", server="ceiling")
            )
        for phase, ep in enumerate(runs):
            port = app.port if ep.server == "app" else ceiling.port
            url = f"http://127.0.0.1:{port}{ep.path if '{' not in ep.path else '/'}"
            probe_headers = {}
            if ep.auth == "session":
                probe_headers["Cookie"] = cookie
            elif ep.auth == "bearer":
                probe_headers["Authorization"] = bearer
            if ep.htmx:
                probe_headers["HX-Request"] = "true"

            def args_for(tag: str, ep=ep, probe_headers=probe_headers, phase=phase) -> list[str]:
                if ep.script == "get.lua":
                    gzip = ["Accept-Encoding: gzip"] if opts.gzip else []  # as a browser asks
                    return [f"{k}: {v}" for k, v in probe_headers.items()] + gzip
                if ep.script == "api_step.lua":
                    return [info["token"], str(steps_file), f"{nonce}{phase}{tag}"]
                if ep.script == "api_create.lua":
                    return [
                        info["token"],
                        f"{nonce}{phase}{tag}",
                        str(info["pte_id"]),
                        str(info["patio_id"]),
                        str(info["responsable_id"]),
                    ]
                if ep.script == "page_step.lua":
                    return [str(steps_file), f"{nonce}{phase}{tag}", *session_headers, f"X-CSRFToken: {csrf}"]
                raise AssertionError(ep.script)

            if ep.method == "GET":
                status, _, body = http_request(port, "GET", ep.path, probe_headers)
                check(ep, status, body)
            ours = [app.proc.pid, *app.workers(), ceiling.proc.pid, *ceiling.workers()]
            best = None
            for attempt in range(1 + opts.retries):
                wait_quiet(ours, opts.quiet, opts.max_wait, postgres)
                wrk(url, ep.script, args_for(f"w{attempt}"), opts.warmup, opts.connections, opts.threads)
                with CpuMeter(ours, postgres) as meter:
                    data = wrk(
                        url, ep.script, args_for(f"m{attempt}"), opts.duration, opts.connections, opts.threads
                    )
                data["other_cpu_cores"] = round(meter.other_cores, 2)
                data["our_cpu_cores"] = round(meter.our_cores, 2)
                data["attempt"] = attempt + 1  # which measurement this is (the least disturbed is kept)
                if best is None or data["other_cpu_cores"] < best["other_cpu_cores"]:
                    best = data
                if data["other_cpu_cores"] <= opts.max_other or attempt == opts.retries:
                    break
                print(
                    f"    {ep.name}: other processes used {data['other_cpu_cores']:.2f} cores during the "
                    "measurement; measuring again",
                    flush=True,
                )
            data = best
            data["measurements"] = attempt + 1
            if opts.single_seconds > 0:
                # One connection: the latency of a request alone, through gunicorn, without queueing.
                wait_quiet(ours, opts.quiet, opts.max_wait, postgres)
                with CpuMeter(ours, postgres) as meter:
                    one = wrk(url, ep.script, args_for("s"), opts.single_seconds, 1, 1)
                data["single"] = {k: one[k] for k in ("rps", "p50_us", "p99_us", "requests", "errors")}
                data["single"]["other_cpu_cores"] = round(meter.other_cores, 2)
            data["bytes_per_request"] = round(data["bytes"] / data["requests"]) if data["requests"] else 0
            data.update(counts.get(ep.name, {}))
            data["label"] = ep.label
            results[ep.name] = data
            print(
                f"  {ep.name:<12} {data['rps']:8.1f} req/s  p50 {data['p50_us'] / 1000:8.2f} ms  "
                f"p99 {data['p99_us'] / 1000:8.2f} ms  {data['bytes_per_request']:>8,} B  "
                f"other CPU {data['other_cpu_cores']:.2f}"
                f"{'  errors ' + str(data['errors']) if data['errors'] else ''}",
                flush=True,
            )
        memory = {"app": app.memory(), "ceiling": ceiling.memory()}
    finally:
        for server in (app, ceiling):
            if server is not None:
                server.stop()
        steps_file.unlink(missing_ok=True)
        if copy is not None and not opts.keep_copy:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)

    ceilings = [results[k]["rps"] for k in ("ceiling", "ceiling_end") if k in results]
    base = statistics.mean(ceilings) if ceilings else None
    for data in results.values():
        data["ratio"] = round(data["rps"] / base, 3) if base else None
    return {
        "database": db_url,
        "ots": info["ots"],
        "rows": info.get("counts", {}),
        "load_seconds": info.get("load_seconds"),
        "ceiling_rps": round(base, 1) if base else None,
        "results": results,
        "memory": memory,
    }


def sqlite_path(url: str) -> Path | None:
    from generate import _sqlite_path

    return _sqlite_path(url)


# --------------------------------------------------------------------------- reports


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "",
    )
    debian = Path("/etc/debian_version").read_text().strip() if Path("/etc/debian_version").exists() else ""
    mem = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False).stdout.split(
        "\n"
    )[0]
    gunicorn_version = subprocess.run(
        [str(VENV_BIN / "gunicorn"), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(int(mem.group(1)) / 1024**2, 1) if mem else None,
        "os": f"Debian {debian}" if debian else platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "wrk": wrk_version,
        "gunicorn": gunicorn_version,
        "commit": commit,
        # Work in progress of others measured with the commit (the tree is shared).
        "uncommitted": [
            line[3:]
            for line in subprocess.run(
                [
                    "git",
                    "-C",
                    str(ROOT),
                    "status",
                    "--porcelain",
                    "--",
                    "ot_app",
                    "templates",
                    "migrations",
                    "wsgi.py",
                ],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.splitlines()
        ],
    }


def fmt_ms(us: float) -> str:
    ms = us / 1000
    return f"{ms:.1f}" if ms < 100 else f"{ms:,.0f}"


def _single(d: dict) -> str:
    return fmt_ms(d["single"]["p50_us"]) if "single" in d else "—"


def markdown(run: dict, settings: dict, info: dict) -> str:
    rows = ", ".join(
        f"{k} {v:,}"
        for k, v in run["rows"].items()
        if k in ("pte_header", "ote", "ot_detalle", "actividad_log")
    )
    lines = [
        f"# Benchmark {settings['date']} — {run['ots']:,} OTs ({Path(run['database']).name})",
        "",
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory_gib']} GiB, {info['os']}, "
        f"Python {info['python']}, SQLite {info['sqlite']}, {info['gunicorn']}, {info['wrk']}. "
        f"wrk shares the cores with gunicorn. Code: `{info['commit']}`"
        + (f" plus uncommitted {', '.join(info['uncommitted'])}" if info.get("uncommitted") else "")
        + ".",
        "",
        f"`wrk -t{settings['threads']} -c{settings['connections']} -d{settings['duration']}s --latency` after "
        f"a {settings['warmup']} s warm-up, gunicorn {settings['workers']} sync workers. "
        f"Data: {rows} (generated in {run['load_seconds']} s).",
        "",
        "| endpoint | req/s | p50 ms | p99 ms | vs ceiling | SQL/req | bytes/resp "
        "| p50 ms, 1 conn | alone ms | other CPU | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, d in run["results"].items():
        sql = 0 if name in ("ceiling", "ceiling_end") else d.get("statements", "—")
        lines.append(
            f"| {d['label']} | {d['rps']:,.1f} | {fmt_ms(d['p50_us'])} | {fmt_ms(d['p99_us'])} | "
            f"{d['ratio'] * 100:.0f} % | {sql} | {d['bytes_per_request']:,} | {_single(d)} | "
            f"{d.get('alone_ms', '—')} | {d['other_cpu_cores']:.2f} | {d['errors'] or ''} |"
        )
    lines.append("")
    for server, workers in run["memory"].items():
        desc = ", ".join(f"{w['rss_mb']:.0f} MB (peak {w['peak_mb']:.0f} MB)" for w in workers)
        lines.append(f"RSS per {server} worker after the run: {desc}.")
    lines += [
        "",
        "*vs ceiling*: throughput as a share of the ceiling's (mean of its two runs, first and last). "
        "*SQL/req*: statements of one request, in process (transaction control and PRAGMAs not counted). "
        "*p50 ms, 1 conn*: `wrk -t1 -c1` for a few seconds, a request alone through gunicorn, no queueing "
        "(at 16 connections on 2 workers, p50 is about 16 / req/s: Little's law). "
        "*alone ms*: median of 5 requests one at a time through the Flask test client, no HTTP. "
        "*other CPU*: cores used by processes other than gunicorn and wrk during the measurement "
        f"(the machine is shared; a row is measured again, up to {settings['retries']} times, when above "
        f"{settings['max_other']}; "
        "on PostgreSQL the server's processes count as ours).",
        "",
    ]
    return "\n".join(lines)


def sizes_markdown(runs: list[dict], settings: dict, info: dict) -> str:
    sizes = [r["ots"] for r in runs]
    lines = [
        f"# Benchmark {settings['date']} — cost against data size ({', '.join(f'{s:,}' for s in sizes)} OTs)",
        "",
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['os']}, Python {info['python']}, "
        f"SQLite {info['sqlite']}; wrk shares the cores. Code: `{info['commit']}`. "
        f"`wrk -t{settings['threads']} -c{settings['connections']} -d{settings['duration']}s` after a "
        f"{settings['warmup']} s warm-up; then `wrk -t1 -c1` for the latency of a request alone.",
        "",
        "Generation: " + ", ".join(f"{r['ots']:,} OTs in {r['load_seconds']} s" for r in runs) + ".",
        "",
        "| endpoint | "
        + " | ".join(f"{s:,}: req/s · p50 · p99 ms · p50 1 conn" for s in sizes)
        + " | req/s ratio | p50 1 conn ratio |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " | ---: | ---: |",
    ]
    names = [n for n in runs[0]["results"] if all(n in r["results"] for r in runs)]
    for name in names:
        cells = []
        for r in runs:
            d = r["results"][name]
            cells.append(f"{d['rps']:,.1f} · {fmt_ms(d['p50_us'])} · {fmt_ms(d['p99_us'])} · {_single(d)}")
        first, last = runs[0]["results"][name], runs[-1]["results"][name]
        rps_ratio = last["rps"] / first["rps"] if first["rps"] else 0
        one = "—"
        if "single" in first and "single" in last and first["single"]["p50_us"]:
            one = f"× {last['single']['p50_us'] / first['single']['p50_us']:.1f}"
        lines.append(f"| {first['label']} | " + " | ".join(cells) + f" | × {rps_ratio:.2f} | {one} |")
    lines += [
        "",
        f"Ratios: largest size ({sizes[-1]:,}) over smallest ({sizes[0]:,}), {sizes[-1] / sizes[0]:.0f}× the data. "
        "A latency ratio near the data ratio means the cost grows linearly with the number of OTs.",
        "",
    ]
    return "\n".join(lines)


def write(stem: str, payload: dict, text: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{stem}.json").write_text(
        json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n"
    )
    (RESULTS / f"{stem}.md").write_text(text)
    print()
    print(text)
    print(f"written: bench/results/{stem}.json, bench/results/{stem}.md")


def size_label(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite:///bench/data/ot_100k.db")
    parser.add_argument("--duration", type=float, default=10, help="seconds of measurement per endpoint")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--only", help="comma-separated endpoint names (ceiling is always measured)")
    parser.add_argument("--search", default=SEARCH, help="search term")
    parser.add_argument(
        "--sizes", help="e.g. 10000,100000: generate when missing and compare list/search/deep"
    )
    parser.add_argument("--regenerate", action="store_true", help="--sizes: generate even if the file exists")
    parser.add_argument(
        "--all", action="store_true", help="--sizes: every endpoint at each size, and each size's full table"
    )
    parser.add_argument("--no-copy", action="store_true", help="SQLite: measure the file itself, not a copy")
    parser.add_argument(
        "--allow-stale", action="store_true", help="measure a database older than the migrations"
    )
    parser.add_argument("--keep-copy", action="store_true", help="SQLite: keep the measured copy")
    parser.add_argument("--no-write", action="store_true", help="print only, write no result file")
    parser.add_argument(
        "--quiet",
        type=float,
        default=0.15,
        help="before each endpoint, wait until other processes use fewer cores than this (default 0.15)",
    )
    parser.add_argument(
        "--max-wait", type=float, default=600, help="longest wait for a quiet machine, seconds"
    )
    parser.add_argument(
        "--max-other",
        type=float,
        default=0.2,
        help="measure again when other processes used more cores than this during a measurement",
    )
    parser.add_argument(
        "--gzip", action="store_true", help="GET with Accept-Encoding: gzip, as browsers do (compression.py)"
    )
    parser.add_argument("--retries", type=int, default=3, help="at most this many measurements again")
    parser.add_argument(
        "--single-seconds",
        type=float,
        default=5,
        help="then wrk -t1 -c1 for this long: p50 of a request alone through gunicorn (0: skip)",
    )
    opts = parser.parse_args(argv)
    # A TERM (or INT in a background job, where it is ignored) still stops gunicorn and removes the copy.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    only = None
    if opts.only:
        only = {"ceiling", *(x.strip() for x in opts.only.split(",") if x.strip())}
        known = {e.name for e in endpoints({"detail_ot_id": 1}, "")}
        if only - known:
            parser.error(
                f"unknown endpoint(s) {', '.join(sorted(only - known))}; known: {', '.join(sorted(known))}"
            )
    settings = {
        "date": date.today().isoformat(),
        "duration": opts.duration,
        "warmup": opts.warmup,
        "connections": opts.connections,
        "threads": opts.threads,
        "workers": opts.workers,
        "search": opts.search,
        "single_seconds": opts.single_seconds,
        "max_other": opts.max_other,
        "retries": opts.retries,
        "gzip": opts.gzip,
    }
    info = machine()

    if opts.sizes:
        sizes = sorted(int(x.replace("_", "")) for x in opts.sizes.split(","))
        runs = []
        for n in sizes:
            url = f"sqlite:///{DATA / f'ot_{size_label(n)}.db'}"
            command = [sys.executable, str(BENCH / "generate.py"), "--db", url, "--ots", str(n)]
            subprocess.run(command if opts.regenerate else [*command, "--if-stale"], check=True)
            run = measure(url, None if opts.all else list(only or SIZE_ENDPOINTS), opts)
            runs.append(run)
            if opts.all and not opts.no_write:  # the whole table of each size too
                stem = f"{settings['date']}-ot_{size_label(n)}-{info['commit']}"
                write(stem, {"settings": settings, "machine": info, **run}, markdown(run, settings, info))
        if opts.no_write:
            print(sizes_markdown(runs, settings, info))
        else:
            payload = {"settings": settings, "machine": info, "runs": runs}
            write(f"{settings['date']}-sizes-{info['commit']}", payload, sizes_markdown(runs, settings, info))
        return 0

    run = measure(opts.db, list(only) if only else None, opts)
    database = Path(run["database"]).stem if run["database"].startswith("sqlite") else "postgresql"
    stem = f"{settings['date']}-{database}-{info['commit']}" + ("-gzip" if opts.gzip else "")
    text = markdown(run, settings, info)
    if opts.no_write:
        print(text)
    else:
        write(stem, {"settings": settings, "machine": info, **run}, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
