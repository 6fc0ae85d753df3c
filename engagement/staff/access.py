"""Every access decision of the staff workspace, in one place.

- Every staff URL needs a signed-in, active account (`before_request`), except the views
  marked `@public_view` (sign-in pages, set-password links).
- Two-step sign-in is required for administrators: one without it is sent to set it up and
  can open nothing else (except the views marked `@setup_view`) until it is on.
- Named capabilities (`may_author`, `may_export_raw`, ...) say what an account may do;
  `@requires(capability)` guards a view with one, and templates read the same names as
  booleans (`{% if may_author %}`), so a link is shown exactly when its page would open.
- Council scope: `council_scope(user)` is None for staff and admins, the ids of a council
  lead's councils otherwise. `visible_engagements()`, `engagement_for(slug)`,
  `visible_councils()` and `council_for(code)` apply it; an engagement or council outside it
  is a 404, so that its existence is not revealed.
- Live or published: `may_read_live_summaries` (staff, admins) decides whether summary
  pages are computed live, with filters, or read from published snapshots (council leads).
- `child_or_404(model, engagement, id)` loads a question, option, event or note of an
  engagement the user may already see, and 404s for a child of any other engagement.
- `may_set_own_access` keeps an administrator from locking themself out.

Views and templates ask this module; none of them compares roles itself.
"""

from functools import wraps
from operator import attrgetter

import sqlalchemy as sa
from flask import abort, redirect, request, url_for
from flask_login import current_user

from engagement.extensions import db
from engagement.models import Engagement, GroupKind, QuestionOption, Role, StakeholderGroup
from engagement.staff import bp

ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset({Role.ADMIN, Role.STAFF})
ADMIN_ROLES = frozenset({Role.ADMIN})
LEAD_ROLES = frozenset({Role.COUNCIL_LEAD})

_PUBLIC_VIEWS: set[str] = set()
_SETUP_VIEWS: set[str] = set()


def public_view(view):
    """Mark a staff view that needs no sign-in (the sign-in pages, set-password links)."""
    _PUBLIC_VIEWS.add(view.__name__)
    return view


def setup_view(view):
    """Mark a view an administrator may use before two-step sign-in is set up."""
    _SETUP_VIEWS.add(view.__name__)
    return view


@bp.before_request
def require_sign_in():
    endpoint = (request.endpoint or "").split(".")[-1]
    if endpoint in _PUBLIC_VIEWS:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("staff.login", next=request.full_path))
    if must_set_up_two_step(current_user) and endpoint not in _SETUP_VIEWS:
        return redirect(url_for("staff.two_step_setup"))
    return None


def two_step_required(user) -> bool:
    """Administrators must sign in with a second step; for others it is a choice."""
    return _role_in(user, ADMIN_ROLES)


def must_set_up_two_step(user) -> bool:
    """True for an administrator whose two-step sign-in is not on yet."""
    return two_step_required(user) and not user.totp_enabled


# --- named capabilities ------------------------------------------------------------------


def _role_in(user, roles) -> bool:
    return bool(user is not None and user.is_authenticated and user.role in roles)


def may_author(user) -> bool:
    """Create and edit engagements, their questions, options, translations and flyers."""
    return _role_in(user, STAFF_ROLES)


def may_record_events(user) -> bool:
    """Record forums and meetings, and type in their comment cards."""
    return _role_in(user, STAFF_ROLES)


def may_write_loop_actions(user) -> bool:
    """Write "you said, we did" notes (within the council scope); a council lead's note is a
    draft until staff approve it (`may_approve_changes`)."""
    return _role_in(user, ALL_ROLES)


def may_read_summaries(user) -> bool:
    """Read theme summaries (within the council scope, small groups suppressed)."""
    return _role_in(user, ALL_ROLES)


def may_read_live_summaries(user) -> bool:
    """Read summaries computed live from the answers, with filters across engagements
    (staff, admins). Council leads read published snapshots instead (engagement.summary)."""
    return _role_in(user, STAFF_ROLES)


