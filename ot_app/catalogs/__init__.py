"""Simple catalogs, step templates and step-set rules: the data OTs stand on."""
