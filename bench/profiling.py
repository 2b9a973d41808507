"""Profile endpoints in process with pyinstrument (requirements-dev.txt), on a generated database.

    python bench/profiling.py --endpoint detail [--db sqlite:///bench/data/ot_100k.db] [-n 30]
    python bench/profiling.py --endpoint list,deep,detail

Each endpoint is called once to warm up, then n times under the profiler (the Flask test client,
the same requests as bench/run.py). Writes bench/results/<date>-profile-<endpoint>-<database>.txt
(the call tree, slowest branches first) and prints it. Write endpoints run on a copy of the file.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from generate import _sqlite_path, absolute_url, load_credentials  # noqa: E402
from run import RESULTS, SEARCH, InProcess, check, current_ot, endpoints  # noqa: E402

WRITES = {"api_step", "api_create", "page_step"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite:///bench/data/ot_100k.db")
    parser.add_argument("--endpoint", required=True, help="comma-separated names, as in bench/run.py --only")
    parser.add_argument("-n", type=int, default=30, help="requests under the profiler (default 30)")
    parser.add_argument("--search", default=SEARCH)
    parser.add_argument("--interval", type=float, default=0.0005, help="sampling interval, seconds")
    opts = parser.parse_args(argv)
    try:
        from pyinstrument import Profiler
    except ImportError:
        raise SystemExit("pyinstrument is missing: .venv/bin/pip install -r requirements-dev.txt") from None

    url = absolute_url(opts.db)
    info = load_credentials(url)
    info.setdefault("edit_ot_id", current_ot(url))  # a replaced version's edit page redirects
    names = [x.strip() for x in opts.endpoint.split(",") if x.strip()]
    by_name = {e.name: e for e in endpoints(info, opts.search)}
    unknown = [n for n in names if n not in by_name or by_name[n].server != "app"]
    if unknown:
        parser.error(f"unknown endpoint(s): {', '.join(unknown)}")

    run_url = url
    copy = None
    source = _sqlite_path(url)
    if source is not None and WRITES & set(names):
        copy = source.with_name(source.stem + ".profile.db")
        with contextlib.closing(sqlite3.connect(source)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(source, copy)
        run_url = f"sqlite:///{copy}"
    stem = source.stem if source else "postgresql"
    commit = subprocess.run(
        ["git", "-C", str(BENCH.parent), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    client = InProcess(run_url, info, time.strftime("P%H%M%S"))
    try:
        for name in names:
            ep = by_name[name]
            first = client.call(ep)
            check(ep, first.status_code, first.get_data())
            profiler = Profiler(interval=opts.interval)
            t0 = time.perf_counter()
            profiler.start()
            for _ in range(opts.n):
                client.call(ep)
            profiler.stop()
            per_request = (time.perf_counter() - t0) / opts.n * 1000
            header = (
                f"# {ep.label}: {ep.method} {ep.path} on {info['ots']:,} OTs ({stem}), code {commit}\n"
                f"# {opts.n} requests in process (Flask test client), {per_request:.1f} ms each under the profiler\n"
                f"# pyinstrument, interval {opts.interval * 1000:.1f} ms; times are totals over the {opts.n} requests\n\n"
            )
            text = header + profiler.output_text(unicode=True, color=False, show_all=False)
            RESULTS.mkdir(parents=True, exist_ok=True)
            out = RESULTS / f"{date.today().isoformat()}-profile-{name}-{stem}-{commit}.txt"
            out.write_text(text)
            print(text)
            print(f"written: {out.relative_to(BENCH.parent)}")
    finally:
        client.close()
        if copy is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
