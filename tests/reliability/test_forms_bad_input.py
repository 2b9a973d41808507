"""Every form, page and API alike, posted with bad fields gives its Spanish error and changes
nothing (issue 6, "Bad input"): (a) a required field missing or blank, (b) an oversized value
(a 10,000-character folio, a 100,000-character description), (c) a wrongly typed value (letters in
ids, amounts, dates; a negative amount; an impossible date; an id that does not exist), (d) unknown
extra fields next to a bad one, (e) a NUL character in a text field.

Each answer is a 4xx (never a 5xx, never a success) carrying the field's Spanish message (the page
shows it; the API's envelope says it), and the OT, step, PTE, catalog, rule tables and the activity
log are the same row for row before and after. Unknown fields next to good data are ignored: they
cannot set a column the form does not offer (estatus, created_by, folio_norm, an approved status).

One test per form posts all its variants on one app (fast); the failure lists every variant that
failed, by name."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from ot_app.extensions import db
from ot_app.models import OTE, Cliente, OTDetalle, PasoOt, Patio, PTEHeader, ReglaPaso, normalize_folio
from ot_app.orders.routes import vals_from_ot

from .. import factories
from ..conftest import Api, csrf_token

NUL_MESSAGE = "contiene caracteres no admitidos"
# Extra fields no form offers, some named like columns a request must never set.
UNKNOWN = {
    "campo_inexistente": "x",
    "estatus": "0",
    "created_by": "1",
    "updated_by": "1",
    "folio_norm": "otro",
}
SPANISH = re.compile(r"\b(el|la|los|las|de|del|no|es|debe|un|una|admite|obligatori[oa])\b", re.IGNORECASE)
UNWATCHED = {"usuario", "api_token"}  # a login and a token's last use are not the form's doing


# --------------------------------------------------------------------------- what each form takes


@dataclass
class F:
    """A field: its message when missing, when too long, for each wrong value; free text or not."""

    name: str
    required: str | None = None
    long: tuple[int, str] | None = None
    wrong: tuple[tuple[str, str], ...] = ()
    text: bool = False


@dataclass
class Form:
    who: str  # "editor", "admin" (browser sessions) or "api", "api_admin" (bearer tokens)
    url: Callable
    base: Callable  # good data: the variants change one thing in it
    fields: list[F]
    partial: bool = False  # an edit: a required field is sent blank rather than left out
    fragment: bool = True  # the page asks with htmx

    @property
    def is_api(self) -> bool:
        return self.who.startswith("api")


ID_WRONG = "no es un identificador válido"
DATE_WRONG = "no es una fecha válida (use AAAA-MM-DD)"

OT_FIELDS = [
    F(
        "orden_trabajo",
        "El Folio de la OT es obligatorio",
        (10_000, "El folio admite hasta 100 caracteres."),
        text=True,
    ),
    F(
        "id_tipo",
        "El tipo de OT es obligatorio.",
        wrong=(
            ("cuatro", f"El tipo de OT {ID_WRONG}."),
            ("7", "El tipo de OT debe ser 4 (OT inicial) o 5 (OT reprogramada)."),
        ),
    ),
    F(
        "descripcion_trabajo",
        "La descripción del trabajo es obligatoria.",
        (100_000, "La descripción admite hasta 5,000 caracteres."),
        text=True,
    ),
    F(
        "responsable_proyecto",
        "El responsable de proyecto es obligatorio.",
        wrong=(
            ("Ing. Pérez", f"El responsable de proyecto {ID_WRONG}."),
            ("999999", "El responsable de proyecto con ID 999999 no existe."),
        ),
    ),
    F(
        "responsable_cliente",
        "El responsable del cliente es obligatorio.",
        (10_000, "El responsable del cliente admite hasta 150 caracteres."),
        text=True,
    ),
    F(
        "id_pte_header",
        "La PTE padre es obligatoria.",
        wrong=(("PTE-001", f"La PTE padre {ID_WRONG}."), ("999999", "La PTE con ID 999999 no existe.")),
    ),
    F(
        "id_patio",
        "En un frente de Tierra el patio es obligatorio.",
        wrong=(("Dos Bocas", f"El patio {ID_WRONG}."),),
    ),
    F("id_frente", wrong=(("tierra", f"El frente {ID_WRONG}."),)),
    F(
        "id_cliente",
        wrong=(("-2", f"El cliente {ID_WRONG}."), ("999999", "El cliente con ID 999999 no existe.")),
    ),
    F("oficio_ot", long=(10_000, "El oficio admite hasta 100 caracteres."), text=True),
    F("comentario_general", long=(100_000, "El comentario admite hasta 5,000 caracteres."), text=True),
    F(
        "monto_mxn",
        wrong=(
            ("un millón", "El monto en MXN no es un importe válido (ejemplo: 1,234.50)."),
            ("-5.00", "El monto en MXN no puede ser negativo."),
            ("1.999", "El monto en MXN admite como máximo 2 decimales."),
            ("１２３", "El monto en MXN no es un importe válido (ejemplo: 1,234.50)."),
        ),
    ),
    F("monto_usd", wrong=(("12,34.5", "El monto en USD no es un importe válido (ejemplo: 1,234.50)."),)),
    F("plazo_dias", wrong=(("diez", "El plazo en días debe ser un número entero mayor o igual a 0."),)),
    F(
        "fecha_inicio_programado",
        wrong=(
            ("01/02/2026", f"La fecha de inicio programado {DATE_WRONG}."),
            ("2026-02-30", f"La fecha de inicio programado {DATE_WRONG}."),
        ),
    ),
    F(
        "fecha_termino_programado",
        wrong=(("2026-01-01", "La fecha de término programado no puede ser anterior a la de inicio."),),
    ),
]
VERSION = F("version", wrong=(("v2", "La versión debe ser un número entero mayor o igual a 0."),))
# On a page the version is a hidden input nobody types: a tampered one is refused (4xx, nothing
# changed), but there is no field beside which to say so.
VERSION_PAGE = F("version", wrong=(("v2", None),))
ACTIVO = F("activo", wrong=(("quizá", "El valor de «activo» debe ser 1 (activo) o 0 (inactivo)."),))
ROW_FIELDS = [
    VERSION_PAGE,
    F(
        "responsable_proyecto",
        "El responsable de proyecto es obligatorio.",
        wrong=(("Ing. Pérez", f"El responsable de proyecto {ID_WRONG}."),),
    ),
    F(
        "id_estatus_ot",
        wrong=(
            ("programada", f"El estatus de la OT {ID_WRONG}."),
            ("999999", "El estatus de la OT con ID 999999 no existe."),
        ),
    ),
    F("fecha_inicio_real", wrong=(("2026-13-01", f"La fecha de inicio real {DATE_WRONG}."),)),
    F(
        "fecha_termino_real",
        wrong=(("2025-01-01", "La fecha de término real no puede ser anterior a la de inicio."),),
    ),
    F("comentario_general", long=(100_000, "El comentario admite hasta 5,000 caracteres."), text=True),
]
STEP_FIELDS = [
    F(
        "estatus_paso",
        wrong=(
            ("completado", f"El estatus del paso {ID_WRONG}."),
            ("9", "El estatus del paso debe ser 1, 2, 3 o 4."),
        ),
    ),
    F("comentario", long=(100_000, "El comentario del paso admite hasta 1,000 caracteres."), text=True),
]
PTE_FIELDS = [
    F(
        "oficio_pte",
        "El oficio de la PTE es obligatorio.",
        (10_000, "El oficio admite hasta 100 caracteres."),
        text=True,
    ),
    F(
        "descripcion",
        "La descripción de la PTE es obligatoria.",
        (100_000, "La descripción admite hasta 5,000 caracteres."),
        text=True,
    ),
    F(
        "id_cliente",
        "El cliente es obligatorio.",
        wrong=(("Pemex", f"El cliente {ID_WRONG}."), ("999999", "El cliente con ID 999999 no existe.")),
    ),
    F("responsable_proyecto", wrong=(("x", f"El responsable de proyecto {ID_WRONG}."),)),
    F("fecha_solicitud", wrong=(("15/01/2026", f"La fecha de solicitud {DATE_WRONG}."),)),
    F("plazo_dias", wrong=(("noventa", "El plazo en días debe ser un número entero mayor o igual a 0."),)),
    F("monto_mxn", wrong=(("$1,000", "El monto en MXN no es un importe válido (ejemplo: 1,234.50)."),)),
]
NOMBRE = F(
    "nombre", "El nombre es obligatorio.", (10_000, "El nombre admite hasta 150 caracteres."), text=True
)


def _ot_base(w) -> dict:
    return factories.ot_payload(w.pte, w.responsable, patio=w.patio)


def _ot_edit_base(w) -> dict:
    # Without the pickers' typed text: the page would find the PTE by it when the id is blank.
    vals = {k: v for k, v in w.ot_vals.items() if k not in ("pte_buscar", "principal_buscar")}
    return {**vals, "descripcion_trabajo": "Nuevo alcance del trabajo"}


def _pte_base(w) -> dict:
    return {
        "oficio_pte": "PTE-NUEVA-2026",
        "descripcion": "Inspección de ductos",
        "id_cliente": "2",
        "responsable_proyecto": str(w.responsable.id),
        "fecha_solicitud": "2026-01-15",
        "plazo_dias": "90",
        "monto_mxn": "1,500,000.00",
        "monto_usd": "0",
    }


FORMS: dict[str, Form] = {
    # Browser pages
    "pagina_ot_nueva": Form("editor", lambda w: "/ot/nueva", _ot_base, OT_FIELDS),
    "pagina_ot_editar": Form(
        "editor", lambda w: f"/ot/{w.ot.id}/editar", _ot_edit_base, [VERSION_PAGE, *OT_FIELDS], partial=True
    ),
    "pagina_ot_fila": Form(
        "editor",
        lambda w: f"/ot/{w.ot.id}/fila",
        lambda w: {
            "version": w.ot_vals["version"],
            "responsable_proyecto": str(w.responsable.id),
            "id_estatus_ot": "2",
            "fecha_inicio_real": "2026-02-03",
            "comentario_general": "Arrancó",
        },
        ROW_FIELDS,
        partial=True,
    ),  # fmt: skip
    "pagina_ot_paso": Form(
        "editor",
        lambda w: f"/ot/paso/{w.step}",
        lambda w: {"estatus_paso": "2", "comentario": "En revisión"},
        STEP_FIELDS,
    ),
    "pagina_pte_nueva": Form("editor", lambda w: "/pte/nueva", _pte_base, PTE_FIELDS, fragment=False),
    "pagina_pte_editar": Form(
        "editor",
        lambda w: f"/pte/{w.pte_draft.id}/editar",
        lambda w: {**_pte_base(w), "oficio_pte": w.pte_draft.oficio_pte, "version": str(w.pte_draft.version)},
        [VERSION_PAGE, *PTE_FIELDS],
        partial=True,
        fragment=False,
    ),
    "pagina_catalogo_nuevo": Form(
        "admin", lambda w: "/catalogos/patios", lambda w: {"nombre": "Patio Nuevo"}, [NOMBRE]
    ),
    "pagina_catalogo_editar": Form(
        "admin",
        lambda w: f"/catalogos/patios/{w.patio.id}",
        lambda w: {"nombre": "Patio Renombrado"},
        [NOMBRE, ACTIVO],
        partial=True,
    ),
    "pagina_catalogo_paso_editar": Form(
        "admin",
        lambda w: f"/catalogos/pasos/{w.paso_plantilla}",
        lambda w: {"descripcion": "Verificación de soldaduras en campo"},
        [
            F(
                "descripcion",
                "La descripción del paso es obligatoria.",
                (10_000, "admite hasta 300 caracteres"),
                text=True,
            ),
            ACTIVO,
        ],
        partial=True,
    ),  # fmt: skip
    "pagina_catalogo_paso": Form(
        "admin",
        lambda w: "/catalogos/pasos?tipo=5",
        lambda w: {"descripcion": "Verificación de soldaduras"},
        [
            F(
                "descripcion",
                "La descripción del paso es obligatoria.",
                (10_000, "admite hasta 300 caracteres"),
                text=True,
            )
        ],
    ),
    "pagina_catalogo_regla": Form(
        "admin",
        lambda w: "/catalogos/reglas",
        lambda w: {"id_tipo": "4", "id_cliente": str(w.cliente_sin_regla), "tipo_paso": "5"},
        [
            F("id_tipo", "Seleccione un tipo de OT.", wrong=(("inicial", f"El tipo de OT {ID_WRONG}."),)),
            F(
                "id_cliente",
                wrong=(
                    ("Pemex", f"El cliente {ID_WRONG}."),
                    ("999999", "El cliente con ID 999999 no existe."),
                ),
            ),
            F(
                "tipo_paso",
                "El conjunto de pasos debe ser un número entre 1 y 9,999.",
                wrong=(("cinco", "El conjunto de pasos debe ser un número entre 1 y 9,999."),),
            ),
        ],  # fmt: skip
    ),
    # The JSON API (each variant form-encoded and as JSON)
    "api_ot_crear": Form("api", lambda w: "/api/ot/crear", _ot_base, OT_FIELDS),
    "api_ot_editar": Form(
        "api",
        lambda w: "/api/ot/editar",
        lambda w: {
            "id": str(w.ot.id),
            "version": w.ot_vals["version"],
            "descripcion_trabajo": "Nuevo alcance",
        },
        [
            F("id", "ID del OT no proporcionado", wrong=(("OT-1", f"El ID de la OT {ID_WRONG}."),)),
            VERSION,
            *[f for f in OT_FIELDS if f.name != "id_patio"],
        ],
        partial=True,
    ),  # fmt: skip
    "api_ot_eliminar": Form(
        "api",
        lambda w: "/api/ot/eliminar",
        lambda w: {"id": str(w.ot.id)},
        [
            F(
                "id",
                "ID de la OT no proporcionado",
                wrong=(
                    ("uno", "El ID no es un identificador válido."),
                    ("999999", "No existe la OT con ID 999999."),
                ),
            )
        ],
    ),  # fmt: skip
    "api_ot_restaurar": Form(
        "api_admin",
        lambda w: "/api/ot/restaurar",
        lambda w: {"id": str(w.ot_deleted.id)},
        [F("id", "ID de la OT no proporcionado", wrong=(("uno", "El ID no es un identificador válido."),))],
    ),
    "api_ot_paso": Form(
        "api",
        lambda w: "/api/ot/paso/editar",
        lambda w: {"id": str(w.step), "estatus_paso": "2", "comentario": "En revisión"},
        [
            F(
                "id",
                "ID del paso no proporcionado",
                wrong=(
                    ("paso", f"El ID del paso {ID_WRONG}."),
                    ("999999", "No existe el paso con ID 999999."),
                ),
            ),
            *STEP_FIELDS,
        ],
    ),  # fmt: skip
    "api_pte_crear": Form("api", lambda w: "/api/pte/crear", _pte_base, PTE_FIELDS),
    "api_pte_editar": Form(
        "api",
        lambda w: "/api/pte/editar",
        lambda w: {"id": str(w.pte_draft.id), "version": str(w.pte_draft.version), "descripcion": "Otra"},
        [
            F("id", "ID de la PTE no proporcionado", wrong=(("PTE", f"El ID de la PTE {ID_WRONG}."),)),
            VERSION,
            *PTE_FIELDS,
        ],
        partial=True,
    ),  # fmt: skip
    "api_pte_eliminar": Form(
        "api",
        lambda w: "/api/pte/eliminar",
        lambda w: {"id": str(w.pte_draft.id)},
        [F("id", "ID de la PTE no proporcionado", wrong=(("PTE", f"El ID de la PTE {ID_WRONG}."),))],
    ),
    "api_pte_estatus": Form(
        "api",
        lambda w: "/api/pte/estatus",
        lambda w: {"id": str(w.pte_draft.id), "id_estatus_pte": "2", "version": str(w.pte_draft.version)},
        [
            F("id", "ID de la PTE no proporcionado", wrong=(("PTE", f"El ID de la PTE {ID_WRONG}."),)),
            F(
                "id_estatus_pte",
                "Indique el nuevo estatus de la PTE.",
                wrong=(("enviada", f"El estatus de la PTE {ID_WRONG}."), ("99", "El estatus 99 no existe.")),
            ),
            VERSION,
        ],
    ),  # fmt: skip
}


def variants(form: Form):
    """(label, data, expected message) for every bad variant of the form's good data."""
    for f in form.fields:
        if f.required:
            data = form.base_data.copy()
            if form.partial:
                data[f.name] = ""
            else:
                data.pop(f.name, None)
            yield f"{f.name} falta", data, f.required
            if not form.partial:
                yield f"{f.name} en blanco", {**form.base_data, f.name: "   "}, f.required
        if f.long:
            size, message = f.long
            filler = "Ñ" if size > 20_000 else "A"
            yield f"{f.name} de {size:,} caracteres", {**form.base_data, f.name: filler * size}, message
        for value, message in f.wrong:
            yield f"{f.name}={value!r}", {**form.base_data, f.name: value}, message
    first_wrong = next(((f.name, *f.wrong[0]) for f in form.fields if f.wrong and f.wrong[0][1]), None)
    if first_wrong:
        name, value, message = first_wrong
        yield f"campos desconocidos y {name}={value!r}", {**form.base_data, **UNKNOWN, name: value}, message


