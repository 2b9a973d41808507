"""Errors a service raises: a Spanish message, the field errors and the HTTP status to answer with.

Pages show them beside the fields or as a toast; the API turns them into the envelope."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400
    tipo_aviso = "error"

    def __init__(self, detalles: str, errores: dict | None = None, status=None, tipo_aviso=None, **extra):
        super().__init__(detalles)
        self.detalles = detalles
        self.errores = errores or {}
        if status:
            self.status = status
        if tipo_aviso:
            self.tipo_aviso = tipo_aviso
        self.extra = extra


class ValidationFailed(ServiceError):
    @classmethod
    def from_errors(cls, errores: dict[str, str]) -> ValidationFailed:
        return cls(next(iter(errores.values())), errores)


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    """Someone else saved first (a lost update): pages show both versions."""

    status = 409


class Replaced(ServiceError):
    """A chain member that is not (or may not become) the current version: `vigente` names the one
    that is. A 409 like Conflict, but not a lost update, so pages show only the message."""

    status = 409


__all__ = ["ServiceError", "ValidationFailed", "NotFound", "Forbidden", "Conflict", "Replaced"]
