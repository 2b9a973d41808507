"""Work orders (OT): forms, services and, for the browser, the pages."""
