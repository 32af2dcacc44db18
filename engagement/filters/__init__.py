"""The engagement app's list filters (django-filter), one module per theme, shared by API and pages."""
