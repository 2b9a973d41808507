"""The role walk: every rule of app.url_map, every method it answers, for each role (anonymous,
lector, editor, admin; and the API rules again with bearer tokens), checked against the table
below. A route missing from the table fails the test: whoever adds a route says who may use it.

Access levels:
    PUBLIC  anyone (login page, static files)
    READ    every logged-in role; a GET answers 200
    EDIT    editor and admin (creating and editing OTs and PTEs); lector gets 403
    ADMIN   admin only (catalogs, rules, users, restores); lector and editor get 403
    LOGOUT  any logged-in role (walked last: it ends the session)
    OWN     what one user started (an annex upload's job): every logged-in role reaches the route,
            and anyone but that user gets 404 (the walk's job belongs to another user)

An allowed POST is sent without a body: it must not answer 401/403/405 nor 5xx (a 400/409/422 that
says what is missing is the expected outcome; some POSTs, like delete, succeed).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ot_app.extensions import db
from ot_app.models import AnexoTrabajo, Concepto, OTDetalle, PasoOt, PTEDetalle, ReglaPaso, Unidad
from ot_app.orders import commands as ot_commands
from ot_app.pte import commands as pte_commands
from tests import factories
from tests.conftest import Auth, csrf_token

PUBLIC, READ, EDIT, ADMIN, LOGOUT, OWN = "PUBLIC", "READ", "EDIT", "ADMIN", "LOGOUT", "OWN"
ROLES = ("anonimo", "lector", "editor", "admin")
ALLOWED = {
    READ: {"lector", "editor", "admin"},
    EDIT: {"editor", "admin"},
    ADMIN: {"admin"},
    OWN: {"lector", "editor", "admin"},
}

ACCESS: dict[str, str] = {
    # login, static
    "static": PUBLIC,
    "auth.login": PUBLIC,
    "auth.entrar": PUBLIC,
    "auth.logout": LOGOUT,
    "auth.contrasena": READ,  # every logged-in user, their own password only
    "auth.cambiar_contrasena": READ,
    # home and OT pages
    "main.index": READ,
    "dashboard.tablero": READ,
    "orders.detalle": READ,
    "orders.fila": READ,
    "orders.paso": READ,
    "orders.comparar": READ,
    "orders.versiones_filas": READ,
    "orders.form_folio": READ,
    "orders.form_principal": READ,
    "orders.form_sitio": READ,
    "orders.buscar_iniciales": READ,
    "orders.buscar_ptes": READ,
    "orders.buscar_ptes_filtro": READ,
    "orders.historial": READ,
    "orders.exportar": READ,
    "orders.masivo": EDIT,
    "orders.nueva": EDIT,
    "orders.crear": EDIT,
    "orders.editar": EDIT,
    "orders.guardar": EDIT,
    "orders.eliminar": EDIT,
    "orders.fila_editar": EDIT,
    "orders.fila_guardar": EDIT,
    "orders.paso_comentario": EDIT,
    "orders.paso_guardar": EDIT,
    "orders.estatus_form": EDIT,
    "orders.paso_archivo": EDIT,
    "orders.paso_archivo_descargar": READ,
    "pte.paso_archivo": EDIT,
    "pte.paso_archivo_descargar": READ,
    "orders.estatus": EDIT,
    "orders.reprogramar": EDIT,
    "orders.reprogramar_guardar": EDIT,
    "orders.reprogramar_revisar": EDIT,
    "orders.restaurar": ADMIN,
    "annexes.pestana": READ,
    "annexes.importar": EDIT,
    "annexes.sabana": READ,
    "annexes.buscar": READ,
    "annexes.capitulo": READ,
    "annexes.trabajo": OWN,
    # PTE pages
    "pte.lista": READ,
    "pte.detalle": READ,
    "pte.nueva": EDIT,
    "pte.crear": EDIT,
    "pte.editar": EDIT,
    "pte.guardar": EDIT,
    "pte.eliminar": EDIT,
    "pte.estatus": EDIT,
    "pte.paso": READ,
    "pte.paso_comentario": EDIT,
    "pte.paso_guardar": EDIT,
    # catalogs, step templates, rules
    "catalogs.index": READ,
    "catalogs.lista": READ,
    "catalogs.fila": READ,
    "catalogs.pasos": READ,
    "catalogs.reglas": READ,
    "catalogs.crear": ADMIN,
    "catalogs.fila_editar": ADMIN,
    "catalogs.fila_guardar": ADMIN,
    "catalogs.fila_eliminar": ADMIN,
    "catalogs.paso_crear": ADMIN,
    "catalogs.paso_guardar": ADMIN,
    "catalogs.regla_guardar": ADMIN,
    "catalogs.regla_eliminar": ADMIN,
    # users
    "users.lista": ADMIN,
    "users.crear": ADMIN,
    "users.detalle": ADMIN,
    "users.rol": ADMIN,
    "users.activo": ADMIN,
    "users.contrasena": ADMIN,
    "users.token_revocar": ADMIN,
    "users.tokens_revocar": ADMIN,
    "users.mis_tokens": READ,  # every logged-in user, their own tokens only
    "users.mi_token_revocar": READ,
    # JSON API
    "api.openapi_document": READ,
    "api.catalogo": READ,
    "api.ot_listar": READ,
    "api.ot_exportar": READ,
    "api.ot_obtener": READ,
    "api.ot_versiones": READ,
    "api.ot_pasos": READ,
    "api.pte_listar": READ,
    "api.pte_obtener": READ,
    "api.pte_pasos": READ,
    "api.ot_crear": EDIT,
    "api.ot_editar": EDIT,
    "api.ot_reprogramar": EDIT,
    "api.ot_eliminar": EDIT,
    "api.ot_paso_editar": EDIT,
    "api.pte_crear": EDIT,
    "api.pte_editar": EDIT,
    "api.pte_eliminar": EDIT,
    "api.pte_estatus": EDIT,
    "api.pte_paso_editar": EDIT,
    "api.pte_crear_ot": EDIT,
    "api.ot_estatus": EDIT,
    "api.ot_masivo": EDIT,
    "api.ot_paso_archivo": EDIT,
    "api.ot_paso_archivo_descargar": READ,
    "api.pte_paso_archivo": EDIT,
    "api.pte_paso_archivo_descargar": READ,
    "api.ot_restaurar": ADMIN,
    "api.ot_anexos": READ,
    "api.ot_anexos_diferencias": READ,
    "api.ot_anexos_archivo": READ,
    "api.ot_anexos_exportar": READ,
    "api.ot_anexos_importar": EDIT,
    # progress and S-curves (issue 19)
    "curves.avance": READ,
    "curves.ot_curva": READ,
    "curves.ot_exportar": READ,
    "curves.corte": EDIT,
    "curves.cartera": READ,
    "curves.cartera_exportar": READ,
    "api.ot_curva_s": READ,
    "api.curva_s": READ,
    "api.ot_cortes": READ,
    "api.ot_corte": EDIT,
    # the contract's concept catalog (issue 15): lector reads, editor imports and converts
    "concepts.lista": READ,
    "concepts.exportar": READ,
    "concepts.revisiones": READ,
    "concepts.archivo": READ,
    "concepts.importar": EDIT,
    "concepts.convertir": EDIT,
    "concepts.unidad_guardar": ADMIN,  # the units catalog, like every catalog: admins write
    "concepts.unidad_activo": ADMIN,
    "api.conceptos": READ,
    "api.conceptos_importar": EDIT,
    "api.conceptos_convertir": EDIT,
    "api.conceptos_revisiones": READ,
    "api.conceptos_archivo": READ,
    "api.conceptos_exportar": READ,
    "api.unidades": READ,
    # an OT version's program (issue 19): lector reads, editor saves
    "schedules.pestana": READ,
    "schedules.editar": EDIT,
    "schedules.guardar": EDIT,
    "api.ot_programa": READ,
    "api.ot_programa_revisiones": READ,
    "api.ot_programa_comparar": READ,
    "api.ot_programa_guardar": EDIT,
    # where a program comes from (issue 19): editors import and derive, like annexes
    "program_import.importar": EDIT,
    "program_import.derivar": EDIT,
    "api.ot_programa_importar": EDIT,
    "api.ot_programa_derivar": EDIT,
    # site conflicts (issue 14): everyone reads, an editor accepts one with a reason
    "conflictos.lista": READ,
    "conflictos.aceptar": EDIT,
    "api.conflictos": READ,
    "api.conflictos_aceptar": EDIT,
    # the portfolio timeline (issue 14): everyone reads, an editor moves an OT's dates
    "linea.vista": READ,
    "linea.filas": READ,
    "linea.mover": EDIT,
    "api.linea_tiempo": READ,
}

# Query strings a read needs to answer 200 (they are part of the route's contract).
QUERY = {
    "api.ot_obtener": lambda d: {"id": d["ot"]},
    "orders.comparar": lambda d: {"de": d["ot"], "a": d["ot"]},
    "orders.exportar": lambda d: {"ots": d["ot"], "formato": "csv"},
    "api.ot_pasos": lambda d: {"id": d["ot"]},
    "api.ot_versiones": lambda d: {"id": d["ot"]},
    "api.pte_obtener": lambda d: {"id": d["pte"]},
    "api.ot_anexos": lambda d: {"id": d["ot"], "tipo": "anexo_c"},
    "api.ot_anexos_diferencias": lambda d: {"id": d["ot"], "tipo": "anexo_c"},
    "api.ot_anexos_archivo": lambda d: {"id": d["ot"], "tipo": "anexo_c"},
    "api.ot_anexos_exportar": lambda d: {"id": d["ot"], "tipo": "anexo_c"},
    "api.pte_pasos": lambda d: {"id": d["pte"]},
    "api.ot_programa": lambda d: {"id": d["ot"]},
    "api.ot_programa_revisiones": lambda d: {"id": d["ot"]},
    "api.ot_programa_comparar": lambda d: {"id": d["ot"]},
    "api.ot_curva_s": lambda d: {"id": d["ot"]},
    "api.ot_cortes": lambda d: {"id": d["ot"]},
    "annexes.buscar": lambda d: {"tipo": "anexo_c", "q": "limpieza"},
    "annexes.capitulo": lambda d: {"tipo": "anexo_c", "capitulo": ""},
    "api.ot_paso_archivo_descargar": lambda d: {"id": d["paso"]},
    "api.pte_paso_archivo_descargar": lambda d: {"id": d["pte_paso"]},
}


def _url_values(d: dict) -> dict[str, object]:
    """URL arguments by name, filled from the dataset; per-endpoint overrides below."""
    return {
        "ot_id": d["ot"],
        "pte_id": d["pte"],
        "paso_id": d["paso"],
        "row_id": d["patio"],
        "rule_id": d["regla"],
        "user_id": d["otro_usuario"],
        "token_id": d["token"],
        "slug": "patios",
        "nombre": "patios",
        "filename": "css/app.css",
        "kind": "pte",
        "concept_id": d["concepto"],
        "unit_id": d["unidad"],
        "token": d["trabajo"],
    }


def _overrides(d: dict) -> dict[str, dict]:
    pte_paso = {"paso_id": d["pte_paso"]}
    return {
        "catalogs.paso_guardar": {"paso_id": d["plantilla_paso"]},
        "pte.paso": pte_paso,
        "pte.paso_comentario": pte_paso,
        "pte.paso_guardar": pte_paso,
        "pte.paso_archivo": pte_paso,
        "pte.paso_archivo_descargar": pte_paso,
    }


@pytest.fixture
def dataset(app):
    with app.app_context():
        pte = factories.make_pte()
        ot = factories.make_ot(pte=pte)
        paso = db.session.scalar(select(OTDetalle.id).where(OTDetalle.id_ot == ot.id).order_by(OTDetalle.id))
        patio = factories.make_patio("Patio sin usar")
        checklist = pte_commands.create_pte(
            {"oficio_pte": "PEP-WALK-PASOS", "descripcion": "Con lista de pasos", "id_cliente": 1}, None
        ).pte
        otro = factories.make_user("otro_usuario", rol="lector")
        # Deliverable files on both steps, so their downloads answer 200.
        pte_paso = db.session.scalar(
            select(PTEDetalle.id).where(PTEDetalle.id_pte == checklist.id).order_by(PTEDetalle.id)
        )
        for attach, step in ((ot_commands.attach_step_file, paso), (pte_commands.attach_step_file, pte_paso)):
            attach(step, FileStorage(io.BytesIO(b"%PDF-1.7\n%%EOF\n"), filename="acta.pdf"), None)
        token, _ = factories.make_token(otro)
        db.session.commit()
        factories.make_annex(ot.id)  # so the annex reads (and the file download) answer 200
        factories.make_catalog_import()  # and the catalog's file download
        concepto = Concepto(
            clave="walk",
            anexo="",
            partida="1C-1",
            concepto="PUE",
            unidad="DIA",
            pu_mxn=1,
            pu_usd=0,
            tipo="pue",
        )
        db.session.add(concepto)
        # An annex upload's job, started by another user: its progress is 404 to every walker.
        trabajo = AnexoTrabajo(token="walk-trabajo", id_ot=ot.id, tipo="anexo_c", id_usuario=otro.id)
        db.session.add(trabajo)
        db.session.commit()
        return {
            "ot": ot.id,
            "pte": pte.id,
            "paso": paso,
            "pte_paso": pte_paso,
            "patio": patio.id,
            "regla": db.session.scalar(select(ReglaPaso.id).order_by(ReglaPaso.id)),
            "plantilla_paso": db.session.scalar(select(PasoOt.id).order_by(PasoOt.id)),
            "otro_usuario": otro.id,
            "token": token.id,
            "concepto": concepto.id,
            "unidad": db.session.scalar(select(Unidad.id).order_by(Unidad.id)),
            "trabajo": trabajo.token,
        }


@dataclass
class Call:
    endpoint: str
    method: str
    path: str
    level: str

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.endpoint}, {self.level})"


def _unlisted(app) -> list[str]:
    return sorted({r.endpoint for r in app.url_map.iter_rules()} - set(ACCESS))


def walk_plan(app, d: dict) -> list[Call]:
    missing = _unlisted(app)
    assert not missing, (
        "routes missing from the role table in tests/security/test_role_walk.py (ACCESS): "
        + ", ".join(missing)
        + ". Add each with who may use it: READ, EDIT, ADMIN, PUBLIC."
    )
    values, overrides = _url_values(d), _overrides(d)
    calls = []
    for rule in app.url_map.iter_rules():
        args = {}
        for name in rule.arguments:
            value = overrides.get(rule.endpoint, {}).get(name, values.get(name))
            assert value is not None, (
                f"{rule.rule}: no value for URL argument {name!r}; add it to _url_values"
            )
            args[name] = value
        query = QUERY.get(rule.endpoint, lambda _: {})(d)
        _, path = rule.build({**args, **query}, append_unknown=True)
        for method in sorted(rule.methods):
            calls.append(Call(rule.endpoint, method, path, ACCESS[rule.endpoint]))
    # Reads first, then writes, logout last (it ends the session the others use).
    order = {"GET": 0, "HEAD": 0, "OPTIONS": 0, "POST": 1, "PUT": 1, "PATCH": 1, "DELETE": 1}
    calls.sort(key=lambda c: (c.level == LOGOUT, order.get(c.method, 1), c.path, c.method))
    return calls


def check(call: Call, role: str, status: int, location: str = "") -> str | None:
    """None when `status` is what the table promises for `role`, else what went wrong."""
    if status >= 500:
        return f"{status} (server error)"
    level = call.level
    if level == PUBLIC:
        return None
    if role == "anonimo":
        if call.api:
            return None if status == 401 else f"expected 401, got {status}"
        return (
            None if status == 302 and "/login" in location else f"expected redirect to /login, got {status}"
        )
    if call.method == "OPTIONS":  # Flask's automatic answer (the Allow header); no view runs
        return None if status == 200 else f"expected 200, got {status}"
    if level == LOGOUT:
        return (
            None if status == 302 and "/login" in location else f"expected the logout redirect, got {status}"
        )
    allowed = role in ALLOWED[level]
    if not allowed:
        return None if status == 403 else f"expected 403 for {role}, got {status}"
    if level == OWN and call.method in ("GET", "HEAD"):
        return None if status == 404 else f"expected 404 (someone else's) for {role}, got {status}"
    if call.method in ("GET", "HEAD"):
        return None if status == 200 else f"expected 200 for {role}, got {status}"
    if status in (401, 403, 405):
        return f"{role} may do this, got {status}"
    return None


STATS = {"rules": 0, "pairs": 0, "session": 0, "bearer": 0, "bad_token": 0, "roles": set()}


def summary() -> str | None:
    """One line for the terminal summary (figures for SECURITY.md), when the walk ran."""
    if not STATS["session"]:
        return None
    return (
        f"recorrido de roles: {STATS['rules']} reglas, {STATS['pairs']} pares regla×método, "
        f"{len(STATS['roles'])} roles con sesión ({STATS['session']} respuestas), "
        f"API con token de 3 roles ({STATS['bearer']}) y con token malo ({STATS['bad_token']})"
    )


def _walk(client, calls, role, headers=None) -> tuple[int, list[str]]:
    headers = dict(headers or {})
    problems, walked = [], 0
    for call in calls:
        send = dict(headers)
        if (
            call.method not in ("GET", "HEAD", "OPTIONS")
            and role != "anonimo"
            and "Authorization" not in send
        ):
            send["X-CSRFToken"] = csrf_token(client)
        r = client.open(call.path, method=call.method, headers=send)
        walked += 1
        problem = check(call, role, r.status_code, r.headers.get("Location", ""))
        if problem:
            problems.append(f"{role:8} {call}: {problem}")
        r.close()
    return walked, problems


def _client_for(app, role):
    c = app.test_client()
    if role != "anonimo":
        with app.app_context():
            factories.make_user(f"walk_{role}", rol=role)
            db.session.commit()
        assert Auth(c).login(f"walk_{role}").status_code == 302
    return c


def test_every_route_is_in_the_role_table(app):
    assert not _unlisted(app), f"add to ACCESS: {_unlisted(app)}"


@pytest.mark.parametrize("role", ROLES)
def test_role_walk_with_a_browser_session(app, dataset, role):
    calls = walk_plan(app, dataset)
    walked, problems = _walk(_client_for(app, role), calls, role)
    assert walked == len(calls) > 100
    STATS["rules"], STATS["pairs"] = len(list(app.url_map.iter_rules())), len(calls)
    STATS["session"] += walked
    STATS["roles"].add(role)
    assert not problems, f"{len(problems)} of {walked} answers differ from the table:\n" + "\n".join(problems)


@pytest.mark.parametrize("role", ("lector", "editor", "admin"))
def test_role_walk_of_the_api_with_bearer_tokens(app, dataset, api_token, role):
    calls = [c for c in walk_plan(app, dataset) if c.api]
    token = api_token(role, username=f"api_walk_{role}")
    walked, problems = _walk(app.test_client(), calls, role, {"Authorization": f"Bearer {token}"})
    assert walked == len(calls) > 20
    STATS["bearer"] += walked
    assert not problems, f"{len(problems)} of {walked} answers differ from the table:\n" + "\n".join(problems)


def test_a_bad_bearer_token_gets_401_on_every_api_route(app, dataset):
    calls = [c for c in walk_plan(app, dataset) if c.api]
    # More routes than the per-IP cap of failures: that cap has its own tests (test_throttle.py).
    app.config["LOGIN_IP_MAX_FAILURES"] = 10 * len(calls)
    c = app.test_client()
    for call in calls:
        r = c.open(call.path, method=call.method, headers={"Authorization": "Bearer ot_no-existe"})
        assert r.status_code == 401, str(call)
        STATS["bad_token"] += 1


def test_the_table_and_the_view_decorators_agree(app):
    """A second look from the code side: a view marked requires_role('admin') is ADMIN in the table."""
    level_of = {"editor": EDIT, "admin": ADMIN}
    for rule in app.url_map.iter_rules():
        role = getattr(app.view_functions[rule.endpoint], "required_role", None)
        if role and rule.endpoint in ACCESS:
            assert ACCESS[rule.endpoint] == level_of[role], (
                f"{rule.endpoint}: table says {ACCESS[rule.endpoint]}"
            )


def test_the_walk_would_catch_a_missing_role_check(app, dataset):
    """The walk is not vacuous: a write route without its role check is reported."""

    @app.post("/_prueba/escritura_sin_rol")
    def escritura_sin_rol():
        return "escrito"

    ACCESS["escritura_sin_rol"] = ADMIN
    try:
        calls = [c for c in walk_plan(app, dataset) if c.endpoint == "escritura_sin_rol"]
        _, problems = _walk(_client_for(app, "lector"), calls, "lector")
        assert problems and "expected 403 for lector, got 200" in problems[0]
    finally:
        del ACCESS["escritura_sin_rol"]


# --------------------------------------------------------------------------- deleted records (issue 16, finding 4)


@pytest.fixture
def deleted(app, dataset):
    """A deleted OT (with its steps) and a deleted PTE, beside the walk's live records."""
    from ot_app.models import OTE, PTEHeader, Registro

    with app.app_context():
        pte = factories.make_pte()
        ot = factories.make_ot(pte=pte)
        paso = db.session.scalar(select(OTDetalle.id).where(OTDetalle.id_ot == ot.id).order_by(OTDetalle.id))
        ot_commands.attach_step_file(
            paso, FileStorage(io.BytesIO(b"%PDF-1.7\n%%EOF\n"), filename="a.pdf"), None
        )
        factories.make_annex(ot.id)  # its annex reads are reads of it too
        factories.make_annex(ot.id, [["2.401.", "Limpieza con chorro de arena", "M2", 250, 4125.53, None]])
        db.session.get(OTE, ot.id).estatus = Registro.ELIMINADA
        db.session.get(PTEHeader, pte.id).estatus = Registro.ELIMINADA
        # The checklist PTE of the walk deleted too: its steps and their files are its reads.
        pte_paso = db.session.get(PTEDetalle, dataset["pte_paso"])
        db.session.get(PTEHeader, pte_paso.id_pte).estatus = Registro.ELIMINADA
        db.session.commit()
        return {**dataset, "ot": ot.id, "pte": pte.id, "paso": paso}


