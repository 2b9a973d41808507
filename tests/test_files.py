"""ot_app.files: type by content, bounded reads, refusals, content-addressed storage, downloads,
and the per-view body limit."""

import hashlib
import io
import zipfile
from urllib.parse import quote

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from ot_app import files
from ot_app.files import StoredFile, UploadRefused, save_upload, send_stored, sniff

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def zip_with(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name in names:
            # a fixed timestamp: the same names give the same bytes on every call
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), "<x/>")
    return buf.getvalue()


def upload(data: bytes, filename="archivo.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename)


class CountingStream(io.BytesIO):
    """Records how much the reader asked for, to prove it stops at the limit."""

    def __init__(self, data):
        super().__init__(data)
        self.read_total = 0

    def read(self, n=-1):
        chunk = super().read(n)
        self.read_total += len(chunk)
        return chunk


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"GIF89a\x01\x00", "gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
        (zip_with("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"), "xlsx"),
        (zip_with("[Content_Types].xml", "word/document.xml"), "docx"),
        (zip_with("notas.txt"), "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "xls"),
        ("PARTIDA;CONCEPTO\r\n1.1.;Señalización\r\n".encode("cp1252"), "text"),
        ("\ufeffPARTIDA,CONCEPTO\n1.1.,Señalización\n".encode(), "text"),
        (b"\x00\x01\x02\x03binary", None),
        (b"", None),
    ],
)
def test_sniff_tells_the_type_by_content(head, kind):
    assert sniff(head) == kind


def test_sniff_a_truncated_xlsx_head_reads_the_local_headers():
    data = zip_with("[Content_Types].xml", "xl/workbook.xml") + b"\x00" * 50_000
    assert sniff(data[:200]) == "xlsx"


def test_sniff_a_utf8_character_cut_at_the_end_of_the_head_is_still_text():
    head = ("CONCEPTO " * 10 + "Ø").encode()[:-1]
    assert sniff(head) == "text"


def test_sniff_ignores_the_name(ctx):
    stored = save_upload(upload(PDF, "foto.png"), allowed=frozenset({"pdf"}), max_bytes=1000, area="pruebas")
    assert stored.tipo == "pdf"


def test_save_upload_stores_by_sha256_outside_static(ctx):
    stored = save_upload(
        upload(PDF, "Oficio núm. 12.pdf"), allowed=frozenset({"pdf"}), max_bytes=10_000, area="pruebas"
    )
    sha = hashlib.sha256(PDF).hexdigest()
    assert stored == StoredFile("Oficio núm. 12.pdf", len(PDF), sha, "pdf", f"pruebas/{sha}")
    path = files.files_root() / stored.ruta
    assert path.read_bytes() == PDF
    assert "static" not in path.parts
    assert [p.name for p in path.parent.iterdir()] == [sha]  # no temporary file left behind


def test_save_upload_is_idempotent_for_the_same_content(ctx):
    first = save_upload(upload(PDF, "a.pdf"), allowed=frozenset({"pdf"}), max_bytes=10_000, area="pruebas")
    second = save_upload(upload(PDF, "b.pdf"), allowed=frozenset({"pdf"}), max_bytes=10_000, area="pruebas")
    assert first.ruta == second.ruta
    assert second.nombre == "b.pdf"
    assert len(list((files.files_root() / "pruebas").iterdir())) == 1


def test_save_upload_refuses_an_empty_file(ctx):
    with pytest.raises(UploadRefused) as err:
        save_upload(upload(b""), allowed=frozenset({"pdf"}), max_bytes=100, area="pruebas")
    assert err.value.detalles == "el archivo está vacío"
    assert err.value.errores == {"archivo": "el archivo está vacío"}
    assert err.value.status == 422


def test_save_upload_refuses_a_file_over_the_limit_without_reading_it_all(ctx):
    stream = CountingStream(b"%PDF-" + b"x" * 5_000_000)
    storage = FileStorage(stream=stream, filename="grande.pdf")
    with pytest.raises(UploadRefused) as err:
        save_upload(storage, allowed=frozenset({"pdf"}), max_bytes=100_000, area="pruebas")
    assert err.value.status == 413
    assert "excede el tamaño permitido" in err.value.detalles
    assert stream.read_total <= 100_000 + files.CHUNK
    assert list((files.files_root() / "pruebas").iterdir()) == []  # nothing kept


