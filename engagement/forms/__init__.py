"""The engagement app's page forms, one module per theme."""
