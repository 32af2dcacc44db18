"""Models of the rights_lists app arrive with their issue (see docs/domain.md)."""
