"""Per-request time and weight of the pages in process (no server, no wrk): the WSGI call timed with
`time.perf_counter` (wall) and `time.process_time` (this process's CPU: steadier on a shared
machine, where other processes' load stretches wall times), the median of n calls.

    python bench/timing.py [--db sqlite:///bench/data/ot_100k.db] [--only list,search,deep,detail,edit] [-n 200]
    python bench/timing.py --after-write        # every call the first after a write (nothing cached)

Prints one line per endpoint: bytes, wall p50 and p90, CPU p50, in ms. The database's own time is in
the wall figure only when it is another process (PostgreSQL).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from generate import absolute_url, load_credentials  # noqa: E402
from run import SEARCH, InProcess, current_ot, endpoints  # noqa: E402

DEFAULT = "list,search,deep,detail,edit"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite:///bench/data/ot_100k.db")
    parser.add_argument("--only", default=DEFAULT)
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument(
        "--after-write",
        action="store_true",
        help="bump the data version before each call (untimed): what a page costs when nothing is cached",
    )
    opts = parser.parse_args(argv)
    url = absolute_url(opts.db)
    info = load_credentials(url)
    inproc = InProcess(url, info, "timing")
    info.setdefault("edit_ot_id", current_ot(url))  # a replaced version's edit page redirects
    by_name = {e.name: e for e in endpoints(info, SEARCH)}
    bump = _bumper(url) if opts.after_write else (lambda: None)
    print(f"{'endpoint':<14} {'bytes':>8} {'p50 ms':>7} {'p90 ms':>7} {'CPU p50':>7}")
    for name in [x.strip() for x in opts.only.split(",") if x.strip()]:
        ep = by_name[name]
        body = inproc.call(ep).get_data()  # warm-up (caches, compiled statements)
        times, cpu = [], []
        for _ in range(opts.n):
            bump()
            start, start_cpu = time.perf_counter(), time.process_time()
            response = inproc.call(ep)
            response.get_data()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            if response.status_code >= 400:
                raise SystemExit(f"{name}: {response.status_code}")
        times.sort()
        p90 = times[int(len(times) * 0.9)]
        print(
            f"{name:<14} {len(body):>8} {statistics.median(times):>7.2f} {p90:>7.2f} {statistics.median(cpu):>7.2f}"
        )
    return 0


def _bumper(db_url: str):
    """A write as another worker would make it: the data version goes up, every cached page is stale."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)

    def bump():
        with engine.begin() as conn:
            conn.execute(text("UPDATE version_datos SET n = n + 1 WHERE id = 1"))

    return bump


if __name__ == "__main__":
    raise SystemExit(main())
