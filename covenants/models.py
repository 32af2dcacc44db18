"""Models of the covenants app arrive with their issue (see DESIGN.md)."""
