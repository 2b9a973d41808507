"""Helpers every page blueprint shares: page-or-fragment rendering, toasts, navigation after a write."""

import json

from flask import flash, make_response, redirect, render_template, request, url_for

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
