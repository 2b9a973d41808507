"""Uploaded files: one implementation for every upload (annexes, step deliverables, ...).

The type is told by content, never by name; the stream is read bounded; files are stored by their
SHA-256 under <instance>/archivos/<area>/ (outside static/, so only send_stored serves them)."""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, request, send_file

from .service_errors import NotFound, ServiceError

CHUNK = 64 * 1024
HEAD = 8 * 1024
NAME_MAX = 255
AREA_RE = re.compile(r"^[a-z0-9_]{1,40}$")

# What a person calls each type in a message.
LABELS = {
    "pdf": "PDF",
    "png": "PNG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "webp": "WebP",
    "xlsx": "Excel (xlsx/xlsm)",
    "docx": "Word (docx)",
    "zip": "ZIP",
    "xls": "Excel 97-2003 (xls)",
    "text": "texto (CSV)",
}


class UploadRefused(ServiceError):
    """An upload refused as a whole: a Spanish message beside the file field."""

    status = 422

    def __init__(self, detalles: str, status: int | None = None):
        super().__init__(detalles, {"archivo": detalles}, status=status)


@dataclass(frozen=True)
class StoredFile:
    nombre: str  # the name the user's file had (shown, and offered again on download)
    tamano: int
    sha256: str
    tipo: str  # what sniff() said
    ruta: str  # relative to the files root: <area>/<sha256>


@dataclass(frozen=True)
class Upload:
    """An upload read into memory (bounded), not stored yet: a dry run looks and forgets."""

    nombre: str
    data: bytes
    tipo: str | None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


# --- type by content -------------------------------------------------------------------------


def _zip_kind(names) -> str:
    names = set(names)
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    return "zip"


def _zip_names_from_local_headers(head: bytes) -> list[str]:
    """The names of the local file headers found in `head` (a truncated zip has no central
    directory, but every entry starts with its name in clear)."""
    names = []
    for match in re.finditer(rb"PK\x03\x04", head):
        start = match.start()
        if start + 30 > len(head):
            break
        name_len = int.from_bytes(head[start + 26 : start + 28], "little")
        raw = head[start + 30 : start + 30 + name_len]
        names.append(raw.decode("utf-8", "replace"))
    return names


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            # final=False: a multibyte character cut at the end of the head is not an error.
            decoder.decode(head, final=False)
            return True
        except UnicodeDecodeError:
            continue
    return False


def sniff(head: bytes) -> str | None:
    """The file's type by its first bytes (or all of them): pdf, png, jpeg, gif, webp, xlsx,
    docx, zip, xls, text; None when it is none of these."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(head)) as archive:
                return _zip_kind(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return _zip_kind(_zip_names_from_local_headers(head))
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if _is_text(head):
        return "text"
    return None


def sniff_path(path: Path) -> str | None:
    """sniff() of a file on disk: a zip is told apart by its central directory."""
    with open(path, "rb") as fh:
        head = fh.read(HEAD)
    kind = sniff(head)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                return _zip_kind(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return kind
    return kind


# --- reading an upload -----------------------------------------------------------------------


def check_filename(nombre: str | None) -> str:
    """The upload's own name, refused when it carries a path or control characters."""
    nombre = (nombre or "").strip()
    if not nombre:
        raise UploadRefused("seleccione un archivo")
    if "/" in nombre or "\\" in nombre or ".." in nombre:
        raise UploadRefused("el nombre del archivo no debe incluir una ruta")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in nombre):
        raise UploadRefused("el nombre del archivo contiene caracteres no válidos")
    if len(nombre) > NAME_MAX:
        raise UploadRefused(f"el nombre del archivo excede {NAME_MAX} caracteres")
    return nombre


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _too_large(max_bytes: int) -> UploadRefused:
    return UploadRefused(f"el archivo excede el tamaño permitido ({_megabytes(max_bytes)})", status=413)


def _chunks(storage, max_bytes: int):
    """The stream in chunks, refused as soon as it passes max_bytes (never read whole first)."""
    total = 0
    stream = storage.stream
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > max_bytes:
            raise _too_large(max_bytes)
        yield chunk
    if total == 0:
        raise UploadRefused("el archivo está vacío")


