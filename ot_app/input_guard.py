"""Text no database can store is refused at the door, for every page and API route alike.

PostgreSQL refuses a NUL character in text ("A string literal cannot contain NUL (0x00)
characters"), which was a 500 for a page form on PostgreSQL while SQLite stored it silently; and
no database encodes a lone surrogate. The JSON API already checks its decoded bodies
(api/request.py); this hook checks the query string and form fields of every request, with the
same Spanish messages, so a page form gets a 400 instead of a 500 on one database and a silently
stored control character on the other.

Wire it after the login/CSRF hook (security.init_app), so an anonymous client still gets its 401:
    input_guard.init_app(app)
"""

from flask import request

from .errors import fail


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def check_text(kind: str, name: str | None, value: str) -> None:
    if not _storable(name or ""):  # werkzeug names a multipart part named "" None
        fail(400, f"Un {kind} de la solicitud tiene un nombre con caracteres no admitidos.")
    if not _storable(value):
        fail(
            400,
            f"El {kind} {name} contiene caracteres no admitidos (un carácter nulo o texto que no es UTF-8).",
        )


def check_request_text() -> None:
    for name, value in request.args.items(multi=True):
        check_text("parámetro", name, value)
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        # Parsing the form here is what the view would do anyway (and a body over
        # MAX_CONTENT_LENGTH is the same 413 it would be there).
        for name, value in request.form.items(multi=True):
            # A multipart part named "" comes back from werkzeug with the name None.
            check_text("campo", name or "", value)


def init_app(app) -> None:
    app.before_request(check_request_text)
