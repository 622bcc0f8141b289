"""WTForms classes of the web UI, one module per feature."""