def may_review_answers(user) -> bool:
    """Read written comments as families wrote them (the review page), re-code their themes,
    approve or reject them as quotes and mask words by hand. Staff only: comments carry
    language, school and theme together, which can point at one family."""
    return _role_in(user, STAFF_ROLES)


def may_write_renderings(user) -> bool:
    """Write and correct the English rendering of a quote in another language, on the review
    page. Staff only, like the review itself: a rendering is written from the comment beside
    its language, school and codes, and it is published under the district's name. Council
    leads read the approved renderings beside the quotes of their snapshots."""
    return _role_in(user, STAFF_ROLES)


def may_suggest_changes(user) -> bool:
    """Suggest a theme re-code or "don't quote this" on a quote shown in a summary; the
    suggestion changes nothing until staff approve it."""
    return _role_in(user, LEAD_ROLES)


def may_approve_changes(user) -> bool:
    """Decide on council leads' suggestions and draft notes (the proposals page), and change
    codes, quotes, notes and their translations directly, without approval."""
    return _role_in(user, STAFF_ROLES)


def may_unmask_quotes(user) -> bool:
    """Show quotes with personal details unmasked, on screen only (exports always mask)."""
    return _role_in(user, ADMIN_ROLES)


def may_export_summary(user) -> bool:
    """Download the aggregated summary tables (within the council scope)."""
    return _role_in(user, ALL_ROLES)


def may_export_raw(user) -> bool:
    """Download every response as written, with its theme codes, and the data dictionary
    (never contact details: `may_export_contacts`). Staff only: council leads never see
    raw responses."""
    return _role_in(user, STAFF_ROLES)


def may_export_contacts(user) -> bool:
    """Add the follow-up contacts families chose to give to a raw export (audited as such)."""
    return _role_in(user, ADMIN_ROLES)


def may_read_report(user) -> bool:
    """Read the Commitment 4 evidence report of the whole district."""
    return _role_in(user, STAFF_ROLES)


def may_review_held(user) -> bool:
    """Release or set aside answers held as suspicious (they may target a council's numbers)."""
    return _role_in(user, STAFF_ROLES)


def may_follow_up(user) -> bool:
    """Work the "needs follow-up" queue: urgent comments and families who asked to be
    contacted (engagement.followup). Staff only: council leads never see it."""
    return _role_in(user, STAFF_ROLES)


def may_see_contacts(user) -> bool:
    """Read the contact details families chose to give, on screen (the same accounts that
    may export them with every response, `may_export_contacts`)."""
    return _role_in(user, ADMIN_ROLES)


def may_run_exchange(user) -> bool:
    """Turn exchange mode on for a forum, council or coffee engagement, switch its phase
    (Share, Rate, Closed) and show its projector view (counts only)."""
    return _role_in(user, STAFF_ROLES)


def may_moderate_ideas(user) -> bool:
    """Approve or reject shared ideas before anyone rates them, and write their English
    rendering and translations. Staff only: an idea is a family's own words."""
    return _role_in(user, STAFF_ROLES)


def may_manage_users(user) -> bool:
    """Create and change staff accounts, and read the audit log."""
    return _role_in(user, ADMIN_ROLES)


CAPABILITIES = {
    capability.__name__: capability
    for capability in (
        may_author,
        may_record_events,
        may_write_loop_actions,
        may_read_summaries,
        may_read_live_summaries,
        may_review_answers,
        may_write_renderings,
        may_suggest_changes,
        may_approve_changes,
        may_unmask_quotes,
        may_export_summary,
        may_export_raw,
        may_export_contacts,
        may_read_report,
        may_review_held,
        may_follow_up,
        may_see_contacts,
        may_run_exchange,
        may_moderate_ideas,
        may_manage_users,
    )
}


def capabilities(user) -> dict[str, bool]:
    """Every named capability of `user`, for templates."""
    return {name: capability(user) for name, capability in CAPABILITIES.items()}


