"""Reliability: lost updates, load, crash, parser properties and bad input to every form."""