def _reads_of_a_record(app, d: dict) -> list[Call]:
    """Every GET of the walk that names an OT, a step or a PTE (in its path or its `id` query)."""
    record_args = {"ot_id", "pte_id", "paso_id"}
    return [
        c
        for c in walk_plan(app, d)
        if c.method == "GET"
        and c.level != PUBLIC
        and any(
            rule.endpoint == c.endpoint and (record_args & set(rule.arguments) or c.endpoint in QUERY)
            for rule in app.url_map.iter_rules()
        )
    ]


@pytest.mark.parametrize("role", ROLES[1:])
def test_deleted_records_are_readable_by_admins_only(app, deleted, role):
    """A deleted OT or PTE answered 200 to a lector (`/api/ot/obtener`, `/api/ot/pasos`, `/ot/<id>`,
    `/api/pte/obtener`...). Now every page and API read of one is a 404 below admin."""
    calls = _reads_of_a_record(app, deleted)
    assert len(calls) >= 12, [str(c) for c in calls]
    client = _client_for(app, role)
    problems = []
    for call in calls:
        r = client.get(call.path)
        r.close()  # a download holds its file open until closed
        if role == "admin":
            # A deleted record is read-only: its edit pages send back to its detail (302/303) or say so (409).
            ok = r.status_code in (200, 302, 303, 409) or (call.level == OWN and r.status_code == 404)
        elif role not in ALLOWED[call.level]:
            ok = r.status_code == 403
        else:
            ok = r.status_code == 404
        if not ok:
            problems.append(f"{role} {call}: {r.status_code}")
    assert not problems, "\n".join(problems)


