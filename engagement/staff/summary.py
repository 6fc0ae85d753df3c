"""Theme summaries in the staff workspace, and reviewer re-coding.

Staff and admins read summaries computed live, with filters across engagements; council
leads read the published snapshots of their councils' engagements and a council-wide one
(engagement.summary.snapshots): no live query, no free date window, no stacked filters.
Council leads see only their councils (404 otherwise) and only aggregated, protected figures:
never raw responses, never contact details. Admins may see quotes unmasked on screen
(?pii=show); exports always mask.
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from engagement import labels
from engagement.extensions import db
from engagement.i18n import _
from engagement.models import Engagement, GroupKind, School, StakeholderGroup
from engagement.staff import bp
from engagement.staff.access import (
    council_for,
    council_scope,
    engagement_for,
    may_read_live_summaries,
    may_read_summaries,
    may_review_answers,
    may_review_small_groups,
    may_unmask_quotes,
    requires,
    visible_councils,
    visible_engagements,
)
from engagement.staff.forms import QuoteForm, SummaryFilterForm, ThemeCodeForm, as_choices
from engagement.summary import (
    SummaryFilters,
    build_summary,
    display,
    is_too_small,
    min_group_size,
    percent,
    theme_label,
)
from engagement.summary.presentation import summary_charts
from engagement.summary.published import snapshot_summary
from engagement.summary.snapshots import (
    council_snapshot,
    engagement_snapshot,
    published_responses,
)
from engagement.themes import review


def _theme_choices():
    from engagement.themes.codebook import get_codebook

    return [(code, theme_label(code)[0]) for code in get_codebook().codes]


def _render_summary(template, summary, **context):
    return render_template(
        template,
        summary=summary,
        charts=summary_charts(summary) if summary else {},
        display=display,
        percent=percent,
        channel_labels=labels.CHANNEL,
        **context,
    )


@bp.route("/summary")
@requires(may_read_summaries)
def summary_index():
    engagements = db.session.scalars(visible_engagements(current_user)).all()
    engagements.sort(key=lambda e: (e.opens_at is None, -(e.opens_at or e.created_at).timestamp()))
    published = {}
    if not may_read_live_summaries(current_user):
        published = {e.id: published_responses(e) for e in engagements}
    return render_template(
        "staff/summary_index.html",
        engagements=engagements,
        councils=[c for c in visible_councils(current_user) if _has_engagements(c)],
        published=published,
        kind_labels=labels.KIND,
        display=display,
    )


def _has_engagements(council) -> bool:
    return bool(
        db.session.scalar(sa.select(sa.func.count()).where(Engagement.council_id == council.id))
    )


@bp.route("/summary/all")
@requires(may_read_live_summaries)
def summary_across():
    form = SummaryFilterForm(request.args)
    councils = db.session.scalars(
        sa.select(StakeholderGroup)
        .where(StakeholderGroup.kind == GroupKind.COUNCIL)
        .order_by(StakeholderGroup.position)
    ).all()
    groups = db.session.scalars(
        sa.select(StakeholderGroup)
        .where(StakeholderGroup.kind != GroupKind.COUNCIL)
        .order_by(StakeholderGroup.kind, StakeholderGroup.position)
    ).all()
    schools = db.session.scalars(sa.select(School).order_by(School.position)).all()
    form.fill_choices(councils, groups, schools)
    summary = None
    if not request.args or form.validate():
        data = form.data if request.args else {}
        summary = build_summary(
            SummaryFilters(
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
                kind=data.get("kind") or None,
                school_id=data.get("school"),
                council_id=data.get("council"),
                group_id=data.get("group"),
                locale=data.get("language") or None,
                subgroup=data.get("subgroup") or None,
            )
        )
    return _render_summary("staff/summary_across.html", summary, form=form)


def _unmasked() -> bool:
    return may_unmask_quotes(current_user) and request.args.get("pii") == "show"


@bp.route("/summary/<slug>")
@requires(may_read_summaries)
def summary(slug):
    engagement = engagement_for(slug)
    if not may_read_live_summaries(current_user):
        snapshot = engagement_snapshot(engagement)
        return _render_snapshot(snapshot, engagement=engagement)
    result = build_summary(
        SummaryFilters(engagement_ids=(engagement.id,)), unmasked_quotes=_unmasked()
    )
    previous = None
    if result.previous_engagement_id:
        previous = db.session.get(Engagement, result.previous_engagement_id)
    return _render_summary(
        "staff/summary.html",
        result,
        engagement=engagement,
        previous=previous,
        unmasked=_unmasked(),
    )


@bp.route("/summary/council/<code>")
@requires(may_read_summaries)
def council_summary(code):
    """A council's engagements together, as published (the same snapshot for staff)."""
    council = council_for(code)
    snapshot = council_snapshot(council)
    included = []
    if snapshot is not None:
        ids = snapshot.data.get("engagements", [])
        included = db.session.scalars(sa.select(Engagement).where(Engagement.id.in_(ids))).all()
    return _render_snapshot(snapshot, council=council, included=included)