def nul_variants(form: Form):
    for f in form.fields:
        if f.text:
            yield f"{f.name} con NUL", {**form.base_data, f.name: "Línea\x00 de descarga"}, NUL_MESSAGE
    yield "nombre de campo con NUL", {**form.base_data, "campo\x00": "x"}, "caracteres no admitidos"


# --------------------------------------------------------------------------- fixtures and checks


@pytest.fixture
def world(app):
    with app.app_context():
        pte = factories.make_pte("PTE-APROBADA-2026", id_cliente=2)
        responsable = factories.make_responsable("Ing. Carlos Pérez")
        patio = factories.make_patio("Patio Dos Bocas")
        pte_draft = factories.make_pte("PTE-BORRADOR-2026", id_cliente=2, estatus_pte=1)
        db.session.commit()
        ot = factories.make_ot(pte=pte, responsable=responsable, patio=patio)
        ot_deleted = factories.make_ot(pte=pte, responsable=responsable, patio=patio, estatus=None)
        ot_deleted.estatus = 0
        db.session.commit()
        step = db.session.scalar(select(OTDetalle.id).where(OTDetalle.id_ot == ot.id).order_by(OTDetalle.id))
        paso_plantilla = db.session.scalar(select(PasoOt.id).where(PasoOt.tipo == 5).order_by(PasoOt.id))
        ot_vals = vals_from_ot(db.session.get(OTE, ot.id))
        with_rule = set(db.session.scalars(select(ReglaPaso.id_cliente).where(ReglaPaso.id_tipo == 4)))
        cliente_sin_regla = db.session.scalar(select(Cliente.id).where(Cliente.id.not_in(with_rule - {None})))
        return SimpleNamespace(
            pte=pte, responsable=responsable, patio=patio, pte_draft=pte_draft, ot=ot, ot_deleted=ot_deleted,
            step=step, ot_vals=ot_vals, cliente_sin_regla=cliente_sin_regla, paso_plantilla=paso_plantilla,
        )  # fmt: skip


