"""Scheduling (issue 19): each OT version's execution program, its weekly cut-offs and its
S-curves. `plan.py` is the shape every source of a program produces (the grid, the annex
workbook, the sábana, the Anexo C, MS Project); `commands.save_program` stores one as a revision."""
