"""Theme summaries in the staff workspace, and the staff review of written comments.

Staff and admins read summaries computed live, with filters across engagements; council
leads read the published snapshots of their councils' engagements and a council-wide one
(engagement.summary.snapshots): no live query, no free date window, no stacked filters.
Council leads see only their councils (404 otherwise) and only aggregated, protected figures
with the quotes staff approved: never a comment as written, never contact details. On a
quote they may suggest a change, which waits for staff (proposals). The review page (every
comment, its codes and its quote decision) is for staff only. Admins may see quotes unmasked
on screen (?pii=show), and each such view is audited; exports always mask.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from engagement import audit, labels
from engagement.extensions import db
from engagement.i18n import LANGUAGE_NAMES, _, localized_name
from engagement.models import (
    AnswerAnalysis,
    Engagement,
    GroupKind,
    ProposalKind,
    QuoteState,
    School,
    StakeholderGroup,
)
from engagement.staff import bp
from engagement.staff.access import (
    council_for,
    engagement_for,
    may_approve_changes,
    may_read_live_summaries,
    may_read_summaries,
    may_review_answers,
    may_suggest_changes,
    may_unmask_quotes,
    requires,
    visible_councils,
    visible_engagements,
)
from engagement.staff.forms import (
    BulkThemeForm,
    MaskForm,
    QuoteDecisionForm,
    ReviewFilterForm,
    SuggestForm,
    SummaryFilterForm,
    ThemeCodeForm,
    as_choices,
    page_number,
)
from engagement.staff.services import proposals
from engagement.summary import (
    SummaryFilters,
    build_summary,
    display,
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
from engagement.themes import quoting, review


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


def _unmasked(engagement) -> bool:
    """True when an admin asked for quotes unmasked (?pii=show); every such view is audited."""
    if not (may_unmask_quotes(current_user) and request.args.get("pii") == "show"):
        return False
    audit.record(
        "quotes.unmasked_view", engagement.slug, {"page": (request.endpoint or "").split(".")[-1]}
    )
    return True


def suggest_form() -> SuggestForm:
    """The "suggest a change" form shown under each quote to council leads."""
    form = SuggestForm()
    form.theme.choices = as_choices(_theme_choices())
    return form


@bp.route("/summary/<slug>")
@requires(may_read_summaries)
def summary(slug):
    engagement = engagement_for(slug)
    if not may_read_live_summaries(current_user):
        snapshot = engagement_snapshot(engagement)
        suggest = suggest_form() if may_suggest_changes(current_user) else None
        return _render_snapshot(snapshot, engagement=engagement, suggest_form=suggest)
    unmasked = _unmasked(engagement)
    result = build_summary(
        SummaryFilters(engagement_ids=(engagement.id,)), unmasked_quotes=unmasked
    )
    previous = None
    if result.previous_engagement_id:
        previous = db.session.get(Engagement, result.previous_engagement_id)
    return _render_summary(
        "staff/summary.html",
        result,
        engagement=engagement,
        previous=previous,
        unmasked=unmasked,
        suggest_form=suggest_form() if may_suggest_changes(current_user) else None,
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
    from engagement.staff.exchange import published_view

    summary = snapshot_summary(snapshot) if snapshot is not None else None
    context["exchange"] = published_view(snapshot)
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


@bp.route("/summary/<slug>/suggest", methods=["POST"])
@requires(may_read_summaries)
def summary_suggest(slug):
    """A change to a quote shown in the summary: a council lead's waits for staff approval."""
    engagement = engagement_for(slug)
    form = suggest_form()
    if not form.validate_on_submit():
        flash(_("Choose what should change."), "error")
        return redirect(url_for("staff.summary", slug=slug))
    answer = review.answer_in(engagement.id, form.answer_id.data)
    # Only a quote the summary shows can be the subject of a suggestion.
    if answer is None or answer.quote_state != QuoteState.APPROVED:
        abort(404)
    if form.change.data == "no_quote":
        kind, payload = ProposalKind.NO_QUOTE, {}
    else:
        kind = ProposalKind.THEME
        payload = {"theme": form.theme.data, "present": form.change.data == "add"}
    if may_approve_changes(current_user):
        proposals.apply(kind, engagement, payload, answer=answer)
        db.session.commit()
        flash(_("Change saved."), "success")
    else:
        proposals.propose(kind, engagement, payload, answer=answer)
        flash(
            _(
                "Thank you. District staff will look at your suggestion; "
                "nothing changes until they approve it."
            ),
            "success",
        )
    return redirect(url_for("staff.summary", slug=slug))


