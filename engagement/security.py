"""Security headers on every response, and the transport settings for production.

The headers go on every response, pages, static files and error pages alike. HSTS is sent
only over HTTPS (browsers ignore it over plain HTTP, and it must never be sent on a
development server). Behind a reverse proxy or load balancer, set TRUSTED_PROXIES to the
number of proxies in front of the app so that the scheme (for secure cookies and HSTS) and
the client address (for rate limits only) come from their X-Forwarded-* headers.
"""

from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline script or style anywhere: every script and stylesheet is a file of our own.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'; frame-ancestors 'none'"
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # For browsers that predate CSP frame-ancestors.
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_app(app):
    """Trust the configured proxies and add the security headers to every response."""
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    @app.after_request
    def set_security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        hsts_seconds = int(app.config.get("HSTS_SECONDS") or 0)
        if hsts_seconds and request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", f"max-age={hsts_seconds}")
        return response
