"""Models of the covenants app arrive with their issue (see docs/domain.md)."""
