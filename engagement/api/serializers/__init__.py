"""The engagement app's serializers, one module per theme."""
