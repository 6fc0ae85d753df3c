"""URLs: the district's public address, and path arguments the database can hold.

`public_url(endpoint, **values)` is the one way to make an absolute link (flyers, QR codes):
it is built on PUBLIC_BASE_URL, never on the Host header of the current request, which
anyone can set. Pages link with relative URLs (url_for) and need no address at all.

`<int:...>` in a route takes only ids a database integer column can hold, and `<name>` only
text without control characters (PostgreSQL refuses a NUL in any text): anything else is a
page that does not exist (404), never a query that fails (an error 500).
"""

from urllib.parse import urlsplit

from flask import current_app
from werkzeug.routing import IntegerConverter, UnicodeConverter

from engagement.models.base import MAX_ID


def public_base_url() -> str:
    """PUBLIC_BASE_URL without a trailing slash, e.g. "https://voice.district.org"."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def public_url_adapter():
    """The app's URL map bound to PUBLIC_BASE_URL (not to any request)."""
    base = urlsplit(public_base_url())
    return current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )


def public_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` at PUBLIC_BASE_URL; values that are not path arguments
    become the query string (like url_for)."""
    return public_url_adapter().build(endpoint, values, force_external=True)


class IdConverter(IntegerConverter):
    """`<int:name>`: a non-negative integer up to MAX_ID (unless the rule sets its own max)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class SegmentConverter(UnicodeConverter):
    """`<name>` and `<string:name>`: one path segment without control characters."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]", 1)


def init_app(app):
    """Use these converters for every route registered after this."""
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["default"] = SegmentConverter
    app.url_map.converters["string"] = SegmentConverter
