"""MS Project's binary `.mpp` (and MPX) through MPXJ, a Java library driven with JPype: MPXJ
reads the file and writes it back as MSPDI, which mspdi.py reads, so both formats go through one
reader. The JVM starts once per process, on the first such file, never at import or app start.

Java is found as the README says: $JAVA_HOME, else `java` on the PATH (JPype's own search of
/usr/lib/jvm is not used, so a server without a configured Java answers the same message every
time instead of half-finding one)."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

from ...models import OrigenPrograma
from . import mspdi
from .report import ProgramReport

JAVA_MISSING = (
    "para leer archivos .mpp el servidor necesita Java: instale default-jre-headless "
    "(apt-get install default-jre-headless) y reinicie la aplicación; los archivos MSPDI "
    "(.xml, «Guardar como» XML en MS Project) se leen sin Java"
)
UNREADABLE = "MS Project no pudo leerse: el archivo .mpp está dañado o es de una versión no soportada"
_lock = threading.Lock()


class JavaMissing(RuntimeError):
    pass


def find_libjvm() -> str:
    """The libjvm.so of $JAVA_HOME, else of the `java` on the PATH; JavaMissing otherwise."""
    homes = []
    if os.environ.get("JAVA_HOME"):
        homes.append(Path(os.environ["JAVA_HOME"]))
    else:
        java = shutil.which("java")
        if java:
            homes.append(Path(os.path.realpath(java)).parent.parent)
    for home in homes:
        for candidate in ("lib/server/libjvm.so", "jre/lib/server/libjvm.so", "lib/amd64/server/libjvm.so"):
            if (home / candidate).is_file():
                return str(home / candidate)
    raise JavaMissing(JAVA_MISSING)


def _start_jvm():
    import jpype

    with _lock:
        if not jpype.isJVMStarted():
            path = find_libjvm()
            import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

            jpype.startJVM(path, "-Xmx512m", "-Djava.awt.headless=true")
    return jpype


def to_mspdi(data: bytes) -> bytes | None:
    """The project as MSPDI XML; None when MPXJ does not recognise the file."""
    jpype = _start_jvm()
    java = jpype.JPackage("java")
    reader = jpype.JClass("org.mpxj.reader.UniversalProjectReader")()
    project = reader.read(java.io.ByteArrayInputStream(data))
    if project is None:
        return None
    out = java.io.ByteArrayOutputStream()
    jpype.JClass("org.mpxj.mspdi.MSPDIWriter")().write(project, out)
    return bytes(out.toByteArray())


def parse(nombre: str, data: bytes, formato: str = "mpp"):
    report = ProgramReport(OrigenPrograma.MPP.value, nombre, formato=formato)
    try:
        xml = to_mspdi(data)
    except JavaMissing as err:
        report.error(None, None, None, str(err))
        return None, report
    except Exception:  # MPXJ's exceptions on a damaged file: the user's problem, never a 500
        xml = None
    if xml is None:
        report.error(None, None, None, UNREADABLE)
        return None, report
    plan, inner = mspdi.parse(nombre, xml, OrigenPrograma.MPP)
    inner.formato = formato
    return plan, inner
