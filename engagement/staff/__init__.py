"""Staff and council-lead workspace. Every view requires a signed-in account; role and
council scope are checked on the server in engagement.staff.access, never by hiding links."""

from flask import Blueprint

bp = Blueprint("staff", __name__)

from engagement.staff import (  # noqa: E402,F401  (modules that register views on bp)
    access,
    auth,
    authoring,
    dashboard,
    events,
    exports,
    flyer,
    held,
    loop,
    summary,
    translating,
    users,
)
