"""Annex importers (Anexo C, sábana; programa later): a pipeline of small pure steps, detect →
read → find layout → classify → apply rules → report, then confirm as a revision (commands.py).
The contract is shared/annexes.md."""
