"""Theme summaries in the staff workspace, and reviewer re-coding.

Council leads see only their councils' engagements (404 otherwise) and only aggregated,
protected figures: never raw responses, never contact details. Admins may see quotes
unmasked on screen (?pii=show); exports always mask.
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from engagement import labels
from engagement.charts import Bar, bar_chart, stacked_bar
from engagement.extensions import db
from engagement.i18n import _, current_locale, text_direction
from engagement.models import GroupKind, School, StakeholderGroup
from engagement.staff import bp
from engagement.staff.access import (
    council_scope,
    engagement_for,
    may_read_summaries,
    may_review_answers,
    may_review_small_groups,
    may_unmask_quotes,
    requires,
    visible_engagements,
)
from engagement.staff.forms import (
    QuoteForm,
    SummaryFilterForm,
    ThemeCodeForm,
    as_choices,
    page_number,
)
from engagement.themes import review
from engagement.themes.summary import (
    SummaryFilters,
    build_summary,
    display,
    min_group_size,
    percent,
    theme_label,
)


def _theme_choices():
    from engagement.themes.codebook import get_codebook

    return [(code, theme_label(code)[0]) for code in get_codebook().codes]


def chart_context(summary):
    """Charts (inline SVG) for a summary: themes, participation, Likert questions."""
    rtl = text_direction(current_locale()) == "rtl"
    k = summary.min_group_size
    charts = {}
    if summary.themes:
        bars = [
            Bar(t.label, t.count.share, percent(t.count) or display(t.count))
            for t in summary.themes
        ]
        charts["themes"] = bar_chart(
            bars,
            _("Themes by share of responses"),
            _(
                "Share of the responses with a written comment that mention each theme. "
                "Groups of fewer than %(k)s are not shown.",
                k=k,
            ),
            rtl=rtl,
            max_value=1,
        )
    charts["breakdowns"] = {}
    for breakdown in summary.breakdowns:
        if not breakdown.cells:
            continue
        bars = [Bar(c.label, c.n, display(c)) for c in breakdown.cells]
        charts["breakdowns"][breakdown.dimension] = bar_chart(
            bars,
            _("Responses by %(what)s", what=breakdown.title.lower()),
            _("Number of responses in each group; groups of fewer than %(k)s are not shown.", k=k),
            rtl=rtl,
        )
    charts["questions"] = {}
    for question in summary.questions:
        if question.kind == "likert5" and not question.answered.suppressed:
            parts = [Bar(c.label, c.share, percent(c) or display(c)) for c in question.options]
            charts["questions"][question.code] = stacked_bar(
                parts,
                question.text,
                _(
                    "How the %(n)s people who answered responded, from strongly disagree to "
                    "strongly agree.",
                    n=display(question.answered),
                ),
                rtl=rtl,
            )
    return charts


def _render_summary(template, summary, **context):
    return render_template(
        template,
        summary=summary,
        charts=chart_context(summary) if summary else {},
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
    return render_template(
        "staff/summary_index.html", engagements=engagements, kind_labels=labels.KIND
    )


@bp.route("/summary/all")
@requires(may_read_summaries)
def summary_across():
    form = SummaryFilterForm(request.args)
    scope = council_scope(current_user)
    councils = db.session.scalars(
        sa.select(StakeholderGroup)
        .where(StakeholderGroup.kind == GroupKind.COUNCIL)
        .order_by(StakeholderGroup.position)
    ).all()
    if scope is not None:
        councils = [c for c in councils if c.id in scope]
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
                council_scope=scope,
            )
        )
    return _render_summary("staff/summary_across.html", summary, form=form)


def _unmasked() -> bool:
    return may_unmask_quotes(current_user) and request.args.get("pii") == "show"


@bp.route("/summary/<slug>")
@requires(may_read_summaries)
def summary(slug):
    engagement = engagement_for(slug)
    scope = council_scope(current_user)
    result = build_summary(
        SummaryFilters(engagement_ids=(engagement.id,), council_scope=scope),
        unmasked_quotes=_unmasked(),
    )
    previous = None
    if result.previous_engagement_id:
        from engagement.models import Engagement

        previous = db.session.get(Engagement, result.previous_engagement_id)
    return _render_summary(
        "staff/summary.html",
        result,
        engagement=engagement,
        previous=previous,
        unmasked=_unmasked(),
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
    page = page_number(request.args)
    scope = council_scope(current_user)
    totals = build_summary(SummaryFilters(engagement_ids=(engagement.id,), council_scope=scope))
    # A council lead reviews written answers only when the engagement is not a small group.
    withheld = totals.too_small and not may_review_small_groups(current_user)
    items, total = (
        ([], 0)
        if withheld
        else review.review_page(engagement.id, theme, page, unmasked=_unmasked())
    )
    page = min(page, review.page_count(total))
    code_form, quote_form = ThemeCodeForm(), QuoteForm()
    code_form.theme.choices = as_choices(themes)
    topics = [] if withheld else review.emerging_topics([engagement.id], k)
    return render_template(
        "staff/review.html",
        engagement=engagement,
        items=items,
        total=total,
        page=page,
        pages=review.page_count(total),
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
