"""Security headers on every answer.

flask-talisman writes the Content-Security-Policy, X-Content-Type-Options, Referrer-Policy and
X-Frame-Options, and, only when FORCE_HTTPS is set, the redirect to HTTPS and HSTS. It does not
fight htmx: htmx runs here without eval (allowEval false), without its inline indicator styles
(includeIndicatorStyles false) and without hx-on attributes, and no template holds an inline
script, an on*= handler or a style= attribute, so the policy needs no 'unsafe-inline' anywhere.

Talisman has no Cache-Control; `no_store` below adds it to every answer but static files
(pages, fragments, API answers and error pages all carry per-user data or a CSRF token).
"""

from __future__ import annotations

from flask import request
from flask_talisman import Talisman

CSP = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def init_app(app) -> Talisman:
    force_https = bool(app.config.get("FORCE_HTTPS"))
    talisman = Talisman()
    talisman.init_app(
        app,
        force_https=force_https,
        strict_transport_security=force_https,
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="same-origin",
        # Talisman would otherwise force Secure cookies (and break the plain-HTTP intranet).
        session_cookie_secure=bool(app.config.get("SESSION_COOKIE_SECURE")),
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        x_content_type_options=True,
    )
    app.after_request(no_store)
    return talisman


def no_store(response):
    # A view that chose its own caching keeps it; nothing does today.
    if not request.path.startswith("/static/") and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response
