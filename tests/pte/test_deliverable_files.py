"""Step deliverable files (OT and PTE steps, through ot_app.files): type by content, bounded size,
no path in the name, nothing stored when refused; downloads only for logged-in users, always as an
attachment; the page's upload from the step row; a deleted PTE's step cannot take one."""

import io
import zipfile
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from ot_app import steps
from ot_app.extensions import db
from ot_app.files import UploadRefused
from ot_app.models import ActividadLog, OTDetalle, PTEDetalle
from ot_app.pte import commands
from ot_app.service_errors import ServiceError

from .. import factories

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
HX = {"HX-Request": "true"}


def xlsx() -> bytes:
    """The same bytes on every call: a zip entry's default timestamp is the current time, so two
    calls straddling a 2-second boundary would differ."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, body in (("xl/workbook.xml", "<workbook/>"), ("[Content_Types].xml", "<Types/>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), body)
    return buf.getvalue()


def stored_files(app) -> list[Path]:
    root = Path(app.config["ARCHIVOS_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def pasos(app):
    with app.app_context():
        pte = commands.create_pte(
            {"oficio_pte": "PEP-ARCH-1", "descripcion": "Con archivos", "id_cliente": 2}, None
        ).pte
        ot = factories.make_ot()
        db.session.commit()
        return {
            "pte": pte.id,
            "pte_paso": db.session.scalar(db.select(PTEDetalle.id).where(PTEDetalle.id_pte == pte.id)),
            "ot_paso": db.session.scalar(db.select(OTDetalle.id).where(OTDetalle.id_ot == ot.id)),
        }


@pytest.mark.parametrize("area", ["ot", "pte"])
def test_upload_then_download_as_attachment(app, api, pasos, area):
    paso = pasos[f"{area}_paso"]
    r = api.client.post(
        f"/api/{area}/paso/archivo",
        data={"id": str(paso), "archivo": (io.BytesIO(xlsx()), "Volumetría final.xlsx")},
        headers=api.headers,
        content_type="multipart/form-data",
    )
    assert r.status_code == 200, r.get_json()
    assert "Volumetría final.xlsx" in r.get_json()["detalles"]
    listing = f"/api/pte/pasos?id={pasos['pte']}" if area == "pte" else f"/api/ot/pasos?id={ot_of(app, paso)}"
    step = next(p for p in api.get(listing).get_json()["datos"] if p["id"] == paso)
    assert step["archivo_nombre"] == "Volumetría final.xlsx"
    r = api.get(f"/api/{area}/paso/archivo?id={paso}")
    data = r.data
    r.close()  # send_file's open file, closed before any assertion can fail
    assert r.status_code == 200 and data == xlsx()
    assert r.headers["Content-Type"] == "application/octet-stream"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''Volumetr%C3%ADa%20final.xlsx" in r.headers["Content-Disposition"]
    with app.app_context():
        log = db.session.scalars(db.select(ActividadLog).order_by(ActividadLog.id.desc())).first()
        assert any(key.endswith(": archivo") for key in log.cambios)


def ot_of(app, paso):
    with app.app_context():
        return db.session.get(OTDetalle, paso).id_ot


@pytest.mark.parametrize(
    ("data", "name", "status", "message"),
    [
        (
            b"MZ\x90\x00\x03\x00\x00\x00",
            "acta.pdf",
            422,
            "tipo de archivo no permitido",
        ),  # a program named .pdf
        (
            b"nombre,monto\nA,1\n",
            "datos.pdf",
            422,
            "tipo de archivo no permitido",
        ),  # text is not a deliverable
        (PDF, "../../etc/acta.pdf", 422, "no debe incluir una ruta"),
        (b"", "vacio.pdf", 422, "vacío"),
    ],
)
def test_refused_uploads_store_nothing(app, api, pasos, data, name, status, message):
    r = api.client.post(
        "/api/pte/paso/archivo",
        data={"id": str(pasos["pte_paso"]), "archivo": (io.BytesIO(data), name)},
        headers=api.headers,
        content_type="multipart/form-data",
    )
    body = r.get_json()
    assert r.status_code == status and message in body["errores"]["archivo"], body
    assert stored_files(app) == []
    assert api.get(f"/api/pte/paso/archivo?id={pasos['pte_paso']}").status_code == 404


def test_too_large_is_413_and_stores_nothing(app, ctx, pasos, monkeypatch):
    monkeypatch.setattr(steps, "DELIVERABLE_MAX_BYTES", 1024)
    big = FileStorage(io.BytesIO(PDF + b"0" * 2048), filename="grande.pdf")
    with pytest.raises(UploadRefused) as err:
        commands.attach_step_file(pasos["pte_paso"], big, None)
    assert err.value.status == 413 and "excede el tamaño permitido" in err.value.detalles
    assert stored_files(app) == []


def test_a_deleted_pte_step_takes_no_file(app, ctx, pasos):
    commands.delete_pte(pasos["pte"], None)
    with pytest.raises(ServiceError, match="eliminada"):
        commands.attach_step_file(pasos["pte_paso"], FileStorage(io.BytesIO(PDF), filename="a.pdf"), None)
    assert stored_files(app) == []


def test_lector_downloads_but_cannot_upload_and_anonymous_gets_nothing(app, api, api_lector, client, pasos):
    api.client.post(
        "/api/ot/paso/archivo",
        data={"id": str(pasos["ot_paso"]), "archivo": (io.BytesIO(PDF), "acta.pdf")},
        headers=api.headers,
        content_type="multipart/form-data",
    )
    r = api_lector.get(f"/api/ot/paso/archivo?id={pasos['ot_paso']}")
    assert r.status_code == 200
    r.close()
    r = api_lector.client.post(
        "/api/ot/paso/archivo",
        data={"id": str(pasos["ot_paso"]), "archivo": (io.BytesIO(PDF), "otro.pdf")},
        headers=api_lector.headers,
        content_type="multipart/form-data",
    )
    assert r.status_code == 403
    assert client.get(f"/api/ot/paso/archivo?id={pasos['ot_paso']}").status_code == 401
    r = client.get(f"/ot/paso/{pasos['ot_paso']}/archivo")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_page_upload_from_the_step_row(app, editor_client, pasos):
    paso = pasos["pte_paso"]
    html = editor_client.get(f"/pte/paso/{paso}/editar?foco=enlace", headers=HX).get_data(as_text=True)
    assert 'type="file"' in html and 'hx-encoding="multipart/form-data"' in html
    r = editor_client.auth.post(
        f"/pte/paso/{paso}/archivo",
        data={"archivo": (io.BytesIO(PDF), "acta.pdf")},
        headers=HX,
        content_type="multipart/form-data",
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and f'href="/pte/paso/{paso}/archivo"' in html and "acta.pdf" in html
    r = editor_client.get(f"/pte/paso/{paso}/archivo")
    assert (
        r.status_code == 200 and r.data == PDF and r.headers["Content-Disposition"].startswith("attachment;")
    )
    r.close()  # send_file's open file
