"""Helpers every page blueprint shares: page-or-fragment rendering, toasts, navigation after a write."""

import json
from collections.abc import Callable, Hashable

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from . import compression, data_version
from .auth.security import is_htmx
from .errors import TITLES
from .service_errors import ServiceError


def wants_fragment() -> bool:
    """An htmx request for part of a page; a history restore (Back after a miss) needs the page."""
    return is_htmx() and request.headers.get("HX-History-Restore-Request") != "true"


def render(page_template: str, fragment: str, status: int = 200, **context):
    """The same URL answers the whole page or its fragment; caches must tell them apart."""
    response = make_response(
        render_template(fragment if wants_fragment() else page_template, **context), status
    )
    response.headers["Vary"] = "HX-Request"
    return response


def render_around(page_template: str, fragment: Markup, status: int = 200, **context):
    """`render` for a fragment already rendered (`cached_render`): htmx gets it alone; the page
    template gets `context`, in which the page's content (holding the fragment) is already rendered."""
    body = fragment if wants_fragment() else render_template(page_template, **context)
    response = make_response(body, status)
    response.headers["Vary"] = "HX-Request"
    return response


def rendered(template: str, **context) -> Markup:
    """A template's output, to print in another template (`cached_render`) without escaping again."""
    return Markup(render_template(template, **context))  # noqa: S704 - Jinja escaped it


def cached_render(name: str, key: Hashable, compute: Callable):
    """`compute()` (markup) once per (URL, role, `key`, data version) (data_version.cached). For markup
    that shows only data: no form token, nothing of the user beyond the role. Every write bumps the
    data version, so the next request renders it again, in every worker."""
    url = (request.path, tuple(sorted(request.args.items(multi=True))))
    role = (current_user.puede("editor"), current_user.puede("admin"))
    value = data_version.cached(name, (url, role, key), compute)
    for part in value if isinstance(value, tuple) else (value,):
        if isinstance(part, Markup):
            compression.keep(part, cut=TOKEN_SLOT)  # its gzip blocks, made once (compression.py)
    return value


# Where a cached form's CSRF token goes: the markup is rendered with this in its place (templates call
# `csrf_token()`; `token_slot` is that function for a cached render) and `with_token` puts in the
# request's own. The token is the session's: it is never kept.
TOKEN_SLOT = "csrf-token-slot-7d1e0b"  # noqa: S105 - a placeholder, not a secret


def token_slot() -> str:
    return TOKEN_SLOT


def with_token(html: Markup) -> Markup:
    """Cached markup with the request's CSRF token where `token_slot` left its place."""
    return Markup(html.replace(TOKEN_SLOT, generate_csrf()))  # noqa: S704 - Jinja escaped it; the token is URL-safe


def cached_fragment(fragment: str, context: Callable[[], dict]) -> Markup:
    """`fragment` rendered by `cached_render`; the page template prints it where it would include
    it, so page and fragment stay one template."""
    return cached_render(fragment, None, lambda: rendered(fragment, **context()))


def list_url(endpoint: str, default_sort: str, **changes) -> str:
    """The current list's URL with some parameters changed (sort links, pager): empty values, the
    first page and the default sort are left out, so one view has one URL."""
    args = request.args.to_dict()
    args.update(changes)
    args = {k: v for k, v in args.items() if v not in (None, "")}
    if args.get("orden") == default_sort:
        args.pop("orden")
    if str(args.get("page", "")) == "1":
        args.pop("page")
    return url_for(endpoint, **args)


def toast_header(message: str, kind: str = "exito") -> str:
    return json.dumps({"toast": {"message": message, "kind": kind}})


def with_toast(response, message: str, kind: str = "exito"):
    response = make_response(response)
    response.headers["HX-Trigger"] = toast_header(message, kind)
    return response


def go(url: str, message: str | None = None, kind: str = "exito"):
    """After a successful write: flash the message and navigate (HX-Redirect for htmx)."""
    if message:
        flash(message, kind)
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)


def action_error(err: ServiceError):
    """A small action (row, step, delete) failed: keep the page as it is and say why in a toast."""
    html = render_template(
        "errors/_error.html", code=err.status, title=TITLES.get(err.status, "Error"), message=err.detalles
    )
    response = make_response(html, err.status)
    response.headers["HX-Reswap"] = "none"
    if err.status in (409, 422):  # swapped statuses raise no responseError: toast explicitly
        response.headers["HX-Trigger"] = toast_header(err.detalles, "error")
    return response
