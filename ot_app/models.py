"""SQLAlchemy models: catalogs, PTEs, work orders (OTE) and their steps, users, audit log.

Column names follow the seed (the Django system we replace) so forms, the JSON API and the
database speak the same words.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum

from flask_login import UserMixin
from sqlalchemy import (
    DDL,
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    and_,
    event,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db


class FixedId(IntEnum):
    """A catalog id that rules depend on, with the name `flask seed` gives it.

    The only place a fixed id is written (besides the migrations): code, templates (as Jinja
    globals) and the seed all name the member, never the number."""

    def __new__(cls, value: int, nombre: str):
        member = int.__new__(cls, value)
        member._value_ = value
        member.nombre = nombre
        return member

    @classmethod
    def names(cls) -> dict[int, str]:
        return {member.value: member.nombre for member in cls}

    @property
    def slug(self) -> str:
        """For CSS classes: EN_PROCESO → "en-proceso"."""
        return self.name.lower().replace("_", "-")


class TipoId(FixedId):
    """Catalog `tipo`: an initial OT or a reprogrammed version of one."""

    INICIAL = 4, "OT inicial"
    REPROGRAMADA = 5, "OT reprogramada"


class FrenteId(FixedId):
    """Catalog `frente`: land (the yard is the site) or offshore (vessel, platform, intercom)."""

    TIERRA = 1, "Tierra"
    COSTA_AFUERA = 2, "Costa afuera"

    @classmethod
    def en_tierra(cls, value) -> bool:
        """Whether a front id (an int, or the string a form posted) is the land front."""
        return str(value or "").strip() == str(cls.TIERRA.value)


class EstatusPasoId(FixedId):
    """Catalog `estatus_paso`. Progress counts COMPLETADO over every step but NO_APLICA."""

    PENDIENTE = 1, "Pendiente"
    EN_PROCESO = 2, "En proceso"
    COMPLETADO = 3, "Completado"
    NO_APLICA = 4, "No aplica"


class EstatusOTId(FixedId):
    """Catalog `estatus_ot` as seeded; a new OT starts PROGRAMADA."""

    PROGRAMADA = 1, "Programada"
    EN_EJECUCION = 2, "En ejecución"
    SUSPENDIDA = 3, "Suspendida"
    TERMINADA = 4, "Terminada"
    CANCELADA = 5, "Cancelada"


class EstatusPTEId(FixedId):
    """Catalog `estatus_pte`: En elaboración → Enviada → Aprobada, or Cancelada."""

    EN_ELABORACION = 1, "En elaboración"
    ENVIADA = 2, "Enviada"
    APROBADA = 3, "Aprobada"
    CANCELADA = 4, "Cancelada"


class Registro(FixedId):
    """A record's `estatus` (OT and PTE): soft delete and the seed's "por definir"."""

    POR_DEFINIR = -1, "Por definir"
    ELIMINADA = 0, "Eliminada"
    ACTIVA = 1, "Activa"


FIXED_IDS = (TipoId, FrenteId, EstatusPasoId, EstatusOTId, EstatusPTEId, Registro)

ROLES = ("lector", "editor", "admin")

Money = Numeric(18, 2)


def normalize_folio(folio: str) -> str:
    """What `folio_norm` holds: folios compare trimmed, with single spaces, case-insensitively."""
    return " ".join((folio or "").split()).lower()


def utcnow() -> datetime:
    """Naive UTC timestamp: both SQLite and PostgreSQL store it the same way."""
    return datetime.now(UTC).replace(tzinfo=None)


class CatalogoMixin:
    """A simple catalog row: an id, a name and whether new forms may offer it."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nombre: Mapped[str] = mapped_column(String(150))
    activo: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.nombre!r}>"


class Cliente(CatalogoMixin, db.Model):
    __tablename__ = "cliente"


class Frente(CatalogoMixin, db.Model):
    __tablename__ = "frente"


class SitioMixin(CatalogoMixin):
    """A site an OT books for its dates (vessel, platform, yard): how many OTs it takes at once,
    whether a booking beyond that is refused (exclusive) or only reported, and the days a vessel
    needs between two bookings to move (schedules/conflicts.py)."""

    capacidad: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    exclusivo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    movilizacion_dias: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class Embarcacion(SitioMixin, db.Model):
    __tablename__ = "embarcacion"


class Plataforma(SitioMixin, db.Model):
    __tablename__ = "plataforma"


class Intercom(CatalogoMixin, db.Model):
    __tablename__ = "intercom"


class Patio(SitioMixin, db.Model):
    __tablename__ = "patio"


class ResponsableProyecto(CatalogoMixin, db.Model):
    __tablename__ = "responsable_proyecto"


class TipoDocumento(CatalogoMixin, db.Model):
    """4 OT inicial, 5 OT reprogramada."""

    __tablename__ = "tipo"


class EstatusOT(CatalogoMixin, db.Model):
    __tablename__ = "estatus_ot"


class EstatusPaso(CatalogoMixin, db.Model):
    """1 Pendiente, 2 En proceso, 3 Completado, 4 No aplica."""

    __tablename__ = "estatus_paso"


class EstatusPTE(CatalogoMixin, db.Model):
    """1 En elaboración, 2 Enviada, 3 Aprobada, 4 Cancelada."""

    __tablename__ = "estatus_pte"


