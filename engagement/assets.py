"""Static files with fingerprinted names and a year-long immutable cache.

`asset_url("app.css")` gives `/static/app.3f2a1b9c0d.css`; the hash changes whenever the
file does, so browsers may keep a copy forever and never revalidate.
"""

import hashlib
from pathlib import Path

from flask import abort, send_from_directory, url_for

STATIC_DIR = Path(__file__).resolve().parent / "static"
ONE_YEAR = 365 * 24 * 3600


def _fingerprints() -> dict[str, str]:
    result = {}
    for path in STATIC_DIR.rglob("*"):
        if path.is_file():
            name = path.relative_to(STATIC_DIR).as_posix()
            result[name] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return result


def fingerprinted(name: str, digest: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"


def init_app(app):
    fingerprints = _fingerprints()
    by_public_name = {fingerprinted(n, d): n for n, d in fingerprints.items()}

    def asset_url(name: str) -> str:
        return url_for("asset", filename=fingerprinted(name, fingerprints[name]))

    def serve(filename):
        real = by_public_name.get(filename)
        if real is None:
            abort(404)
        response = send_from_directory(STATIC_DIR, real, max_age=ONE_YEAR, etag=True)
        response.cache_control.immutable = True
        response.cache_control.public = True
        return response

    app.add_url_rule("/static/<path:filename>", endpoint="asset", view_func=serve)
    app.jinja_env.globals["asset_url"] = asset_url
