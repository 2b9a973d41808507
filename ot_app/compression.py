"""gzip on the wire, with the kept markup compressed once.

Pages and API answers go out gzip-compressed to a client that accepts it (every browser does): the
OT list's 46 KB is about 10 KB on the wire. Compressing 46 KB costs about 1 ms, half of what a kept
page costs to serve, so the markup `views.cached_render` keeps (`keep`) is compressed once per worker,
as raw deflate blocks that end on a byte boundary (a sync flush). An answer is then spliced: what is
the request's own (the page around the kept markup: menu, flashes) is compressed on its own, the kept
blocks are copied in, and one gzip header and trailer wrap the whole. A deflate stream may be cut into
such blocks anywhere; the browser sees one ordinary gzip body.

The request's CSRF token is never compressed: it goes out as a stored (uncompressed) block of its own,
so no part of a page (a search text, a posted value) shares a compression window with it, and the
answer's length says nothing about it (BREACH).

Not compressed: small answers, streamed ones (exports, files, static files: `direct_passthrough`),
what is already encoded, and types other than HTML and JSON.
"""

from __future__ import annotations

import struct
import zlib

from flask import current_app, g, request

MIN_SIZE = 1400  # below a packet, gzip saves nothing worth its header
TYPES = ("text/html", "application/json")
LEVEL = 6
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # gzip, deflate, no name, no mtime, unknown OS
_END = b"\x03\x00"  # an empty final block: every segment before it ends with a sync flush
_KEPT_MAX = 64  # kept markups' blocks per worker (~10 KB compressed + 46 KB of bytes for a list page)
_kept: dict[str, list[tuple[bytes, bytes]]] = {}


def _deflate(data: bytes, level: int = LEVEL) -> bytes:
    """Raw deflate blocks that end on a byte boundary, not final: they can be followed by others."""
    # A request's own parts are a few KB: a 4 KB window and less memory cost a third to set up.
    small = len(data) <= 4096
    compressor = zlib.compressobj(level, zlib.DEFLATED, -12 if small else -15, 5 if small else 8)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def keep(markup: str, cut: str | None = None) -> None:
    """This request prints `markup`, which the worker keeps: its compressed blocks are made once per
    markup and used by every answer that holds it. `cut` is a placeholder the request replaces
    (views.TOKEN_SLOT): the parts between its occurrences are kept, each on its own."""
    if "ot_kept" not in g:
        g.ot_kept = []
    parts = _kept.get(markup)
    if parts is None:
        if len(_kept) >= _KEPT_MAX:
            _kept.pop(next(iter(_kept)))  # the oldest: what a newer data version replaced
        pieces = markup.split(cut) if cut else [markup]
        parts = [(p.encode(), _deflate(p.encode())) for p in pieces if len(p) >= MIN_SIZE]
        _kept[markup] = parts
    g.ot_kept.extend(parts)


def gzip_body(body: bytes, kept: list[tuple[bytes, bytes]] = (), secrets: tuple[bytes, ...] = ()) -> bytes:
    """`body` as one gzip member: the kept parts it holds copied as their blocks (the largest
    matched first, none overlapping), each secret as stored bytes, the rest compressed here."""
    spans = []  # (start, end, blocks): the largest first, since a kept page holds kept fragments
    for raw, blocks in sorted(kept, key=lambda part: -len(part[0])):
        found = _find(body, raw)
        while found >= 0 and any(found < end and start < found + len(raw) for start, end, _ in spans):
            found = _find(body, raw, found + 1)
        if found >= 0:  # else it changed after it was kept: compressed with the rest
            spans.append((found, found + len(raw), blocks))
    out = [_HEADER]
    at = 0
    for start, end, blocks in sorted(spans, key=lambda span: span[0]):
        out.extend(_fresh(body[at:start], secrets))
        out.append(blocks)
        at = end
    out.extend(_fresh(body[at:], secrets))
    out.append(_END)
    out.append(struct.pack("<II", zlib.crc32(body), len(body) & 0xFFFFFFFF))
    return b"".join(out)


def _find(body: bytes, raw: bytes, at: int = 0) -> int:
    """Where `raw` is in `body`: its first bytes searched, the rest compared (a long needle's
    search costs several times a comparison)."""
    head = raw[:64]
    found = body.find(head, at)
    while found >= 0 and not body.startswith(raw, found):
        found = body.find(head, found + 1)
    return found


def _fresh(data: bytes, secrets: tuple[bytes, ...]) -> list[bytes]:
    """Blocks for bytes that are this request's own; a secret in them is stored, not compressed, and
    what lies on either side of it is compressed apart."""
    for secret in secrets:
        if secret and secret in data:
            out = []
            for i, part in enumerate(data.split(secret)):
                if i:
                    out.append(_deflate(secret, level=0))
                out.extend(_fresh(part, secrets))
            return out
    return [_deflate(data)] if data else []


def compress(response):
    """after_request: gzip the answer when the client takes it and it is worth it."""
    response.vary.add("Accept-Encoding")
    if (
        response.direct_passthrough
        or response.is_streamed
        or response.status_code < 200
        or response.status_code in (204, 304)
        or "Content-Encoding" in response.headers
        or response.mimetype not in TYPES
        or request.accept_encodings["gzip"] <= 0
    ):
        return response
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    secrets = (token.encode(),) if isinstance(token, str) else ()
    response.set_data(gzip_body(body, g.get("ot_kept", ()), secrets))
    response.headers["Content-Encoding"] = "gzip"
    return response


def init_app(app) -> None:
    # Registered first, so it runs last: after_request functions run in reverse order, and every
    # other one (security headers, Cache-Control) must see the answer before it is compressed.
    app.after_request(compress)