def test_a_deleted_ot_does_not_show_in_its_pte_or_its_chain_below_admin(app, dataset):
    from ot_app.models import OTE, Registro

    with app.app_context():
        inicial = db.session.get(OTE, dataset["ot"])
        version = factories.make_ot(
            pte=inicial.pte, id_tipo=5, ot_principal=inicial.id, orden_trabajo=inicial.orden_trabajo
        )
        borrada = factories.make_ot(pte=inicial.pte, orden_trabajo="OT-BORRADA-0001")
        db.session.get(OTE, version.id).estatus = Registro.ELIMINADA
        db.session.get(OTE, borrada.id).estatus = Registro.ELIMINADA
        db.session.commit()
        version_id = version.id
    lector, admin = _client_for(app, "lector"), _client_for(app, "admin")
    pte_page = f"/pte/{dataset['pte']}"
    assert "OT-BORRADA-0001" not in lector.get(pte_page).get_data(as_text=True)
    assert "OT-BORRADA-0001" in admin.get(pte_page).get_data(as_text=True)
    datos = lector.get(f"/api/ot/obtener?id={dataset['ot']}").get_json()["datos"]
    assert version_id not in [v["id"] for v in datos["reprogramaciones"]], datos
    datos = admin.get(f"/api/ot/obtener?id={dataset['ot']}").get_json()["datos"]
    assert version_id in [v["id"] for v in datos["reprogramaciones"]], datos
