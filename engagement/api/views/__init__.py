"""The engagement app's API views, one module per theme, each with its ROUTES."""
