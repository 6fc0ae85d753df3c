"""Family-facing pages: no login. Never imports the staff or exports packages."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from engagement.public import addresses, exchange, results, routes  # noqa: E402,F401
