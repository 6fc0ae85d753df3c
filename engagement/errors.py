"""Error pages in the visitor's language."""

from flask import render_template
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import SecurityError

from engagement.extensions import db
from engagement.i18n import _l
from engagement.urls import public_url_adapter

MESSAGES = {
    400: (
        _l("Something was wrong with the request"),
        _l("The page could not understand what was sent. Please go back and try again."),
    ),
    403: (
        _l("You do not have access to this page"),
        _l(
            "Your account does not allow this. If you think it should, ask a district "
            "administrator."
        ),
    ),
    404: (
        _l("Page not found"),
        _l("We could not find this page. The link may be old or mistyped."),
    ),
    405: (
        _l("This action is not allowed here"),
        _l("Please go back and use the buttons on the page."),
    ),
    413: (_l("What you sent is too large"), _l("Please shorten your answers and send them again.")),
    429: (
        _l("Too many tries"),
        _l(
            "You have sent this many times in a short time. Please wait a few minutes "
            "and try again."
        ),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("We are sorry. Please try again in a few minutes."),
    ),
    503: (
        _l("The system is busy"),
        _l("Please wait a moment and send again. Nothing you typed has been saved yet."),
    ),
    "csrf": (
        _l("This page has expired"),
        _l(
            "For your security, forms expire after a while. Please go back, reload the "
            "page and send again."
        ),
    ),
}


def render_error(code, status=None):
    title, message = MESSAGES[code]
    return (
        render_template("errors/error.html", code=code, title=title, message=message),
        status or code,
    )


def init_app(app):
    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, lambda error, code=code: render_error(code))

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # A Host header outside TRUSTED_HOSTS. Flask made no URL adapter for this request,
        # so the page's own (relative) links are built on the public address instead.
        request_ctx.url_adapter = public_url_adapter()
        return render_error(400)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error("csrf", 400)

    @app.errorhandler(OperationalError)
    def database_busy(error):
        # A locked or unreachable database: say so plainly, and let the visitor try again.
        db.session.rollback()
        app.logger.warning("database unavailable: %s", type(error.orig).__name__)
        return render_error(503)

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_error(500)
