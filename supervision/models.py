"""Models of the supervision app arrive with their issue (see docs/domain.md)."""
