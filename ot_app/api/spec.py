"""Each /api operation's OpenAPI metadata, declared beside its route: `@operation` adds the route to
the blueprint and records what the document says about it; api/openapi.py assembles the document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..fields import ID_MAX
from . import bp


@dataclass(frozen=True)
class FormBody:
    """A body read by a form. `partial`: absent fields keep their value, so only `required` is
    required; otherwise the form's required fields are, plus `required`."""

    form_class: type
    description: str
    exclude: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    partial: bool = False
    examples: dict[str, tuple[str, dict]] | None = None  # name → (summary, value)


@dataclass(frozen=True)
class IdBody:
    """A body that is only the `id` of the record to act on."""

    description: str
    example: str


@dataclass(frozen=True)
class UploadBody:
    """A multipart/form-data body with a file: `fields` maps each part to its JSON Schema."""

    description: str
    fields: dict[str, dict]
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class JsonBody:
    """A JSON-only body with nested lists (a program's rows): its schema written beside the route."""

    description: str
    schema: dict
    example: dict | None = None


@dataclass(frozen=True)
class Param:
    name: str
    schema: dict
    description: str | None = None
    required: bool = False
    example: object = None
    where: str = "query"


@dataclass(frozen=True)
class Answer:
    """A success envelope, a component of the document: its `tipo_aviso` values, its `datos` (a
    Shape or `list[Shape]`) and its other keys with their types."""

    name: str
    avisos: tuple[str, ...] = ("exito",)
    datos: object = None
    extra: dict[str, type] = field(default_factory=dict)
    exito: bool = True  # False: a refusal that still carries `datos` (an import's report, 422)
    media: str | tuple[str, ...] | None = (
        None  # a download: the 200 is this media type (or these), not the envelope
    )


EXITO = Answer("Exito", ("exito", "advertencia"))
CREADA = Answer("CreadaRespuesta", ("exito", "advertencia"), extra={"id_nuevo": int})
EDITADA = Answer("EditadaRespuesta", ("exito", "advertencia"), extra={"version": int})

# The error answers each kind of operation documents (the envelopes of api/openapi.py).
READ_CODES = (400, 401, 404)
CREATE_CODES = (400, 401, 403, 409, 413)
WRITE_CODES = (400, 401, 403, 404, 409, 413)

ID_QUERY = {"type": "integer", "minimum": 1, "maximum": ID_MAX}


def step_file_body(pasos: str) -> UploadBody:
    """The body of a step deliverable upload (OT and PTE steps alike: ot_app.steps)."""
    from ..steps import DELIVERABLE_MAX_BYTES

    return UploadBody(
        f"`id` del paso (de `{pasos}`) y `archivo`: PDF, imagen (PNG, JPEG, GIF, WebP), xlsx, docx o "
        f"zip, juzgado por su contenido, hasta {DELIVERABLE_MAX_BYTES // (1024 * 1024)} MB. Reemplaza "
        "el archivo anterior del paso; queda en el historial.",
        {
            "id": {"type": "string", "pattern": r"^[1-9][0-9]{0,9}$"},  # openapi.ID_TEXT
            "archivo": {"type": "string", "contentMediaType": "application/octet-stream"},
        },
        required=("id", "archivo"),
    )


UPLOAD_CODES = (400, 401, 403, 404, 409, 413, 422)
DOWNLOAD = Answer("ArchivoEntregable", media="application/octet-stream")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # as OpenAPI writes it: /api/catalogos/{nombre}
    operation_id: str  # the view's name, which is also its endpoint
    tag: str
    summary: str
    answer: Answer
    ok: str  # what the 200 answer means
    codes: tuple[int, ...]
    description: str | None = None
    body: FormBody | IdBody | UploadBody | JsonBody | None = None
    parameters: tuple[Param, ...] = ()
    # Error codes answered with an envelope of their own instead of the generic Error.
    refusals: tuple[tuple[int, Answer], ...] = ()


OPERATIONS: list[Operation] = []


def operation(method: str, rule: str, **metadata):
    """Route `rule` (relative to /api) for `method` and record its metadata (see Operation)."""

    def decorate(view):
        bp.add_url_rule(rule, view_func=view, methods=[method])
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", bp.url_prefix + rule)
        OPERATIONS.append(Operation(method.lower(), path, view.__name__, **metadata))
        return view

    return decorate
