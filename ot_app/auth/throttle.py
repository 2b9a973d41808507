"""Login throttling with Flask-Limiter.

After LOGIN_MAX_FAILURES failed logins (10) for one username, or from one client IP, within
LOGIN_WINDOW_MINUTES (15, a moving window), the login answers 429 until the oldest failure leaves
the window. Only failures count: a successful login neither counts nor clears the count.

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


def _limit() -> RateLimitItemPerMinute:
    cfg = current_app.config
    return RateLimitItemPerMinute(int(cfg["LOGIN_MAX_FAILURES"]), int(cfg["LOGIN_WINDOW_MINUTES"]))


def _keys(username: str) -> list[tuple[str, str]]:
    name = (username or "").strip().lower()[:80]
    keys = [("ip", client_ip())]
    if name:
        keys.append(("usuario", name))
    return keys


def blocked(username: str) -> tuple[str, int] | None:
    """(which key is blocked: "ip" or "usuario", seconds to wait) or None when the login may try."""
    strategy = _limiter().limiter
    limit = _limit()
    for kind, value in _keys(username):
        if not strategy.test(limit, "login", kind, value):
            reset_at, _ = strategy.get_window_stats(limit, "login", kind, value)
            return kind, max(1, math.ceil(reset_at - time.time()))
    return None


def record_failure(username: str) -> None:
    strategy = _limiter().limiter
    limit = _limit()
    for kind, value in _keys(username):
        strategy.hit(limit, "login", kind, value)


def reset() -> None:
    """Forget every count (the storage is shared: in production this clears it for all workers)."""
    _limiter().reset()