def test_save_upload_refuses_a_type_not_allowed_and_says_which_are(ctx):
    with pytest.raises(UploadRefused) as err:
        save_upload(
            upload(PNG, "oficio.pdf"), allowed=frozenset({"pdf", "xlsx"}), max_bytes=1000, area="pruebas"
        )
    assert err.value.detalles == "tipo de archivo no permitido (PNG); se aceptan: PDF, Excel (xlsx/xlsm)"
    assert list((files.files_root() / "pruebas").iterdir()) == []


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("../../etc/passwd", "el nombre del archivo no debe incluir una ruta"),
        ("carpeta/oficio.pdf", "el nombre del archivo no debe incluir una ruta"),
        ("C:\\temp\\oficio.pdf", "el nombre del archivo no debe incluir una ruta"),
        ("oficio\r\n.pdf", "el nombre del archivo contiene caracteres no válidos"),
        ("oficio\u202etxt.pdf", "el nombre del archivo contiene caracteres no válidos"),
        ("", "seleccione un archivo"),
        ("x" * 300 + ".pdf", "el nombre del archivo excede 255 caracteres"),
    ],
)
def test_save_upload_refuses_a_name_with_a_path_or_control_characters(ctx, filename, message):
    with pytest.raises(UploadRefused) as err:
        save_upload(upload(PDF, filename), allowed=frozenset({"pdf"}), max_bytes=1000, area="pruebas")
    assert err.value.detalles == message


def test_read_upload_keeps_the_bytes_and_sniffs_a_whole_zip(ctx):
    data = zip_with("[Content_Types].xml", "xl/workbook.xml")
    got = files.read_upload(upload(data, "anexo.xls"), max_bytes=10_000)
    assert (got.nombre, got.data, got.tipo) == ("anexo.xls", data, "xlsx")
    assert got.sha256 == hashlib.sha256(data).hexdigest()
    assert not (files.files_root() / "pruebas").exists()  # reading stores nothing
    stored = files.store_upload(got, area="pruebas")
    assert (files.files_root() / stored.ruta).read_bytes() == data


def test_send_stored_is_an_attachment_never_sniffed(app):
    with app.test_request_context():
        stored = save_upload(
            upload(PDF, "Oficio Núñez.pdf"), allowed=frozenset({"pdf"}), max_bytes=10_000, area="pruebas"
        )
        response = send_stored(stored)
        response.direct_passthrough = False
        assert response.get_data() == PDF
        response.close()
    assert response.mimetype == "application/octet-stream"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('Oficio Núñez.pdf')}" in disposition


def test_send_stored_refuses_a_path_outside_the_root(app):
    from ot_app.service_errors import NotFound

    with app.test_request_context():
        with pytest.raises(NotFound):
            send_stored(StoredFile("x", 1, "0" * 64, "pdf", "../../secret_key"))
        with pytest.raises(NotFound):
            send_stored(StoredFile("x", 1, "0" * 64, "pdf", "pruebas/" + "0" * 64))


def test_accepts_upload_raises_the_body_limit_for_that_view_only(app, api_token):
    from flask import request

    from ot_app.auth.security import requires_role
    from ot_app.envelope import envelope

    @files.accepts_upload(3 * 1024 * 1024)
    @requires_role("editor")
    def grande():
        return envelope(True, "ok", tamano=len(request.files["archivo"].read()))

    @requires_role("editor")
    def normal():
        return envelope(True, "ok", tamano=len(request.files["archivo"].read()))

    app.add_url_rule("/api/prueba/grande", view_func=grande, methods=["POST"])
    app.add_url_rule("/api/prueba/normal", view_func=normal, methods=["POST"])
    client = app.test_client()
    headers = {"Authorization": f"Bearer {api_token('editor')}"}
    body = b"%PDF-" + b"x" * (2 * 1024 * 1024 + 10)  # over MAX_CONTENT_LENGTH (2 MiB)

    # Encoded here: the test client would spill a body this large to a file it never closes.
    boundary, payload = encode_multipart(MultiDict({"archivo": FileStorage(io.BytesIO(body), "a.pdf")}))

    def post(url):
        content_type = f"multipart/form-data; boundary={boundary}"
        return client.post(url, data=payload, content_type=content_type, headers=headers)

    big = post("/api/prueba/grande")
    assert big.status_code == 200, big.get_json()
    assert big.get_json()["tamano"] == len(body)
    assert post("/api/prueba/normal").status_code == 413