@pytest.fixture
def senders(request):
    """senders[who](url, data, as_json, htmx): a POST as that kind of client. Only the clients a
    test uses are made (each is a user with a scrypt password: not free)."""

    def page(client):
        token = csrf_token(client)

        def send(url, data, as_json=False, htmx=True):
            headers = {"X-CSRFToken": token}
            if htmx:
                headers["HX-Request"] = "true"
            return client.post(url, data=data, headers=headers)

        return send

    def bearer(client: Api):
        def send(url, data, as_json=False, htmx=False):
            if as_json:
                return client.post(url, data=json.dumps(data), headers={"Content-Type": "application/json"})
            return client.post(url, data=data)

        return send

    fixtures = {"editor": ("editor_client", page), "admin": ("admin_client", page),
                "api": ("api", bearer), "api_admin": ("api_admin", bearer)}  # fmt: skip

    class Senders(dict):
        def __missing__(self, who):
            fixture, wrap = fixtures[who]
            self[who] = wrap(request.getfixturevalue(fixture))
            return self[who]

    return Senders()


def snapshot(app) -> dict:
    with app.app_context():
        out = {}
        for table in db.metadata.sorted_tables:
            if table.name in UNWATCHED:
                continue
            rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
        db.session.remove()
        return out


def differences(before: dict, after: dict) -> list[str]:
    return [f"{name}: {len(before[name])} → {len(after[name])} filas o valores distintos"
            for name in before if before[name] != after[name]]  # fmt: skip


