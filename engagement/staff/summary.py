"""Theme summaries in the staff workspace, and reviewer re-coding.

Council leads see only their councils' engagements (404 otherwise) and only aggregated,
protected figures: never raw responses, never contact details. Admins may see quotes
unmasked on screen (?pii=show); exports always mask.
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Optional

from engagement import labels
from engagement.extensions import db
from engagement.i18n import LANGUAGE_NAMES, _, _l, localized_name, supported
from engagement.models import (
    EngagementKind,
    GroupKind,
    RaceEthnicity,
    Role,
    School,
    StakeholderGroup,
)
from engagement.staff import bp
from engagement.staff.access import (
    ALL_ROLES,
    STAFF_ROLES,
    engagement_for,
    roles_required,
    visible_engagements,
)
from engagement.staff.dashboard import ENGAGEMENT_LINKS
from engagement.staff.forms import as_choices
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
from engagement.themes import review

ENGAGEMENT_LINKS.append(("staff.summary", _l("Summary"), ALL_ROLES))


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class SummaryFilterForm(FlaskForm):
    """Filters of the cross-engagement summary (GET: no CSRF token needed)."""

    class Meta:
        csrf = False

    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    kind = SelectField(_l("Kind of engagement"), validators=[Optional()])
    school = SelectField(_l("School"), coerce=_optional_int, validators=[Optional()])
    council = SelectField(_l("Council"), coerce=_optional_int, validators=[Optional()])
    group = SelectField(_l("Stakeholder group"), coerce=_optional_int, validators=[Optional()])
    language = SelectField(_l("Language of the form"), validators=[Optional()])
    subgroup = SelectField(_l("Self-identified race or ethnicity"), validators=[Optional()])
    submit = SubmitField(_l("Show summary"))

    def fill_choices(self, councils, groups, schools):
        everyone = ("", _("All"))
        self.kind.choices = as_choices(
            [everyone] + [(k.value, labels.KIND[k]) for k in EngagementKind]
        )
        self.school.choices = as_choices([everyone] + [(s.id, s.name) for s in schools])
        self.council.choices = as_choices(
            [everyone] + [(g.id, localized_name(g).text) for g in councils]
        )
        self.group.choices = as_choices(
            [everyone] + [(g.id, localized_name(g).text) for g in groups]
        )
        self.language.choices = as_choices(
            [everyone] + [(c, LANGUAGE_NAMES.get(c, c)) for c in supported()]
        )
        self.subgroup.choices = as_choices(
            [everyone, ("focus", _("Any of the plan's focus subgroups"))]
            + [(r.value, labels.RACE_ETHNICITY[r]) for r in RaceEthnicity]
        )

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if (
            ok
            and self.date_from.data
            and self.date_to.data
            and (self.date_to.data < self.date_from.data)
        ):
            self.date_to.errors.append(_("The end date must be on or after the start date."))
            return False
        return ok


class ThemeCodeForm(FlaskForm):
    answer_id = IntegerField(validators=[InputRequired()])
    theme = SelectField(_l("Theme"), validators=[DataRequired()])
    action = SelectField(validators=[DataRequired()])
    submit = SubmitField(_l("Save"))


class QuoteForm(FlaskForm):
    answer_id = IntegerField(validators=[InputRequired()])
    hidden = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Save"))


def _scope():
    """None for staff and admins; a council lead's council ids otherwise."""
    if current_user.role in STAFF_ROLES:
        return None
    return frozenset(current_user.council_ids)


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
@roles_required(*ALL_ROLES)
def summary_index():
    engagements = db.session.scalars(visible_engagements(current_user)).all()
    engagements.sort(key=lambda e: (e.opens_at is None, -(e.opens_at or e.created_at).timestamp()))
    return render_template(
        "staff/summary_index.html", engagements=engagements, kind_labels=labels.KIND
    )


@bp.route("/summary/all")
@roles_required(*ALL_ROLES)
def summary_across():
    form = SummaryFilterForm(request.args)
    scope = _scope()
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
    return current_user.role == Role.ADMIN and request.args.get("pii") == "show"


@bp.route("/summary/<slug>")
@roles_required(*ALL_ROLES)
def summary(slug):
    engagement = engagement_for(slug)
    result = build_summary(
        SummaryFilters(engagement_ids=(engagement.id,), council_scope=_scope()),
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
        can_unmask=current_user.role == Role.ADMIN,
    )


@bp.route("/summary/<slug>/review")
@roles_required(*ALL_ROLES)
def review_answers(slug):
    engagement = engagement_for(slug)
    k = min_group_size()
    themes = _theme_choices()
    theme = request.args.get("theme") or None
    if theme not in {code for code, _label in themes}:
        theme = None
    page = request.args.get("page", 1, type=int) or 1
    # A council lead reviews written answers only when the engagement is not a small group.
    withheld = current_user.role == Role.COUNCIL_LEAD and is_too_small(
        SummaryFilters(engagement_ids=(engagement.id,), council_scope=_scope())
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
@roles_required(*ALL_ROLES)
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
@roles_required(*ALL_ROLES)
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