def _check_type(tipo: str | None, allowed: frozenset[str]) -> str:
    if tipo not in allowed:
        visto = LABELS.get(tipo, "desconocido") if tipo else "desconocido"
        aceptados = ", ".join(LABELS.get(t, t) for t in sorted(allowed))
        raise UploadRefused(f"tipo de archivo no permitido ({visto}); se aceptan: {aceptados}")
    return tipo


def read_upload(storage, *, max_bytes: int) -> Upload:
    """The upload in memory (bounded by max_bytes), with its name checked and its type sniffed;
    the caller decides on the type (an importer says more than "not allowed")."""
    if storage is None:
        raise UploadRefused("seleccione un archivo")
    nombre = check_filename(storage.filename)
    data = b"".join(_chunks(storage, max_bytes))
    # A zip is told apart by its central directory, at the end: sniff it whole.
    return Upload(nombre, data, sniff(data if data.startswith(b"PK") else data[:HEAD]))


# --- storing ---------------------------------------------------------------------------------


def files_root() -> Path:
    configured = current_app.config.get("ARCHIVOS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "archivos"


def _area_dir(area: str) -> Path:
    if not AREA_RE.match(area):  # a programming error, never user input
        raise ValueError(f"área no válida: {area!r}")
    folder = files_root() / area
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_temp(chunks, folder: Path) -> tuple[Path, str, int]:
    """The chunks in a temporary file beside their final place, with their SHA-256 and size."""
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".subiendo-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        os.unlink(tmp_name)
        raise
    return Path(tmp_name), digest.hexdigest(), size


def _finalize(tmp: Path, folder: Path, sha: str) -> None:
    """Rename into place: a reader never sees half a file, and the same content lands on the same
    name (idempotent; a second copy is dropped)."""
    final = folder / sha
    if final.exists():
        tmp.unlink()
    else:
        os.replace(tmp, final)


def store_upload(upload: Upload, *, area: str) -> StoredFile:
    """Store an upload already read (read_upload) and accepted by its caller."""
    folder = _area_dir(area)
    tmp, sha, size = _write_temp([upload.data], folder)
    _finalize(tmp, folder, sha)
    return StoredFile(upload.nombre, size, sha, upload.tipo or "", f"{area}/{sha}")


def save_upload(storage, *, allowed: frozenset[str], max_bytes: int, area: str) -> StoredFile:
    """Check and store an upload: refused when empty, over max_bytes, of a type not in `allowed`,
    or named with a path or control characters. Nothing refused is kept."""
    if storage is None:
        raise UploadRefused("seleccione un archivo")
    nombre = check_filename(storage.filename)
    folder = _area_dir(area)
    tmp, sha, size = _write_temp(_chunks(storage, max_bytes), folder)
    try:
        tipo = _check_type(sniff_path(tmp), allowed)
    except BaseException:
        tmp.unlink()
        raise
    _finalize(tmp, folder, sha)
    return StoredFile(nombre, size, sha, tipo, f"{area}/{sha}")


def stored_path(stored: StoredFile) -> Path:
    root = files_root().resolve()
    path = (root / stored.ruta).resolve()
    if root not in path.parents:
        raise NotFound("No se encontró el archivo.")
    return path


def send_stored(stored: StoredFile):
    """The stored file as a download: never rendered by the browser, whatever it holds."""
    path = stored_path(stored)
    if not path.is_file():
        raise NotFound("El archivo ya no está disponible.")
    response = send_file(
        path,
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=stored.nombre,  # werkzeug adds filename* (RFC 5987) for non-ASCII names
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- request bodies larger than MAX_CONTENT_LENGTH -------------------------------------------


def accepts_upload(max_body: int):
    """Mark a view as taking a body up to `max_body` bytes (an upload) instead of the app's
    MAX_CONTENT_LENGTH; init_app's hook applies it before anything parses the form."""

    def decorate(view):
        view.max_body = max_body
        return view

    return decorate


def _raise_body_limit():
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    limit = getattr(view, "max_body", None)
    if limit:
        request.max_content_length = limit


def init_app(app) -> None:
    """Register before the login/CSRF hook: the CSRF check already parses the form."""
    app.before_request(_raise_body_limit)


__all__ = [
    "UploadRefused",
    "StoredFile",
    "Upload",
    "sniff",
    "sniff_path",
    "read_upload",
    "store_upload",
    "save_upload",
    "send_stored",
    "accepts_upload",
    "init_app",
]
