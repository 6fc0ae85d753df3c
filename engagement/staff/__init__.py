"""Staff and council-lead workspace. Every view requires a signed-in account; role and
council scope are checked on the server in engagement.staff.access, never by hiding links."""

from flask import Blueprint

bp = Blueprint("staff", __name__)

from engagement.staff import access  # noqa: E402,F401
from engagement.staff import auth, dashboard, users  # noqa: E402,F401
from engagement.staff import authoring, translating, events, loop  # noqa: E402,F401