class PasoOt(db.Model):
    """Step template; `tipo` is the step-set number (5, 18, ...); `peso` weights progress."""

    __tablename__ = "paso_ot"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    descripcion: Mapped[str] = mapped_column(String(300))
    tipo: Mapped[int] = mapped_column(Integer, index=True)
    activo: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    peso: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))


class PasoPte(db.Model):
    """PTE step template, grouped in sets (`tipo`) like PasoOt; ordered by `orden`; a template with
    `id_padre` is a sub-step of another template of its set; `peso` weights progress."""

    __tablename__ = "paso_pte"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    descripcion: Mapped[str] = mapped_column(String(300))
    tipo: Mapped[int] = mapped_column(Integer, index=True)
    orden: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    peso: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    id_padre: Mapped[int | None] = mapped_column(ForeignKey("paso_pte.id"), index=True)
    activo: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))


class ReglaPasoPte(db.Model):
    """PTE step-set rule: cliente (or any, NULL) -> step set. Exact client wins over any."""

    __tablename__ = "regla_paso_pte"
    __table_args__ = (UniqueConstraint("id_cliente", name="uq_regla_paso_pte_cliente"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_cliente: Mapped[int | None] = mapped_column(ForeignKey("cliente.id"))
    tipo_paso: Mapped[int] = mapped_column(Integer)

    cliente: Mapped[Cliente | None] = relationship(lazy="joined")


class ReglaPaso(db.Model):
    """Step-set rule: (tipo de OT, cliente or any) -> step set. Exact client wins over any."""

    __tablename__ = "regla_paso"
    __table_args__ = (UniqueConstraint("id_tipo", "id_cliente", name="uq_regla_paso_tipo_cliente"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_tipo: Mapped[int] = mapped_column(ForeignKey("tipo.id"))
    id_cliente: Mapped[int | None] = mapped_column(ForeignKey("cliente.id"))
    tipo_paso: Mapped[int] = mapped_column(Integer)

    tipo: Mapped[TipoDocumento] = relationship(lazy="joined")
    cliente: Mapped[Cliente | None] = relationship(lazy="joined")


class Usuario(UserMixin, db.Model):
    __tablename__ = "usuario"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    nombre: Mapped[str] = mapped_column(String(150), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    rol: Mapped[str] = mapped_column(String(10), default="lector")
    activo: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    # Part of the login cookie's identity: rotating it ends every session of this user.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_hex(16))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.rotate_session()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def rotate_session(self) -> None:
        self.session_token = secrets.token_hex(16)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return bool(self.activo)

    def puede(self, rol: str) -> bool:
        """True when this user's role is `rol` or above (lector < editor < admin)."""
        return ROLES.index(self.rol) >= ROLES.index(rol)


class ApiToken(db.Model):
    """An API token, stored only as its SHA-256 (tokens are random, so a fast hash is enough)."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_usuario: Mapped[int] = mapped_column(ForeignKey("usuario.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    nombre: Mapped[str] = mapped_column(String(100), default="")
    activo: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Optional: past it the token gets 401 (`flask users token --expira-dias`). Revoked: activo false.
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    usuario: Mapped[Usuario] = relationship(lazy="joined")

    def vencido(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or utcnow())

    @property
    def vigente(self) -> bool:
        """Usable: not revoked and not expired (its user's state is checked apart)."""
        return bool(self.activo) and not self.vencido()

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, usuario: Usuario, nombre: str = "") -> tuple[ApiToken, str]:
        clear = "ot_" + secrets.token_urlsafe(32)
        return cls(usuario=usuario, token_hash=cls.hash(clear), nombre=nombre), clear


class PTEHeader(db.Model):
    """Planning document (PTE); an OT needs an approved one as parent."""

    __tablename__ = "pte_header"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    oficio_pte: Mapped[str] = mapped_column(String(100), unique=True)
    descripcion: Mapped[str] = mapped_column(Text, default="")
    id_cliente: Mapped[int | None] = mapped_column(ForeignKey("cliente.id"), index=True)
    id_responsable_proyecto: Mapped[int | None] = mapped_column(ForeignKey("responsable_proyecto.id"))
    fecha_solicitud: Mapped[date | None] = mapped_column(Date)
    plazo_dias: Mapped[int] = mapped_column(Integer, default=0)
    monto_mxn: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    monto_usd: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    id_estatus_pte: Mapped[int] = mapped_column(
        ForeignKey("estatus_pte.id"), default=EstatusPTEId.EN_ELABORACION, index=True
    )
    estatus: Mapped[int] = mapped_column(Integer, default=Registro.ACTIVA, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("usuario.id"))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("usuario.id"))

    cliente: Mapped[Cliente | None] = relationship()
    responsable: Mapped[ResponsableProyecto | None] = relationship()
    estatus_pte: Mapped[EstatusPTE] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @hybrid_property
    def aprobada(self) -> bool:
        return self.id_estatus_pte == EstatusPTEId.APROBADA

    @hybrid_property
    def eliminada(self) -> bool:
        return self.estatus == Registro.ELIMINADA

    @hybrid_property
    def puede_originar_ot(self) -> bool:
        """Only a live, approved PTE may parent a new OT."""
        return self.id_estatus_pte == EstatusPTEId.APROBADA and self.estatus == Registro.ACTIVA

    @puede_originar_ot.inplace.expression
    @classmethod
    def _puede_originar_ot_expression(cls):
        return and_(cls.id_estatus_pte == EstatusPTEId.APROBADA, cls.estatus == Registro.ACTIVA)


# The partial index's condition, exactly as the migration wrote it.
_FOLIO_INICIAL_VIVO = f"id_tipo = {TipoId.INICIAL.value} AND estatus <> {Registro.ELIMINADA.value}"


class OTE(db.Model):
    """Work order (orden de trabajo). Tipo 4 is an initial OT; tipo 5 a reprogrammed version."""

    __tablename__ = "ote"
    __table_args__ = (
        # Folio unique among live initial OTs, compared trimmed and case-insensitively.
        Index(
            "uq_ote_folio_inicial",
            "folio_norm",
            unique=True,
            sqlite_where=text(_FOLIO_INICIAL_VIVO),
            postgresql_where=text(_FOLIO_INICIAL_VIVO),
        ),
        # Two versions of one chain never share a number, even when created at the same moment.
        UniqueConstraint("ot_principal", "num_reprogramacion", name="uq_ote_reprogramacion"),
        Index("ix_ote_estatus_id", "estatus", "id"),
        Index("ix_ote_estatus_fecha", "estatus", "fecha_inicio_programado", "id"),
        # The list's common filters: a client's OTs by date, and counts by client and status
        # answered from the index alone (100,000 OTs: 18 ms → 1.4 ms), totals included.
        Index("ix_ote_cliente_fecha", "id_cliente", "fecha_inicio_programado", "id"),
        Index(
            "ix_ote_filtros", "id_cliente", "id_estatus_ot", "estatus", "vigente", "monto_mxn", "monto_usd"
        ),
        # The list's default view, one row per chain: counted and totalled from the index alone (the
        # amounts in it: without them the first count after a write read 87,000 rows, 33 ms).
        Index("ix_ote_vigente_estatus_id", "vigente", "estatus", "id", "monto_mxn", "monto_usd"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    orden_trabajo: Mapped[str] = mapped_column(String(100))
    folio_norm: Mapped[str] = mapped_column(String(100), index=True)
    oficio_ot: Mapped[str | None] = mapped_column(String(100))
    id_tipo: Mapped[int] = mapped_column(ForeignKey("tipo.id"), index=True)
    descripcion_trabajo: Mapped[str] = mapped_column(Text)
    comentario: Mapped[str | None] = mapped_column(Text)
    responsable_cliente: Mapped[str] = mapped_column(String(150))
    id_responsable_proyecto: Mapped[int | None] = mapped_column(
        ForeignKey("responsable_proyecto.id"), index=True
    )
    id_cliente: Mapped[int | None] = mapped_column(ForeignKey("cliente.id"), index=True)
    id_frente: Mapped[int | None] = mapped_column(ForeignKey("frente.id"), index=True)
    id_embarcacion: Mapped[int | None] = mapped_column(
        ForeignKey("embarcacion.id"), index=True
    )  # search by name
    id_plataforma: Mapped[int | None] = mapped_column(
        ForeignKey("plataforma.id"), index=True
    )  # search by name
    id_intercom: Mapped[int | None] = mapped_column(ForeignKey("intercom.id"))
    id_patio: Mapped[int | None] = mapped_column(ForeignKey("patio.id"), index=True)  # search by name
    id_pte_header: Mapped[int] = mapped_column(ForeignKey("pte_header.id"), index=True)
    ot_principal: Mapped[int | None] = mapped_column(ForeignKey("ote.id"), index=True)
    num_reprogramacion: Mapped[int | None] = mapped_column(Integer)
    id_estatus_ot: Mapped[int | None] = mapped_column(ForeignKey("estatus_ot.id"), index=True)
    estatus: Mapped[int] = mapped_column(Integer, default=Registro.ACTIVA)
    monto_mxn: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    monto_usd: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    plazo_dias: Mapped[int] = mapped_column(Integer, default=0)
    # Whether this row is its chain's current version (`read.current_version`: the live member with
    # the highest number). Kept by `commands.mark_current` in every write that changes a chain, so
    # the list's "one row per chain" is an indexed filter instead of a subquery per row.
    vigente: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    # Why a reprogrammed version was made (required by `reprogram_order`, free on other writes).
    motivo: Mapped[str | None] = mapped_column(Text)
    fecha_inicio_programado: Mapped[date | None] = mapped_column(Date)
    fecha_termino_programado: Mapped[date | None] = mapped_column(Date)
    fecha_inicio_real: Mapped[date | None] = mapped_column(Date)
    fecha_termino_real: Mapped[date | None] = mapped_column(Date)
    requiere_patio: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    fecha_inicio_patio: Mapped[date | None] = mapped_column(Date)
    fecha_fin_patio: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("usuario.id"))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("usuario.id"))

    tipo: Mapped[TipoDocumento] = relationship()
    cliente: Mapped[Cliente | None] = relationship()
    frente: Mapped[Frente | None] = relationship()
    embarcacion: Mapped[Embarcacion | None] = relationship()
    plataforma: Mapped[Plataforma | None] = relationship()
    intercom: Mapped[Intercom | None] = relationship()
    patio: Mapped[Patio | None] = relationship()
    responsable: Mapped[ResponsableProyecto | None] = relationship()
    pte: Mapped[PTEHeader] = relationship()
    estatus_ot: Mapped[EstatusOT | None] = relationship()
    principal: Mapped[OTE | None] = relationship(remote_side=[id])
    creador: Mapped[Usuario | None] = relationship(foreign_keys=[created_by])
    editor: Mapped[Usuario | None] = relationship(foreign_keys=[updated_by])

    __mapper_args__ = {"version_id_col": version}

    @hybrid_property
    def eliminada(self) -> bool:
        return self.estatus == Registro.ELIMINADA

    @property
    def por_definir(self) -> bool:
        return self.estatus == Registro.POR_DEFINIR

    @property
    def inicial(self) -> bool:
        return self.id_tipo == TipoId.INICIAL

    @property
    def reprogramada(self) -> bool:
        return self.id_tipo == TipoId.REPROGRAMADA

    @property
    def en_tierra(self) -> bool:
        return FrenteId.en_tierra(self.id_frente)


class StepFieldsMixin:
    """What every checklist step (OT or PTE) records besides its status and comment: its dates and
    its deliverable. `entrega_auto`: the delivery date was stamped by entering Completado (so
    leaving Completado clears it; a date someone typed stays)."""

    fecha_inicio: Mapped[date | None] = mapped_column(Date)
    fecha_termino: Mapped[date | None] = mapped_column(Date)
    fecha_entrega: Mapped[date | None] = mapped_column(Date)
    entrega_auto: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    entregable_url: Mapped[str | None] = mapped_column(String(500))
    # The uploaded deliverable (ot_app.files.StoredFile's fields; stored outside the web root).
    archivo_nombre: Mapped[str | None] = mapped_column(String(255))
    archivo_tamano: Mapped[int | None] = mapped_column(Integer)
    archivo_sha256: Mapped[str | None] = mapped_column(String(64))
    archivo_tipo: Mapped[str | None] = mapped_column(String(10))
    archivo_ruta: Mapped[str | None] = mapped_column(String(300))


class OTDetalle(StepFieldsMixin, db.Model):
    """One step of one OT."""

    __tablename__ = "ot_detalle"
    # The steps still to do (Pendiente, En proceso) and their OTs, without reading 1.2 million
    # steps: the Tablero's steps per project manager and the list's pasos_pendientes filter.
    __table_args__ = (Index("ix_ot_detalle_estatus_ot", "estatus_paso", "id_ot"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_ot: Mapped[int] = mapped_column(ForeignKey("ote.id"), index=True)
    id_paso: Mapped[int] = mapped_column(ForeignKey("paso_ot.id"))
    estatus_paso: Mapped[int] = mapped_column(ForeignKey("estatus_paso.id"), default=EstatusPasoId.PENDIENTE)
    comentario: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("usuario.id"))

    paso: Mapped[PasoOt] = relationship()


class PTEDetalle(StepFieldsMixin, db.Model):
    """One step of one PTE's checklist; a sub-step's parent is the step of its template's parent."""

    __tablename__ = "pte_detalle"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_pte: Mapped[int] = mapped_column(ForeignKey("pte_header.id"), index=True)
    id_paso: Mapped[int] = mapped_column(ForeignKey("paso_pte.id"))
    estatus_paso: Mapped[int] = mapped_column(ForeignKey("estatus_paso.id"), default=EstatusPasoId.PENDIENTE)
    comentario: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("usuario.id"))

    paso: Mapped[PasoPte] = relationship()


class ActividadLog(db.Model):
    """Audit log: who changed what, when, from where; `cambios` maps field -> [old, new]."""

    __tablename__ = "actividad_log"
    __table_args__ = (Index("ix_actividad_entidad", "entidad", "entidad_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    fecha: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    id_usuario: Mapped[int | None] = mapped_column(ForeignKey("usuario.id"))
    usuario: Mapped[str] = mapped_column(String(80), default="")
    accion: Mapped[str] = mapped_column(String(40))
    entidad: Mapped[str] = mapped_column(String(40))
    entidad_id: Mapped[int | None] = mapped_column(Integer)
    cambios: Mapped[dict] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(45))


class VersionDatos(db.Model):
    """One row: a counter every transaction that writes the data bumps as it commits
    (data_version.py). Figures computed over all the OTs are cached per worker under it."""

    __tablename__ = "version_datos"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    n: Mapped[int] = mapped_column(BigInteger, default=0)


class TipoAnexo(StrEnum):
    """The kinds of annex an OT imports (shared/annexes.md); `programa` comes with scheduling."""

    ANEXO_C = "anexo_c"
    SABANA = "sabana"
    PROGRAMA = "programa"


class ConArchivo:
    """The file a revision was imported from, kept under files.py so it downloads again: its
    columns and the StoredFile they name, said once for every kind of revision."""

    # Empty (Python-side defaults) for a revision that came from no file: a program typed in its grid.
    archivo_nombre: Mapped[str] = mapped_column(String(255), default="")
    archivo_tamano: Mapped[int] = mapped_column(Integer, default=0)
    archivo_sha256: Mapped[str] = mapped_column(String(64), default="")
    archivo_tipo: Mapped[str] = mapped_column(String(10), default="")
    archivo_ruta: Mapped[str] = mapped_column(String(200), default="")

    @staticmethod
    def archivo_de(stored, tipo: str | None = None) -> dict:
        """The columns' values for a stored upload (`tipo`: what the importer read it as)."""
        return {
            "archivo_nombre": stored.nombre,
            "archivo_tamano": stored.tamano,
            "archivo_sha256": stored.sha256,
            "archivo_tipo": stored.tipo if tipo is None else tipo,
            "archivo_ruta": stored.ruta,
        }

    def resumen(self) -> dict:
        """What every kind of revision says of itself in the API and on the pages (a revision
        model has n, fecha, usuario and formato besides the file): the fecha in UTC, ISO 8601."""
        return {
            "n": self.n,
            "fecha": self.fecha.isoformat(timespec="seconds") + "Z",
            "usuario": self.usuario,
            "archivo": self.archivo_nombre,
            "tamano": self.archivo_tamano,
            "sha256": self.archivo_sha256,
            "formato": self.formato,
        }

    @property
    def archivo(self):
        from .files import StoredFile

        return StoredFile(
            self.archivo_nombre,
            self.archivo_tamano,
            self.archivo_sha256,
            self.archivo_tipo,
            self.archivo_ruta,
        )


class AnexoRevision(ConArchivo, db.Model):
    """One confirmed import of an OT's annex of one kind: revision n, who, when, and the file as
    received (kept under files.py, so it can be downloaded again). Earlier revisions stay."""

    __tablename__ = "anexo_revision"
    __table_args__ = (UniqueConstraint("id_ot", "tipo", "n", name="uq_anexo_revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_ot: Mapped[int] = mapped_column(ForeignKey("ote.id"), index=True)
    tipo: Mapped[str] = mapped_column(String(20))
    n: Mapped[int] = mapped_column(Integer)
    fecha: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    id_usuario: Mapped[int | None] = mapped_column(ForeignKey("usuario.id"))
    usuario: Mapped[str] = mapped_column(String(80), default="")
    formato: Mapped[str] = mapped_column(String(10))
    hoja: Mapped[str | None] = mapped_column(String(100))
    fila_encabezado: Mapped[int | None] = mapped_column(Integer)
    renglones: Mapped[int] = mapped_column(Integer, default=0)
    total_mxn: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    total_usd: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    # What a kind adds to the report (sábana: its day columns), kept for reading back.
    extra: Mapped[dict] = mapped_column(JSON, default=dict)

    lineas: Mapped[list[AnexoRenglon]] = relationship(
        back_populates="revision", order_by="AnexoRenglon.orden", cascade="all, delete-orphan"
    )


class AnexoRenglon(db.Model):
    """A line of an annex revision. Quantities to 6 decimals, unit prices to 4, importes to cents
    (computed, per currency); `clave` is the line's key (anexo, partida, concepto normalised)."""

    __tablename__ = "anexo_renglon"
    __table_args__ = (UniqueConstraint("id_revision", "clave", name="uq_anexo_renglon_clave"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    id_revision: Mapped[int] = mapped_column(ForeignKey("anexo_revision.id", ondelete="CASCADE"))
    orden: Mapped[int] = mapped_column(Integer)
    fila: Mapped[int] = mapped_column(Integer)
    clave: Mapped[str] = mapped_column(String(64))  # SHA-256 of the key: unique, short, indexable
    anexo: Mapped[str] = mapped_column(String(40), default="")
    partida: Mapped[str] = mapped_column(String(60))
    concepto: Mapped[str] = mapped_column(Text)
    unidad: Mapped[str] = mapped_column(String(40))
    cantidad: Mapped[Decimal] = mapped_column(Numeric(20, 6))
    pu_mxn: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    pu_usd: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    importe_mxn: Mapped[Decimal] = mapped_column(Money)
    importe_usd: Mapped[Decimal] = mapped_column(Money)
    capitulo: Mapped[str | None] = mapped_column(String(60))
    subencabezado: Mapped[str | None] = mapped_column(Text)
    programa: Mapped[dict | None] = mapped_column(JSON)  # sábana: {"2025-10-01": "1", ...}

    revision: Mapped[AnexoRevision] = relationship(back_populates="lineas")


class EstadoTrabajo(StrEnum):
    """Where an upload being read in the background stands (annexes/jobs.py)."""

    PENDIENTE = "pendiente"
    LEYENDO = "leyendo"
    GUARDANDO = "guardando"  # confirmed and read without error: the revision is being written
    LISTO = "listo"
    ERROR = "error"  # the worker failed unexpectedly (the report says so in Spanish)
    INTERRUMPIDO = "interrumpido"  # no progress for too long: the worker was recycled


class AnexoTrabajo(db.Model):
    """An annex upload read by a worker thread (annexes/jobs.py): who started it, how many rows
    are read, and when done the report the upload dialog shows. Short-lived: removed once its
    user read the result, or after an hour. Holds no line of the file (a dry run stores nothing)."""

    __tablename__ = "anexo_trabajo"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    id_ot: Mapped[int] = mapped_column(ForeignKey("ote.id", ondelete="CASCADE"))
    tipo: Mapped[str] = mapped_column(String(20))
    confirmar: Mapped[bool] = mapped_column(Boolean, default=False)
    id_usuario: Mapped[int] = mapped_column(ForeignKey("usuario.id", ondelete="CASCADE"))
    archivo: Mapped[str] = mapped_column(String(255), default="")
    estado: Mapped[str] = mapped_column(String(12), default=EstadoTrabajo.PENDIENTE.value)
    filas: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)  # the sheet's rows, when the file says
    resultado: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class TipoConcepto(StrEnum):
    """A contract concept is ordinary (the contract's own price) or a PUE (precio unitario
    extraordinario, sanctioned later; it may be converted to ordinary)."""

    ORDINARIO = "ordinario"
    PUE = "pue"


class Unidad(db.Model):
    """A unit of the units catalog: `clave` is the canonical spelling (folded, as units compare),
    `nombre` how the pages show it; its aliases are the other spellings seen in files."""

    __tablename__ = "unidad"

    id: Mapped[int] = mapped_column(primary_key=True)
    clave: Mapped[str] = mapped_column(String(40), unique=True)
    nombre: Mapped[str] = mapped_column(String(40))
    activo: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))

    alias: Mapped[list[UnidadAlias]] = relationship(
        back_populates="unidad", order_by="UnidadAlias.alias", cascade="all, delete-orphan"
    )


class UnidadAlias(db.Model):
    """Another spelling of a unit (DIA, DÍA, Día → DIA; M², M2 → M2), stored folded: unique, so a
    spelling means one unit."""

    __tablename__ = "unidad_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_unidad: Mapped[int] = mapped_column(ForeignKey("unidad.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(40), unique=True)

    unidad: Mapped[Unidad] = relationship(back_populates="alias")


class Concepto(db.Model):
    """A concept of the contract's catalog (issue 15): its sub-anexo (C-2 … C-6), partida, text,
    unit and unit prices per currency; ordinary or PUE (with its FECHA SANCION and estatus).
    `clave` is the SHA-256 of its key (anexo, partida, concepto normalised). Never hard-deleted:
    a concept missing from a re-import becomes inactive."""

    __tablename__ = "concepto"
    __table_args__ = (Index("ix_concepto_partida", "partida"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clave: Mapped[str] = mapped_column(String(64), unique=True)
    anexo: Mapped[str] = mapped_column(String(40), default="")
    partida: Mapped[str] = mapped_column(String(60))
    concepto: Mapped[str] = mapped_column(Text)
    unidad: Mapped[str] = mapped_column(String(40))  # as the file writes it
    id_unidad: Mapped[int | None] = mapped_column(ForeignKey("unidad.id"))
    pu_mxn: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    pu_usd: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    tipo: Mapped[str] = mapped_column(String(12), default=TipoConcepto.ORDINARIO.value)
    fecha_sancion: Mapped[date | None] = mapped_column(Date)
    estatus: Mapped[str] = mapped_column(String(60), default="")
    capitulo: Mapped[str | None] = mapped_column(String(60))
    subencabezado: Mapped[str | None] = mapped_column(Text)
    hoja: Mapped[str | None] = mapped_column(String(100))
    fila: Mapped[int | None] = mapped_column(Integer)
    activo: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    # A PUE converted to ordinary by a person: a later PUE list does not turn it back.
    convertido_en: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("usuario.id"))

    unidad_catalogo: Mapped[Unidad | None] = relationship()


class ConceptoRevision(ConArchivo, db.Model):
    """One confirmed import of the contract's concept catalog: revision n, who, when, the file as
    received (kept, so it can be downloaded again) and what it did. The catalog itself is updated
    in place; each concept's changes are in the activity log."""

    __tablename__ = "concepto_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(Integer, unique=True)
    fecha: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    id_usuario: Mapped[int | None] = mapped_column(ForeignKey("usuario.id"))
    usuario: Mapped[str] = mapped_column(String(80), default="")
    formato: Mapped[str] = mapped_column(String(10))
    renglones: Mapped[int] = mapped_column(Integer, default=0)
    nuevos: Mapped[int] = mapped_column(Integer, default=0)
    cambiados: Mapped[int] = mapped_column(Integer, default=0)
    desactivados: Mapped[int] = mapped_column(Integer, default=0)
    sin_cambio: Mapped[int] = mapped_column(Integer, default=0)


# --- Programs, cut-offs and S-curves (issue 19; ot_app/schedules/) ---------------------------------


class PerfilAvance(StrEnum):
    """How an activity's amount spreads over its dates when no explicit distribution is given."""

    LINEAL = "lineal"
    INICIO = "inicio"  # front-loaded
    FINAL = "final"  # back-loaded
    CAMPANA = "campana"  # bell


class OrigenPrograma(StrEnum):
    """Where a program revision came from."""

    CAPTURA = "captura"  # typed in the grid
    PROGRAMA = "programa"  # the annex workbook (DT-6 / DE-MN / DE-ME)
    SABANA = "sabana"  # the resources sábana: daily quantities × P.U.
    ANEXO = "anexo"  # derived from the Anexo C alone: one activity per chapter
    MSPDI = "mspdi"  # MS Project XML
    MPP = "mpp"  # MS Project binary, read through MPXJ
    COPIA = "copia"  # a reprogramming starts from the previous version's program


class OrigenCorte(StrEnum):
    CAPTURA = "captura"  # the cumulative % per activity, typed
    PASOS = "pasos"  # the OT has no program: the % derived from its steps


class ProgramaRevision(ConArchivo, db.Model):
    """One saved execution program of an OT version (an `ote` row): revision n + 1 on every save.
    Earlier revisions stay; version 1's last one is the contractual baseline. A program typed in
    the grid or copied has no file: its file columns are empty strings (`tiene_archivo`)."""

    __tablename__ = "programa_revision"
    __table_args__ = (UniqueConstraint("id_ot", "n", name="uq_programa_revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_ot: Mapped[int] = mapped_column(ForeignKey("ote.id"), index=True)
    n: Mapped[int] = mapped_column(Integer)
    fecha: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    id_usuario: Mapped[int | None] = mapped_column(ForeignKey("usuario.id"))
    usuario: Mapped[str] = mapped_column(String(80), default="")
    origen: Mapped[str] = mapped_column(String(12))
    formato: Mapped[str] = mapped_column(String(10), default="")
    comentario: Mapped[str] = mapped_column(Text, default="")
    # The annex revision it was derived from (programa / sábana / Anexo C), when there is one.
    id_anexo_revision: Mapped[int | None] = mapped_column(ForeignKey("anexo_revision.id"))
    total_mxn: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    total_usd: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    extra: Mapped[dict] = mapped_column(JSON, default=dict)  # what an importer adds (periodos, hojas)

    actividades: Mapped[list[ProgramaActividad]] = relationship(
        back_populates="revision", order_by="ProgramaActividad.orden", cascade="all, delete-orphan"
    )
    ligas: Mapped[list[ProgramaLiga]] = relationship(cascade="all, delete-orphan")

    @property
    def tiene_archivo(self) -> bool:
        return bool(self.archivo_ruta)


class ProgramaActividad(db.Model):
    """A row of a program: a phase (nivel 1; the yard phase is one, `es_patio`) or an activity
    (nivel 2, under the phase above it in `orden`). Amounts and weights are on activities; a
    phase's are the sums of its activities. Weights are percentages of the revision's total per
    currency, 2 decimals, summing to exactly 100.00 among the activities."""

    __tablename__ = "programa_actividad"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    id_revision: Mapped[int] = mapped_column(
        ForeignKey("programa_revision.id", ondelete="CASCADE"), index=True
    )
    orden: Mapped[int] = mapped_column(Integer)
    nivel: Mapped[int] = mapped_column(Integer, default=2)
    wbs: Mapped[str] = mapped_column(String(40), default="")
    nombre: Mapped[str] = mapped_column(Text)
    es_patio: Mapped[bool] = mapped_column(Boolean, default=False)
    inicio: Mapped[date | None] = mapped_column(Date)
    fin: Mapped[date | None] = mapped_column(Date)
    monto_mxn: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    monto_usd: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    peso_mxn: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    peso_usd: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    # Typed, not the default (importe ÷ total), per currency: an MXN weight typed leaves USD following.
    peso_editado_mxn: Mapped[bool] = mapped_column(Boolean, default=False)
    peso_editado_usd: Mapped[bool] = mapped_column(Boolean, default=False)
    perfil: Mapped[str] = mapped_column(String(10), default=PerfilAvance.LINEAL.value)
    avance: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))  # % complete as imported
    # Optional link to annex lines: their `clave` (AnexoRenglon.clave).
    claves_anexo: Mapped[list | None] = mapped_column(JSON)
    # An explicit planned distribution that replaces the profile (the workbook's months, the
    # sábana's days): {"mxn": {"2027-01-01": "1234.50", ...}, "usd": {...}}, amounts as strings.
    distribucion: Mapped[dict | None] = mapped_column(JSON)

    revision: Mapped[ProgramaRevision] = relationship(back_populates="actividades")


class ProgramaLiga(db.Model):
    """A finish-to-start link between two activities of one revision, with a lag in days (may be
    negative: a lead)."""

    __tablename__ = "programa_liga"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_revision: Mapped[int] = mapped_column(
        ForeignKey("programa_revision.id", ondelete="CASCADE"), index=True
    )
    id_predecesora: Mapped[int] = mapped_column(ForeignKey("programa_actividad.id", ondelete="CASCADE"))
    id_sucesora: Mapped[int] = mapped_column(ForeignKey("programa_actividad.id", ondelete="CASCADE"))
    retraso_dias: Mapped[int] = mapped_column(Integer, default=0)


class Corte(db.Model):
    """A weekly cut-off (fecha de corte) of an OT version: a stored snapshot. Its percentages are
    written once, so past curves never change when the plan changes later."""

    __tablename__ = "corte"
    __table_args__ = (UniqueConstraint("id_ot", "fecha_corte", name="uq_corte"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_ot: Mapped[int] = mapped_column(ForeignKey("ote.id"), index=True)
    fecha_corte: Mapped[date] = mapped_column(Date)
    origen: Mapped[str] = mapped_column(String(10))
    id_revision: Mapped[int | None] = mapped_column(ForeignKey("programa_revision.id"))  # the plan measured
    fecha: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    id_usuario: Mapped[int | None] = mapped_column(ForeignKey("usuario.id"))
    usuario: Mapped[str] = mapped_column(String(80), default="")
    comentario: Mapped[str] = mapped_column(Text, default="")
    planeado_mxn: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    planeado_usd: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    real_mxn: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    real_usd: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    spi_mxn: Mapped[Decimal | None] = mapped_column(Numeric(8, 3))  # None when nothing was planned yet
    spi_usd: Mapped[Decimal | None] = mapped_column(Numeric(8, 3))
    dias_atraso: Mapped[int] = mapped_column(Integer, default=0)

    avances: Mapped[list[CorteAvance]] = relationship(cascade="all, delete-orphan")


class CorteAvance(db.Model):
    """The cumulative physical % of one activity at a cut-off."""

    __tablename__ = "corte_avance"
    __table_args__ = (UniqueConstraint("id_corte", "id_actividad", name="uq_corte_avance"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    id_corte: Mapped[int] = mapped_column(ForeignKey("corte.id", ondelete="CASCADE"), index=True)
    id_actividad: Mapped[int] = mapped_column(ForeignKey("programa_actividad.id"))
    avance: Mapped[Decimal] = mapped_column(Numeric(5, 2))


# --- Stored planned curves (issue 19; ot_app/schedules/curve_store.py) -----------------------------


class CurvaOt(db.Model):
    """That an OT version's planned curve rows are stored, and on which cut-off weekday its weeks
    end: a missing row or another weekday (CORTE_DIA_SEMANA changed) is recomputed on read."""

    __tablename__ = "curva_ot"

    id_ot: Mapped[int] = mapped_column(ForeignKey("ote.id", ondelete="CASCADE"), primary_key=True)
    dia_semana: Mapped[int] = mapped_column(Integer)


class CurvaEntrada(db.Model):
    """What an OT version weighs in an aggregate curve in one currency (curves.Entrada): its amount
    in millionths (curve_store.ESCALA), whether it comes from a program, and its planned span."""

    __tablename__ = "curva_entrada"

    id_ot: Mapped[int] = mapped_column(ForeignKey("ote.id", ondelete="CASCADE"), primary_key=True)
    moneda: Mapped[str] = mapped_column(String(3), primary_key=True)
    monto: Mapped[int] = mapped_column(BigInteger)
    de_programa: Mapped[bool] = mapped_column(Boolean)
    primero: Mapped[date | None] = mapped_column(Date)
    ultimo: Mapped[date | None] = mapped_column(Date)


class CurvaIncremento(db.Model):
    """The planned amount of an OT version (weighted by its amount, in millionths) that falls in
    one period (its last day `fin`) of one kind (semana / mes) and currency: summed in SQL per period
    for a client, a site or the portfolio. Periods with nothing planned have no row."""

    __tablename__ = "curva_incremento"
    __table_args__ = (Index("ix_curva_incremento_id_ot", "id_ot"),)

    moneda: Mapped[str] = mapped_column(String(3), primary_key=True)
    periodo: Mapped[str] = mapped_column(String(6), primary_key=True)
    id_ot: Mapped[int] = mapped_column(ForeignKey("ote.id", ondelete="CASCADE"), primary_key=True)
    fin: Mapped[date] = mapped_column(Date, primary_key=True)
    importe: Mapped[int] = mapped_column(BigInteger)


# --- Site bookings and their conflicts (issue 14; ot_app/schedules/conflicts.py) -------------------


class TipoSitio(StrEnum):
    EMBARCACION = "embarcacion"
    PLATAFORMA = "plataforma"
    PATIO = "patio"


class TipoConflicto(StrEnum):
    PROGRAMADO = "programado"  # programmed periods overlapping beyond the site's capacity
    REAL = "real"  # an actual period running into the next booking
    MOVILIZACION = "movilizacion"  # two bookings of a vessel closer than its mobilisation gap


class ReservaSitio(db.Model):
    """One site booked by one OT: the current version of a live chain, for its programmed period
    (a yard: its yard dates when it has them). Kept by every write to an OT (conflicts.sync), so
    the check on save and the portfolio sweep read one narrow indexed table. On PostgreSQL an
    exclusion constraint refuses two overlapping bookings of an exclusive site of capacity 1
    whatever the timing; SQLite serialises writers (BEGIN IMMEDIATE) so the check alone suffices."""

    __tablename__ = "reserva_sitio"
    __table_args__ = (
        # Covers the sweep's read: in its order, with every column it reads (no table lookups).
        Index(
            "ix_reserva_sitio_sitio_desde",
            "tipo_sitio",
            "id_sitio",
            "desde",
            "id_ot",
            "hasta",
            "real_desde",
            "real_hasta",
        ),
        ExcludeConstraint(
            ("tipo_sitio", "="),
            ("id_sitio", "="),
            (text("daterange(desde, hasta, '[]')"), "&&"),
            where=text("exclusivo"),
            using="gist",
            name="ex_reserva_sitio_exclusivo",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_ot: Mapped[int] = mapped_column(ForeignKey("ote.id", ondelete="CASCADE"), index=True)
    tipo_sitio: Mapped[str] = mapped_column(String(12))
    id_sitio: Mapped[int] = mapped_column(Integer)
    desde: Mapped[date] = mapped_column(Date)
    hasta: Mapped[date] = mapped_column(Date)
    real_desde: Mapped[date | None] = mapped_column(Date)
    real_hasta: Mapped[date | None] = mapped_column(Date)
    # The site is exclusive with capacity 1 (copied from it: the constraint's condition).
    exclusivo: Mapped[bool] = mapped_column(Boolean, default=False)


# The exclusion constraint compares integers and text with `=` inside a GiST index: btree_gist.
event.listen(
    ReservaSitio.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS btree_gist").execute_if(dialect="postgresql"),
)


class ConflictoAceptado(db.Model):
    """A conflict a person accepted with a reason: no longer reported while the same OTs overlap
    over the same days (a change of dates makes it a new conflict)."""

    __tablename__ = "conflicto_aceptado"
    __table_args__ = (
        UniqueConstraint(
            "tipo", "tipo_sitio", "id_sitio", "ots", "desde", "hasta", name="uq_conflicto_aceptado"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tipo: Mapped[str] = mapped_column(String(12))
    tipo_sitio: Mapped[str] = mapped_column(String(12))
    id_sitio: Mapped[int] = mapped_column(Integer)
    ots: Mapped[str] = mapped_column(String(200))  # the OT ids, sorted, comma-separated
    desde: Mapped[date] = mapped_column(Date)
    hasta: Mapped[date] = mapped_column(Date)
    motivo: Mapped[str] = mapped_column(Text)
    fecha: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    id_usuario: Mapped[int | None] = mapped_column(ForeignKey("usuario.id"))
    usuario: Mapped[str] = mapped_column(String(80), default="")
