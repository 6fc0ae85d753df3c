"""WSGI entry point: `flask --app wsgi ...` and `gunicorn wsgi:app`.

ENGAGEMENT_CONFIG picks the config class (development, production, ...).
"""

import os

from engagement import create_app

app = create_app(os.environ.get("ENGAGEMENT_CONFIG"))
