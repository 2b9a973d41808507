"""Login throttling with Flask-Limiter.

Two counts of failed logins, each in a moving window of LOGIN_WINDOW_MINUTES (15):

- per (username, client IP) pair, LOGIN_MAX_FAILURES (10): the main limit. Guessing one account
  from one place stops there, yet nobody can lock a colleague out: the same account with its right
  password from another address still logs in, and other people behind the same IP (an office
  behind one NAT or proxy) are not affected.
- per client IP, LOGIN_IP_MAX_FAILURES (100): a ceiling against spraying many usernames (or API
  tokens) from one address. API calls with a bad bearer token count here too.

Over either, the login answers 429 with an honest Retry-After (when the oldest failure that keeps
the block leaves the window) before the password is checked. Only failures count: a successful
login neither counts nor clears the count.

The limit is not a plain per-route limit (it counts failures only, under two keys, and must refuse
the attempt before the password is checked), so the view asks the limiter's configured strategy
and storage directly instead of decorating the route. Each app gets its own Limiter: its storage
comes from RATELIMIT_STORAGE_URI ("memory://" per process, a redis:// URL shared by every worker
and host), and a new app (each test) starts from an empty count.
"""

from __future__ import annotations

import math
import time

from flask import current_app, request
from flask_limiter import Limiter
from limits import RateLimitItemPerMinute

EXTENSION = "ot_limiter"


def client_ip() -> str:
    """The client's address (after ProxyFix when TRUST_PROXY_HOPS is set)."""
    return request.remote_addr or "-"


def init_app(app) -> Limiter:
    limiter = Limiter(
        key_func=client_ip,
        storage_uri=app.config.get("RATELIMIT_STORAGE_URI") or "memory://",
        strategy=app.config.get("RATELIMIT_STRATEGY", "moving-window"),
        default_limits=[],
        headers_enabled=False,
    )
    limiter.init_app(app)
    app.extensions[EXTENSION] = limiter
    return limiter


def _limiter() -> Limiter:
    return current_app.extensions[EXTENSION]


def _limits() -> dict[str, RateLimitItemPerMinute]:
    cfg = current_app.config
    window = int(cfg["LOGIN_WINDOW_MINUTES"])
    return {
        "ip": RateLimitItemPerMinute(int(cfg["LOGIN_IP_MAX_FAILURES"]), window),
        "usuario_ip": RateLimitItemPerMinute(int(cfg["LOGIN_MAX_FAILURES"]), window),
    }


def _keys(username: str | None) -> list[tuple[str, str]]:
    """(kind, value) of the counts this attempt belongs to: its IP, and its (username, IP) pair."""
    ip = client_ip()
    keys = [("ip", ip)]
    name = (username or "").strip().lower()[:80]
    if name:
        keys.append(("usuario_ip", f"{name}|{ip}"))
    return keys


def blocked(username: str | None = None) -> tuple[str, int] | None:
    """(which count is full: "ip" or "usuario_ip", seconds until the next attempt may go through)
    or None when the attempt may be checked. Without a username, only the IP's ceiling is asked."""
    strategy = _limiter().limiter
    limits = _limits()
    refused = []
    for kind, value in _keys(username):
        if not strategy.test(limits[kind], "login", kind, value):
            reset_at, _ = strategy.get_window_stats(limits[kind], "login", kind, value)
            refused.append((max(1, math.ceil(reset_at - time.time())), kind))
    if not refused:
        return None
    seconds, kind = max(refused)  # both full: the later one is when an attempt really goes through
    return kind, seconds


def record_failure(username: str | None = None) -> None:
    """Count one failed login (or, without a username, one bad API token) against its keys."""
    strategy = _limiter().limiter
    limits = _limits()
    for kind, value in _keys(username):
        strategy.hit(limits[kind], "login", kind, value)


def reset() -> None:
    """Forget every count (the storage is shared: in production this clears it for all workers)."""
    _limiter().reset()
