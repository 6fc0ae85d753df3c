"""The PDF report fetches nothing: every URL in its HTML or CSS is refused, and it still renders.

A report page that somehow carried an image, a linked stylesheet or a CSS `url()` must not make
the server open a connection (SSRF) or read a local file; the PDF comes out without them.
"""

import io
import socket
import urllib.request

import pypdf
import pytest

from engagement.exports import render
from tests.system_deps import require_pdf

URLS = {
    "image": "http://127.0.0.1:1/x.png",
    "stylesheet": "http://127.0.0.1:1/report.css",
    "import": "http://127.0.0.1:1/imported.css",
    "background": "http://127.0.0.1:1/background.png",
    "font": "http://127.0.0.1:1/font.woff2",
    "file": "file:///etc/hostname",
}

HOSTILE_HTML = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Report</title>
<link rel="stylesheet" href="{URLS["stylesheet"]}">
<style>
@import url("{URLS["import"]}");
@font-face {{ font-family: "Remote"; src: url("{URLS["font"]}"); }}
body {{ background: url("{URLS["background"]}"); }}
h1 {{ font-family: "Remote", sans-serif; }}
</style></head>
<body><h1>Engagement report zq9x</h1>
<img src="{URLS["image"]}" alt="chart">
<img src="{URLS["file"]}" alt="local file">
<p>The body renders without any of them.</p></body></html>"""


def test_pdf_renders_without_fetching_any_url(monkeypatch):
    require_pdf()
    from engagement.exports.pdf_fetcher import RefusingFetcher

    opened, asked = [], []

    def no_connect(sock, address):
        opened.append(address)
        raise OSError("the test forbids network access")

    def no_open(opener, url, *args, **kwargs):
        opened.append(getattr(url, "full_url", url))
        raise OSError("the test forbids urllib")

    original_fetch = RefusingFetcher.fetch

    def recording_fetch(fetcher, url, headers=None):
        asked.append(url)
        return original_fetch(fetcher, url, headers)

    # WeasyPrint turns any error of a fetch into a logged warning, so a forbidden call is
    # recorded here rather than raised into the test.
    monkeypatch.setattr(socket.socket, "connect", no_connect)
    monkeypatch.setattr(socket, "create_connection", no_connect)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_open)
    monkeypatch.setattr(RefusingFetcher, "fetch", recording_fetch)
    monkeypatch.setattr(render, "_render", lambda report: HOSTILE_HTML)

    pdf = render.render_pdf(report=None)

    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Engagement report zq9x" in text
    assert opened == []
    # Every reference reached the fetcher and was refused there (so the test sees them all).
    assert set(URLS.values()) <= set(asked), set(URLS.values()) - set(asked)


def test_refusing_fetcher_is_the_kind_weasyprint_wants():
    require_pdf()
    from weasyprint.urls import URLFetcher, URLFetchingError

    from engagement.exports.pdf_fetcher import RefusingFetcher

    fetcher = RefusingFetcher()
    assert isinstance(fetcher, URLFetcher)
    with pytest.raises(URLFetchingError):
        fetcher.fetch("http://127.0.0.1:1/x.png")
