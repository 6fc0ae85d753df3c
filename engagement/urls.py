"""URLs: path arguments the database can hold.

`<int:...>` in a route takes only ids a database integer column can hold, and `<name>` only
text without control characters (PostgreSQL refuses a NUL in any text): anything else is a
page that does not exist (404), never a query that fails (an error 500).
"""

from werkzeug.routing import IntegerConverter, UnicodeConverter

from engagement.models.base import MAX_ID


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
