"""Models of the supervision app arrive with their issue (see DESIGN.md)."""
