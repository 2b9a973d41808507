"""User management for admins (the page /usuarios and the service the CLI shares)."""
