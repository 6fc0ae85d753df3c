"""The URL fetcher for WeasyPrint: the PDF report fetches nothing, from anywhere.

The report carries its stylesheet and charts inline, so any URL in it (an image, a linked
stylesheet, a CSS `url()`) can only come from a mistake or from text that slipped through:
refusing every URL means a report can never make the server open a connection (to the
network or to itself) or read a local file. WeasyPrint (62 and later) wants a `URLFetcher`
instance; an ordinary exception from `fetch` makes it log a warning and render the page
without that resource.
"""

from weasyprint.urls import URLFetcher, URLFetchingError


class RefusingFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that refuses every URL, so the PDF renders without it."""

    def fetch(self, url, headers=None):
        """Refuse `url` without opening anything."""
        raise URLFetchingError(f"the report fetches no external resources ({url[:40]})")
