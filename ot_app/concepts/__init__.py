"""The contract's concept catalog (issue 15): ordinary and PUE concepts per sub-anexo, the units
catalog that normalises spellings, the import (the annex importer's machinery, kind `catalogo`),
the matching of an OT's annex lines against it, and its page under /catalogos/conceptos.

Kept free of imports: annexes/kinds.py imports concepts.kind, and the blueprint lives in
routes.py (imported by the app factory)."""
