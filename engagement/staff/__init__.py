"""Staff and council-lead workspace. Every view requires a signed-in account; capabilities
and council scope are checked on the server in engagement.staff.access, never by hiding links.

Views live in the modules below, every form in forms.py, and the database writes and rules
behind them in services/<feature>.py."""

from flask import Blueprint

bp = Blueprint("staff", __name__)

from engagement.staff import (  # noqa: E402,F401  (modules that register views on bp)
    access,
    account,
    auth,
    authoring,
    dashboard,
    events,
    exchange,
    exports,
    flyer,
    follow_up,
    held,
    invite,
    loop,
    proposals,
    reuse,
    summary,
    translating,
    users,
)
