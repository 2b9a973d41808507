"""The simple catalogs by slug: the one map from a URL's or API's catalog name to its model, with how
the pages name it. The catalog pages, the OT pages' selects and `/api/catalogos/<nombre>` use it."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import (
    Cliente,
    Embarcacion,
    EstatusOT,
    EstatusPaso,
    EstatusPTE,
    Frente,
    Intercom,
    OTDetalle,
    PasoOt,
    PasoPte,
    Patio,
    Plataforma,
    PTEDetalle,
    ReglaPaso,
    ReglaPasoPte,
    ResponsableProyecto,
    TipoDocumento,
)
from ..service_errors import NotFound


@dataclass(frozen=True)
class Catalogo:
    slug: str
    model: type
    titulo: str  # plural, for headings: "Clientes"
    singular: str  # "cliente"
    femenino: bool = False
    editable: bool = True
    sitio: bool = False  # a site OTs book: capacity, exclusivity, mobilisation gap (SitioMixin)

    @property
    def nuevo(self) -> str:
        return ("Nueva " if self.femenino else "Nuevo ") + self.singular


CATALOGOS: dict[str, Catalogo] = {
    c.slug: c
    for c in (
        Catalogo("clientes", Cliente, "Clientes", "cliente"),
        Catalogo("embarcaciones", Embarcacion, "Embarcaciones", "embarcación", femenino=True, sitio=True),
        Catalogo("plataformas", Plataforma, "Plataformas", "plataforma", femenino=True, sitio=True),
        Catalogo("intercoms", Intercom, "Intercoms", "intercom"),
        Catalogo("patios", Patio, "Patios", "patio", sitio=True),
        Catalogo("responsables", ResponsableProyecto, "Responsables de proyecto", "responsable de proyecto"),
        Catalogo("estatus_ot", EstatusOT, "Estatus de OT", "estatus de OT"),
        # Rules depend on these fixed ids: shown, never edited.
        Catalogo("tipos", TipoDocumento, "Tipos de OT", "tipo de OT", editable=False),
        Catalogo("frentes", Frente, "Frentes", "frente", editable=False),
        Catalogo("estatus_paso", EstatusPaso, "Estatus de paso", "estatus de paso", editable=False),
        Catalogo("estatus_pte", EstatusPTE, "Estatus de PTE", "estatus de PTE", editable=False),
    )
}

# slug → model, for lookups that only need the table.
MODELS: dict[str, type] = {slug: cat.model for slug, cat in CATALOGOS.items()}


def get_catalogo(slug: str) -> Catalogo:
    cat = CATALOGOS.get(slug)
    if cat is None:
        raise NotFound(f"No existe el catálogo {slug}.")
    return cat


@dataclass(frozen=True)
class StepKind:
    """A kind of checklist (OT or PTE): its templates, the steps made from them, its set rules and
    how the pages name it. The step-template and rule pages and services serve both through it."""

    slug: str  # "ot" | "pte": the `kind` of the catalog URLs
    template: type  # PasoOt | PasoPte
    detail: type  # OTDetalle | PTEDetalle
    owner: str  # the detail's column naming its OT or PTE
    rule: type  # ReglaPaso (tipo, cliente) | ReglaPasoPte (cliente)
    usado_por: str  # "OT" | "PTE"
    entidad: str  # the activity log's name for a template
    entidad_regla: str  # ... and for a rule
    substeps: bool  # templates may be ordered and nested (PTE)


STEP_KINDS: dict[str, StepKind] = {
    "ot": StepKind("ot", PasoOt, OTDetalle, "id_ot", ReglaPaso, "OT", "paso_ot", "regla_paso", False),
    "pte": StepKind(
        "pte", PasoPte, PTEDetalle, "id_pte", ReglaPasoPte, "PTE", "paso_pte", "regla_paso_pte", True
    ),
}
