"""The portal's settings with the floor views beside its URLs (bench/floor_urls.py): what
bench/api_load measures the API against, served by the same gunicorn with the same middleware."""

from governance.settings import *  # noqa: F403

ROOT_URLCONF = "floor_urls"