def refusal_problem(form: Form, r, expected: str | None) -> str | None:
    """None when the answer is a 4xx carrying `expected` in Spanish; else what is wrong with it."""
    text = r.get_data(as_text=True)
    if not 400 <= r.status_code < 500:
        return f"status {r.status_code}: {unescape(text)[:200]!r}"
    if expected is None:
        return None
    if form.is_api:
        if r.mimetype != "application/json":
            return f"not an envelope: {text[:200]!r}"
        body = r.get_json()
        said = [body.get("detalles", ""), *(body.get("errores") or {}).values()]
        if body.get("exito") is not False or not SPANISH.search(body.get("detalles", "")):
            return f"envelope {body}"
        if not any(expected in s for s in said):
            return f"expected {expected!r}, the envelope says {said}"
        return None
    shown = unescape(text)
    if expected not in shown:
        messages = re.findall(r'class="(?:error|alert[^"]*)"[^>]*>([^<]+)<', text)
        return f"expected {expected!r} on the page; it shows {[unescape(m) for m in messages][:5]}"
    return None


def post_all(app, form: Form, send, cases) -> list[str]:
    failures = []
    before = snapshot(app)
    for label, data, expected in cases:
        for as_json in (False, True) if form.is_api else (False,):
            where = f"{label}{' (JSON)' if as_json else ''}"
            r = send(form.url(form.world), data, as_json, form.fragment)
            problem = refusal_problem(form, r, expected)
            after = snapshot(app)
            changed = differences(before, after)
            if problem or changed:
                failures.append(f"{where}: {problem or ''} {'; '.join(changed)}".strip())
                before = after  # report the next variant's own changes, not this one's again
    return failures