QUOTE_STATE_FILTERS = {state.value: state for state in QuoteState}


# The review page's query string: what it shows, kept through every action on it.
REVIEW_ARGS = (
    "q", "theme", "state", "written_in", "school", "group", "channel", "date_from", "date_to",
    "per_page", "page",
)  # fmt: skip


def review_args() -> dict[str, str]:
    """The review page's filters and page from this request's query string."""
    return {name: request.args[name] for name in REVIEW_ARGS if request.args.get(name)}


def review_filter_form() -> ReviewFilterForm:
    form = ReviewFilterForm(request.args)
    form.theme.choices = as_choices([("", _("All themes"))] + _theme_choices())
    form.state.choices = as_choices(
        [("", _("All"))] + [(state.value, label) for state, label in labels.QUOTE_STATE.items()]
    )
    form.written_in.choices = as_choices(
        [("", _("Any language"))] + [(code, name) for code, name in LANGUAGE_NAMES.items()]
    )
    schools = db.session.scalars(sa.select(School).order_by(School.position))
    form.school.choices = as_choices(
        [("", _("Any school"))] + [(school.id, school.name) for school in schools]
    )
    groups = db.session.scalars(sa.select(StakeholderGroup).order_by(StakeholderGroup.position))
    form.group.choices = as_choices(
        [("", _("Any group"))] + [(group.id, localized_name(group).text) for group in groups]
    )
    form.channel.choices = as_choices(
        [("", _("Any way"))] + [(channel.value, label) for channel, label in labels.CHANNEL.items()]
    )
    return form


def review_filters(form: ReviewFilterForm) -> review.ReviewFilters:
    """The filters a valid form asks for (none when it is not valid: its errors show)."""
    if not form.validate():
        return review.ReviewFilters()
    to_day = form.date_to.data + timedelta(days=1) if form.date_to.data else None
    return review.ReviewFilters(
        theme=form.theme.data or None,
        state=QUOTE_STATE_FILTERS.get(form.state.data or ""),
        # A NUL byte cannot reach PostgreSQL (and no comment holds one).
        search=(form.q.data or "").replace("\x00", "").strip() or None,
        lang=form.written_in.data or None,
        school_id=form.school.data,
        group_id=form.group.data,
        channel=form.channel.data or None,
        date_from=_day_start(form.date_from.data) if form.date_from.data else None,
        date_to=_day_start(to_day) if to_day else None,
    )


