"""Every address an engagement was ever shared under leads to it.

Printed flyers and QR codes live for years, and people type addresses by hand: an address in
another case (`/e/FAMILY-SURVEY-2026`), with a trailing slash, or one the engagement had before
it was renamed answers with a permanent redirect to the current address, keeping the query
string (`?channel=qr`, `?lang=ht`). The lookup runs only when the exact address misses, so the
family's usual path costs nothing more.
"""

from urllib.parse import urlencode

import sqlalchemy as sa
from flask import redirect, request, url_for

from engagement.errors import render_error
from engagement.extensions import db
from engagement.i18n import supported
from engagement.invitations import LINK_CHANNELS
from engagement.models import Engagement, EngagementAddress, EngagementStatus, School
from engagement.public import bp

# The family pages whose address names an engagement.
ENGAGEMENT_PAGES = ("public.engagement", "public.thanks")


def current_slug(slug: str) -> str | None:
    """The current address of the engagement that `slug` names (in any case, or an earlier
    address of it), or None when none does."""
    lowered = slug.lower()
    current = db.session.scalar(
        sa.select(Engagement.slug).where(sa.func.lower(Engagement.slug) == lowered).limit(1)
    )
    if current is not None:
        return current
    return db.session.scalar(
        sa.select(Engagement.slug)
        .join(EngagementAddress, EngagementAddress.engagement_id == Engagement.id)
        .where(EngagementAddress.slug == lowered)
    )


def _to(endpoint: str, slug: str):
    """A permanent redirect to `endpoint` for `slug`, with this request's query string."""
    query = urlencode(list(request.args.items(multi=True)))
    return redirect(url_for(endpoint, slug=slug) + (f"?{query}" if query else ""), code=301)


def _moved(endpoint: str, slug: str):
    """A 301 to `endpoint` at the current address of `slug`, or None."""
    current = current_slug(slug)
    if current is None or current == slug:
        return None
    return _to(endpoint, current)


@bp.route("/e/<slug>/")
def trailing_slash(slug):
    """`/e/<slug>/` (a slash added by hand or by a mail program): the form's address."""
    return _moved("public.engagement", slug) or _to("public.engagement", slug)


@bp.errorhandler(404)
def not_found(error):
    """An engagement page that does not exist at this address may exist at another."""
    endpoint = request.endpoint
    slug = (request.view_args or {}).get("slug")
    if endpoint in ENGAGEMENT_PAGES and slug and request.method in ("GET", "HEAD"):
        moved = _moved(endpoint, slug)
        if moved is not None:
            return moved
    return render_error(404)


@bp.route("/i/<int:number>/<letter>/<lang>")
@bp.route("/i/<int:number>/<letter>/<lang>/<int:school>")
def invitation(number: int, letter: str, lang: str, school: int | None = None):
    """A short invitation link (text messages): the form's address tagged with the channel,
    the language and the school's list it was sent to (engagement.invitations)."""
    channel = LINK_CHANNELS.get(letter)
    # A draft is nobody's to find yet: its id must not lead to its address.
    slug = db.session.scalar(
        sa.select(Engagement.slug).where(
            Engagement.id == number, Engagement.status != EngagementStatus.DRAFT
        )
    )
    if channel is None or slug is None:
        return render_error(404)
    args = {"channel": channel.value}
    if lang in supported():
        args["lang"] = lang
    if school is not None:
        code = db.session.scalar(sa.select(School.code).where(School.id == school))
        if code is not None:
            args["school"] = code
    # Not permanent: the link stays the same while the engagement's address is the one to
    # keep (the form's own address is fixed once it opens).
    return redirect(url_for("public.engagement", slug=slug, **args), code=302)