def prepared(form_name: str, world) -> Form:
    form = dataclasses.replace(FORMS[form_name])
    form.world = world
    form.base_data = form.base(world)
    return form


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("form_name", list(FORMS))
def test_the_good_data_of_every_form_is_accepted(app, world, senders, form_name):
    """Without this the variants below would prove nothing: only what each one changes is bad."""
    form = prepared(form_name, world)
    r = senders[form.who](form.url(world), form.base_data, False, form.fragment)
    assert r.status_code in (200, 204, 303), (r.status_code, unescape(r.get_data(as_text=True))[:500])
    if form.is_api:
        assert r.get_json()["exito"] is True, r.get_json()


@pytest.mark.parametrize("form_name", list(FORMS))
def test_bad_fields_give_their_spanish_error_and_change_nothing(app, world, senders, form_name):
    form = prepared(form_name, world)
    cases = list(variants(form))
    assert cases
    failures = post_all(app, form, senders[form.who], cases)
    assert not failures, f"{len(failures)} of {len(cases)} variants:\n" + "\n".join(failures)


@pytest.mark.parametrize("form_name", list(FORMS))
def test_a_nul_character_is_refused_and_changes_nothing(app, world, senders, form_name):
    """PostgreSQL cannot store NUL (a 500 there); SQLite stored it silently. The API refuses it in
    api/request.py; the pages through ot_app/input_guard.py."""
    form = prepared(form_name, world)
    failures = post_all(app, form, senders[form.who], list(nul_variants(form)))
    assert not failures, "\n".join(failures)