def _day_start(day):
    zone = ZoneInfo(current_app.config["DISTRICT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone)


@bp.route("/summary/<slug>/review")
@requires(may_review_answers)
def review_answers(slug):
    """Every written comment of an engagement, searchable and filtered, to code, mask and
    approve as quotes one by one or in bulk."""
    engagement = engagement_for(slug)
    k = min_group_size()
    themes = _theme_choices()
    form = review_filter_form()
    filters = review_filters(form)
    per_page = form.per_page.data if form.per_page.data in review.PAGE_SIZES else 20
    page = page_number(request.args)
    unmasked = _unmasked(engagement)
    items, total = review.review_page(
        engagement.id, page=page, unmasked=unmasked, filters=filters, per_page=per_page
    )
    pages = review.page_count(total, per_page)
    page = min(page, pages)
    code_form = ThemeCodeForm()
    code_form.theme.choices = as_choices(themes)
    keep = review_args()
    return render_template(
        "staff/review.html",
        engagement=engagement,
        items=items,
        total=total,
        page=page,
        pages=pages,
        keep=keep,
        keep_filters={name: value for name, value in keep.items() if name != "page"},
        filter_form=form,
        filtered=any(name != "per_page" for name in keep if name != "page"),
        state_labels=labels.QUOTE_STATE,
        themes=themes,
        labels_by_code=dict(themes),
        code_form=code_form,
        decision_form=QuoteDecisionForm(),
        # Phrases are counted over every comment (seconds at 100,000): only when asked for.
        topics=review.emerging_topics([engagement.id], k) if request.args.get("topics") else None,
        k=k,
    )


def _back(slug, anchor: str | None = None):
    """Back to the review page as it was: same filters, same page, at the comment acted on."""
    return redirect(url_for("staff.review_answers", slug=slug, _anchor=anchor, **review_args()))


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
    return _back(slug, f"answer-{answer.id}")


@bp.route("/summary/<slug>/review/codes/bulk", methods=["POST"])
@requires(may_review_answers)
def review_codes_bulk(slug):
    """Add a theme to, or remove it from, every ticked comment (one audit row each)."""
    engagement = engagement_for(slug)
    form = BulkThemeForm()
    form.theme.choices = as_choices(_theme_choices())
    form.action.choices = as_choices([("add", _("Add")), ("remove", _("Remove"))])
    if not form.validate_on_submit():
        flash(_("Tick at least one comment, then choose a theme."), "error")
        return _back(slug)
    answers = review.answers_in(engagement.id, form.answer_ids.data)
    if len(answers) != len(set(form.answer_ids.data)):
        abort(404)
    add = form.action.data == "add"
    for answer in answers:
        review.set_theme(answer, form.theme.data, add, engagement.slug)
    label = dict(_theme_choices())[form.theme.data]
    n = len(answers)
    if add:
        message = ngettext(
            "“%(theme)s” added to %(num)s comment.",
            "“%(theme)s” added to %(num)s comments.",
            n,
            theme=label,
        )
    else:
        message = ngettext(
            "“%(theme)s” removed from %(num)s comment.",
            "“%(theme)s” removed from %(num)s comments.",
            n,
            theme=label,
        )
    flash(message, "success")
    return _back(slug)


@bp.route("/summary/<slug>/review/quotes", methods=["POST"])
@requires(may_review_answers)
def review_quotes(slug):
    """Approve or reject comments as quotes: one, or every ticked one."""
    engagement = engagement_for(slug)
    form = QuoteDecisionForm()
    if not form.validate_on_submit():
        flash(_("Tick at least one comment, then approve or reject."), "error")
        return _back(slug)
    answers = review.answers_in(engagement.id, form.answer_ids.data)
    if len(answers) != len(set(form.answer_ids.data)):
        abort(404)
    approve = form.decision.data == "approve"
    review.set_quote_state(
        answers, QuoteState.APPROVED if approve else QuoteState.REJECTED, engagement.slug
    )
    n = len(answers)
    if approve:
        message = ngettext(
            "%(num)s comment may now be quoted.", "%(num)s comments may now be quoted.", n
        )
    else:
        message = ngettext(
            "%(num)s comment will not be quoted.", "%(num)s comments will not be quoted.", n
        )
    flash(message, "success")
    return _back(slug, f"answer-{answers[0].id}" if len(answers) == 1 else None)


@bp.route("/summary/<slug>/review/<int:answer_id>/mask", methods=["GET", "POST"])
@requires(may_review_answers)
def review_mask(slug, answer_id):
    """Mask words of one quote by hand ("mask this"), or go back to automatic masking."""
    engagement = engagement_for(slug)
    answer = review.answer_in(engagement.id, answer_id)
    if answer is None:
        abort(404)
    form = MaskForm()
    if form.validate_on_submit():
        if form.action.data == "reset":
            review.clear_mask(answer, engagement.slug)
            flash(_("The quote is masked automatically again."), "success")
        elif review.mask_words(answer, form.words.data, engagement.slug):
            flash(_("The words you ticked are masked in the quote."), "success")
        else:
            flash(_("Tick the words to mask."), "error")
            return redirect(request.full_path)
        return _back(slug, f"answer-{answer.id}")
    quote = quoting.as_quoted(answer.text, answer.quote_text)
    analysis = db.session.get(AnswerAnalysis, answer.id)
    return render_template(
        "staff/review_mask.html",
        engagement=engagement,
        answer=answer,
        lang=analysis.lang if analysis else None,
        quote=quote,
        words=quoting.tokens(quote),
        form=form,
        state_labels=labels.QUOTE_STATE,
        back=url_for(
            "staff.review_answers", slug=slug, _anchor=f"answer-{answer.id}", **review_args()
        ),
    )
