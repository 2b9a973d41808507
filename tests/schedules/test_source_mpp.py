""".mpp through MPXJ. MPXJ cannot write .mpp, and no .mpp made by us is committed, so the MPXJ path
(JVM, UniversalProjectReader, MSPDI written back, mspdi.py) is tested with the formats MPXJ writes
from a ProjectFile built here in Java: MPX (read through the same UniversalProjectReader that reads
.mpp) and MSPDI. Without a Java runtime an .mpp answers what to install; MSPDI keeps working."""

import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ot_app.schedules.sources import OLE2, read_project
from ot_app.schedules.sources.mpp import JAVA_MISSING, UNREADABLE, JavaMissing, find_libjvm

try:
    find_libjvm()
    HAVE_JAVA = True
except JavaMissing:
    HAVE_JAVA = False

needs_java = pytest.mark.skipif(
    not HAVE_JAVA and os.environ.get("CI") != "true", reason="sin Java (apt-get install default-jre-headless)"
)
ROOT = Path(__file__).resolve().parents[2]


def java_project(writer: str, alias="Ponderación") -> bytes:
    """A ProjectFile made in Java: a phase with two activities (a 2-day lag between them, the
    second 40 % done, weights 30 / 70 in a custom field), written by MPXJ as `writer`."""
    from ot_app.schedules.sources.mpp import _start_jvm

    jpype = _start_jvm()
    java = jpype.JPackage("java")
    mpxj = jpype.JPackage("org").mpxj
    project = mpxj.ProjectFile()
    project.getCustomFields().getOrCreate(mpxj.TaskField.NUMBER1).setAlias(alias)
    fase = project.addTask()
    fase.setName("Ingeniería")
    a = fase.addTask()
    b = fase.addTask()
    for task, name, start, finish, pct, weight in (
        (a, "Levantamiento", (2026, 2, 2), (2026, 2, 6), 100.0, 30.0),
        (b, "Detalle", (2026, 2, 11), (2026, 2, 20), 40.0, 70.0),
    ):
        task.setName(name)
        task.setStart(java.time.LocalDateTime.of(*start, 8, 0))
        task.setFinish(java.time.LocalDateTime.of(*finish, 17, 0))
        task.setDuration(mpxj.Duration.getInstance(5, mpxj.TimeUnit.DAYS))
        task.setPercentageComplete(java.lang.Double(pct))
        task.set(mpxj.TaskField.NUMBER1, java.lang.Double(weight))
    b.addPredecessor(
        mpxj.Relation.Builder()
        .predecessorTask(a)
        .type(mpxj.RelationType.FINISH_START)
        .lag(mpxj.Duration.getInstance(2, mpxj.TimeUnit.DAYS))
    )
    writers = {"mpx": mpxj.mpx.MPXWriter, "mspdi": mpxj.mspdi.MSPDIWriter}
    out = java.io.ByteArrayOutputStream()
    writers[writer]().write(project, out)
    return bytes(out.toByteArray())


@needs_java
def test_an_mpx_file_goes_through_mpxj_like_an_mpp():
    data = java_project("mpx")
    assert data.startswith(b"MPX,")
    plan, report = read_project("obra.mpx", data)
    assert report.ok, report.errores
    assert (report.fuente, report.formato) == ("mpp", "mpx")
    assert [(a.nivel, a.nombre) for a in plan.actividades] == [
        (1, "Ingeniería"),
        (2, "Levantamiento"),
        (2, "Detalle"),
    ]
    detalle = plan.actividades[2]
    assert (detalle.inicio, detalle.fin, detalle.avance) == (
        date(2026, 2, 11),
        date(2026, 2, 20),
        Decimal("40.00"),
    )
    assert [(lk.predecesora, lk.sucesora, lk.retraso_dias) for lk in plan.ligas] == [(1, 2, 2)]


@needs_java
def test_mspdi_written_by_mpxj_keeps_the_weight_field():
    plan, report = read_project("obra.xml", java_project("mspdi"))
    assert report.ok, report.errores
    assert [a.peso_mxn for a in plan.actividades] == [None, Decimal("30"), Decimal("70")]
    assert plan.actividades[1].avance == Decimal("100.00")


@needs_java
def test_a_damaged_mpp_is_said_so():
    plan, report = read_project("obra.mpp", OLE2 + b"\0" * 600)
    assert plan is None
    assert [e.mensaje for e in report.errores] == [UNREADABLE]


def test_without_java_an_mpp_says_what_to_install_and_mspdi_still_reads(tmp_path):
    """In a fresh process (the JVM starts once per process and cannot be stopped): JAVA_HOME
    pointing nowhere and no java on the PATH."""
    script = (
        "import json, sys\n"
        "from ot_app.schedules.sources import OLE2, read_project\n"
        "from tests.schedules.test_source_mspdi import SAMPLE\n"
        "_, mpp = read_project('obra.mpp', OLE2 + bytes(600))\n"
        "plan, xml = read_project('obra.xml', SAMPLE)\n"
        "print(json.dumps([[e.mensaje for e in mpp.errores], xml.ok, len(plan.actividades)]))\n"
    )
    env = {
        "PATH": str(tmp_path),  # no java here
        "JAVA_HOME": str(tmp_path / "no-existe"),
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    mensajes, xml_ok, actividades = json.loads(done.stdout.strip().splitlines()[-1])
    assert mensajes == [JAVA_MISSING]
    assert "apt-get install default-jre-headless" in JAVA_MISSING
    assert (xml_ok, actividades) == (True, 8)