# --------------------------------------------------------------------------- unknown fields alone


def test_unknown_fields_cannot_set_columns_of_a_new_ot_or_pte(app, world, senders):
    with app.app_context():
        other = factories.make_user("otra_persona", rol="admin").id
        db.session.commit()
    smuggled = {"estatus": "0", "created_by": str(other), "updated_by": str(other), "folio_norm": "otro",
                "version": "99", "id": "777", "id_estatus_pte": "3", "requiere_patio": "1"}  # fmt: skip
    for who, url in (("editor", "/ot/nueva"), ("api", "/api/ot/crear")):
        data = {**_ot_base(world), "orden_trabajo": f"OT-CONTRABANDO-{who}", **smuggled}
        r = senders[who](url, data)
        assert r.status_code in (200, 204, 303), r.get_data(as_text=True)[:300]
        with app.app_context():
            ot = db.session.scalar(select(OTE).where(OTE.orden_trabajo == f"OT-CONTRABANDO-{who}"))
            assert (ot.estatus, ot.version, ot.id != 777) == (1, 1, True)
            assert ot.created_by != other and ot.updated_by != other
            assert ot.folio_norm == normalize_folio(ot.orden_trabajo) and not ot.requiere_patio
    for who, url in (("editor", "/pte/nueva"), ("api", "/api/pte/crear")):
        data = {**_pte_base(world), "oficio_pte": f"PTE-CONTRABANDO-{who}", **smuggled}
        r = senders[who](url, data)
        assert r.status_code in (200, 204, 303), r.get_data(as_text=True)[:300]
        with app.app_context():
            pte = db.session.scalar(select(PTEHeader).where(PTEHeader.oficio_pte == f"PTE-CONTRABANDO-{who}"))
            assert (pte.id_estatus_pte, pte.estatus, pte.version, pte.created_by != other) == (1, 1, 1, True)
    r = senders["admin"]("/catalogos/patios", {"nombre": "Patio Contrabando", "activo": "0", "id": "777"})
    assert r.status_code == 200
    with app.app_context():
        patio = db.session.scalar(select(Patio).where(Patio.nombre == "Patio Contrabando"))
        assert patio.activo and patio.id != 777


def test_unknown_fields_cannot_set_columns_of_an_edited_ot(app, world, senders):
    with app.app_context():
        other = factories.make_user("otra_persona", rol="admin").id
        db.session.commit()
    smuggled = {"estatus": "0", "created_by": str(other), "folio_norm": "otro", "num_reprogramacion": ""}
    r = senders["api"](
        "/api/ot/editar", {"id": str(world.ot.id), "descripcion_trabajo": "Sólo esto", **smuggled}
    )
    assert r.status_code == 200, r.get_json()
    r = senders["editor"](
        f"/ot/{world.ot.id}/fila", {"comentario_general": "Y esto", "descripcion_trabajo": "No"}
    )
    assert r.status_code == 200
    with app.app_context():
        ot = db.session.get(OTE, world.ot.id)
        assert (ot.descripcion_trabajo, ot.comentario, ot.estatus) == ("Sólo esto", "Y esto", 1)
        assert ot.created_by != other and ot.folio_norm == normalize_folio(ot.orden_trabajo)