@bp.context_processor
def capability_flags():
    """`may_author`, `may_manage_users`, ... as booleans on every staff page, and whether
    two-step sign-in is required (`two_step_required`) or still to be set up."""
    flags = capabilities(current_user)
    flags["two_step_required"] = two_step_required(current_user)
    flags["must_set_up_two_step"] = must_set_up_two_step(current_user)
    return flags


@bp.context_processor
def demo_data_flag():
    """`demo_data_present` for the banner on every signed-in staff page: figures made up for
    trying the product must never be mistaken for what families said."""
    if not getattr(current_user, "is_authenticated", False):
        return {"demo_data_present": False}
    from engagement.demo import has_demo_data

    return {"demo_data_present": has_demo_data()}


def requires(capability):
    """Allow the view only to accounts with `capability` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("staff.login", next=request.full_path))
            if not capability(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def may_reset_password_of(actor, account) -> bool:
    """Administrators make set-password links for others; their own password is changed on
    their Account page (with the current one), never reset from here."""
    return may_manage_users(actor) and account.id != actor.id


def may_set_own_access(actor, account, role, active) -> bool:
    """False when `actor` would remove their own administrator access by giving `account`
    this role and activity: the district must not lock itself out of account management."""
    if account is None or account.id != actor.id:
        return True
    return role in ADMIN_ROLES and bool(active)


# --- council scope -----------------------------------------------------------------------


def council_scope(user) -> frozenset[int] | None:
    """None when `user` sees every council (staff, admins); else the ids of their councils."""
    if _role_in(user, STAFF_ROLES):
        return None
    return frozenset(user.council_ids)


def scope_clause(user):
    """SQL condition limiting engagements to what `user` may see."""
    scope = council_scope(user)
    if scope is None:
        return sa.true()
    return Engagement.council_id.in_(scope or {-1})


def visible_engagements(user):
    """A select() of the engagements `user` may see."""
    return sa.select(Engagement).where(scope_clause(user))


def can_see(user, engagement: Engagement) -> bool:
    """True when `engagement` is within `user`'s council scope."""
    scope = council_scope(user)
    if scope is None:
        return True
    return engagement.council_id is not None and engagement.council_id in scope


def engagement_for(slug: str) -> Engagement:
    """The engagement `slug` if the current user may see it, else 404."""
    if "\x00" in slug:
        abort(404)  # from a query string or form; PostgreSQL cannot even compare it
    engagement = db.session.scalar(sa.select(Engagement).where(Engagement.slug == slug))
    if engagement is None or not can_see(current_user, engagement):
        abort(404)
    return engagement


def visible_councils(user) -> list[StakeholderGroup]:
    """The councils whose council-wide snapshot `user` may read, in the district's order."""
    query = (
        sa.select(StakeholderGroup)
        .where(StakeholderGroup.kind == GroupKind.COUNCIL)
        .order_by(StakeholderGroup.position)
    )
    scope = council_scope(user)
    if scope is not None:
        query = query.where(StakeholderGroup.id.in_(scope or {-1}))
    return list(db.session.scalars(query))


def council_for(code: str) -> StakeholderGroup:
    """The council `code` if the current user may read its snapshot, else 404."""
    council = next((c for c in visible_councils(current_user) if c.code == code), None)
    if council is None:
        abort(404)
    return council


# How to find the engagement a child row belongs to (default: its engagement_id column).
_ENGAGEMENT_OF = {QuestionOption: lambda option: option.question.engagement_id}


def child_or_404(model, engagement: Engagement, child_id: int):
    """The `model` row `child_id` if it belongs to `engagement`, else 404 (a question, option,
    event or note of another engagement is not found, whoever asks)."""
    child = db.session.get(model, child_id)
    engagement_of = _ENGAGEMENT_OF.get(model, attrgetter("engagement_id"))
    if child is None or engagement_of(child) != engagement.id:
        abort(404)
    return child
