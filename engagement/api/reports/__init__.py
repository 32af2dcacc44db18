"""The engagement app's reports (DESIGN.md §7 and one per theme), one module per theme."""
