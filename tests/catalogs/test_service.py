"""Catalog rules: unique names, referenced rows only deactivated, fixed catalogs, steps, rules."""

import pytest

from ot_app.catalogs import commands, read
from ot_app.extensions import db
from ot_app.models import ActividadLog, PasoOt, Patio
from ot_app.service_errors import NotFound, ServiceError, ValidationFailed

from .. import factories


def test_names_unique_trimmed_case_insensitive(ctx):
    commands.create_row("patios", "Patio Dos Bocas", None)
    with pytest.raises(ValidationFailed) as err:
        commands.create_row("patios", "  patio   dos bocas ", None)
    assert err.value.errores["nombre"] == "Ya existe un patio «Patio Dos Bocas» (ID 1)."


def test_rename_to_a_taken_name_is_refused_but_own_name_is_fine(ctx):
    a = commands.create_row("plataformas", "Akal-J", None)
    commands.create_row("plataformas", "Ku-S", None)
    commands.update_row("plataformas", a.id, {"nombre": "AKAL-J"}, None)
    with pytest.raises(ValidationFailed, match="Ya existe una plataforma «Ku-S»"):
        commands.update_row("plataformas", a.id, {"nombre": "ku-s"}, None)


def test_referenced_row_cannot_be_deleted_only_deactivated(ctx):
    patio = factories.make_patio("Patio Tampico")
    factories.make_ot(patio=patio)
    with pytest.raises(ServiceError) as err:
        commands.delete_row("patios", patio.id, None)
    assert err.value.status == 409
    assert "no se puede eliminar porque lo usan 1 OT" in err.value.detalles
    commands.update_row("patios", patio.id, {"activo": False}, None)
    assert db.session.get(Patio, patio.id).activo is False


def test_unused_row_is_deleted_and_logged(ctx):
    row = commands.create_row("intercoms", "Intercom temporal", None)
    commands.delete_row("intercoms", row.id, None)
    logs = db.session.scalars(db.select(ActividadLog.accion).where(ActividadLog.entidad == "intercoms")).all()
    assert logs == ["crear", "eliminar"]


def test_list_shows_usage_counts(ctx):
    patio = factories.make_patio("Patio Frontera")
    factories.make_ot(patio=patio)
    rows = {r["nombre"]: r for r in read.list_rows("patios")}
    assert rows["Patio Frontera"]["usos"] == {"OT": 1}
    assert [r["nombre"] for r in read.list_rows("patios", "fronT")] == ["Patio Frontera"]


@pytest.mark.parametrize("slug", ["tipos", "frentes", "estatus_paso", "estatus_pte"])
def test_fixed_catalogs_are_read_only(ctx, slug):
    with pytest.raises(ServiceError) as err:
        commands.create_row(slug, "Otro", None)
    assert err.value.status == 403
    assert read.list_rows(slug)


def test_unknown_catalog_is_not_found(ctx):
    with pytest.raises(NotFound):
        read.list_rows("naves")


def test_steps_in_id_order_with_ot_counts(ctx):
    factories.make_ot()
    steps = read.list_steps(5)
    assert [s["id"] for s in steps] == sorted(s["id"] for s in steps)
    assert all(s["ots"] == 1 for s in steps)


def test_steps_add_rename_deactivate(ctx):
    paso = commands.create_step(18, "  Revisión de  garantías ", None)
    assert paso.descripcion == "Revisión de garantías" and paso.tipo == 18
    commands.update_step(paso.id, "Revisión de fianzas", False, None)
    paso = db.session.get(PasoOt, paso.id)
    assert (paso.descripcion, paso.activo) == ("Revisión de fianzas", False)


def test_rules_default_reproduce_the_seed(ctx):
    assert read.preview(4, 2)["tipo_paso"] == 5
    assert read.preview(5, 1)["tipo_paso"] == 5
    assert [read.preview(5, c)["tipo_paso"] for c in (2, 3, 4)] == [18, 18, 18]
    other = factories.make_catalog(__import__("ot_app.models", fromlist=["Cliente"]).Cliente, "Otro cliente")
    assert read.preview(5, other.id)["tipo_paso"] == 5


def test_rule_preview_lists_the_active_steps(ctx):
    db.session.get(PasoOt, 101).activo = False
    db.session.commit()
    result = read.preview(5, 2)
    assert result["tipo_paso"] == 18
    assert 101 not in [p["id"] for p in result["pasos"]]
    assert len(result["pasos"]) == 6


def test_rules_edit_changes_what_new_ots_get(ctx):
    rule = commands.save_rule(None, 4, 3, 18, None)
    assert read.preview(4, 3)["tipo_paso"] == 18
    commands.save_rule(rule.id, 4, 3, 5, None)
    assert read.preview(4, 3)["tipo_paso"] == 5
    commands.delete_rule(rule.id, None)
    with pytest.raises(ValidationFailed, match="Ya hay una regla"):
        commands.save_rule(None, 5, 2, 5, None)