def _render_snapshot(snapshot, **context):
    summary = snapshot_summary(snapshot) if snapshot is not None else None
    previous = None
    if summary is not None and summary.previous_engagement_id:
        previous = db.session.get(Engagement, summary.previous_engagement_id)
    return _render_summary(
        "staff/snapshot.html",
        summary,
        snapshot=snapshot,
        previous=previous,
        k=min_group_size(),
        **context,
    )


@bp.route("/summary/<slug>/review")
@requires(may_review_answers)
def review_answers(slug):
    engagement = engagement_for(slug)
    k = min_group_size()
    themes = _theme_choices()
    theme = request.args.get("theme") or None
    if theme not in {code for code, _label in themes}:
        theme = None
    page = request.args.get("page", 1, type=int) or 1
    # A council lead reviews written answers only when the engagement is not a small group.
    withheld = not may_review_small_groups(current_user) and is_too_small(
        SummaryFilters(engagement_ids=(engagement.id,), council_scope=council_scope(current_user))
    )
    items, total = (
        ([], 0)
        if withheld
        else review.review_page(engagement.id, theme, page, unmasked=_unmasked())
    )
    code_form, quote_form = ThemeCodeForm(), QuoteForm()
    code_form.theme.choices = as_choices(themes)
    topics = [] if withheld else review.emerging_topics([engagement.id], k)
    return render_template(
        "staff/review.html",
        engagement=engagement,
        items=items,
        total=total,
        page=page,
        pages=max(1, -(-total // review.PAGE_SIZE)),
        theme=theme,
        themes=themes,
        labels_by_code=dict(themes),
        code_form=code_form,
        quote_form=quote_form,
        topics=topics,
        withheld=withheld,
        k=k,
    )


def _back(slug):
    return redirect(
        url_for(
            "staff.review_answers",
            slug=slug,
            theme=request.args.get("theme") or None,
            page=request.args.get("page") or None,
        )
    )


@bp.route("/summary/<slug>/review/codes", methods=["POST"])
@requires(may_review_answers)
def review_codes(slug):
    engagement = engagement_for(slug)
    form = ThemeCodeForm()
    form.theme.choices = as_choices(_theme_choices())
    form.action.choices = as_choices([("add", _("Add")), ("remove", _("Remove"))])
    if not form.validate_on_submit():
        flash(_("Choose an answer, a theme and whether to add or remove it."), "error")
        return _back(slug)
    answer = review.answer_in(engagement.id, form.answer_id.data)
    if answer is None:
        abort(404)
    review.set_theme(answer, form.theme.data, form.action.data == "add", engagement.slug)
    flash(_("Theme codes saved."), "success")
    return _back(slug)


@bp.route("/summary/<slug>/review/quote", methods=["POST"])
@requires(may_review_answers)
def review_quote(slug):
    engagement = engagement_for(slug)
    form = QuoteForm()
    if not form.validate_on_submit() or form.hidden.data not in ("1", "0"):
        flash(_("Choose an answer to hide or show."), "error")
        return _back(slug)
    answer = review.answer_in(engagement.id, form.answer_id.data)
    if answer is None:
        abort(404)
    hidden = form.hidden.data == "1"
    review.set_quote_hidden(answer, hidden, engagement.slug)
    flash(
        _("This answer is no longer quoted in summaries.")
        if hidden
        else _("This answer may be quoted in summaries again."),
        "success",
    )
    return _back(slug)
