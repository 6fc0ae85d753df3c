"""The exchange's family forms: Share one idea, Rate a sample (issue 18)."""

from flask import current_app
from flask_babel import format_number
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from engagement.forms import FlaskForm
from engagement.i18n import _, _l, localized_name
from engagement.models import Channel, GroupKind
from engagement.public.forms import (
    FORM_CHANNELS,
    Optional,
    Required,
    ValidChoice,
    clean_text,
)

SKIP = "skip"
STAR_LABELS = {
    "1": _l("1 – Not important"),
    "2": _l("2 – A little important"),
    "3": _l("3 – Somewhat important"),
    "4": _l("4 – Important"),
    "5": _l("5 – Very important"),
    SKIP: _l("Skip this idea"),
}


class _AboutYou(FlaskForm):
    """Optional groups, shared by both pages: each group's view is counted from them."""

    roles = SelectMultipleField(
        _l("I am a…"), validate_choice=False, validators=[Optional(), ValidChoice()]
    )
    councils = SelectMultipleField(
        _l("I am a member of…"), validate_choice=False, validators=[Optional(), ValidChoice()]
    )
    channel = HiddenField(filters=[clean_text])

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        if self.channel.data not in FORM_CHANNELS:
            self.channel.data = Channel.WEB.value
        self.roles.choices = [
            SelectChoice(str(g.id), localized_name(g))
            for g in groups
            if g.kind != GroupKind.COUNCIL
        ]
        self.councils.choices = [
            SelectChoice(str(g.id), localized_name(g))
            for g in groups
            if g.kind == GroupKind.COUNCIL
        ]

    @property
    def csrf_failed(self) -> bool:
        return bool(getattr(self, "csrf_token", None) is not None and self.csrf_token.errors)

    def group_ids(self) -> list[int]:
        return [int(v) for v in (self.roles.data or []) + (self.councils.data or [])]


class ShareForm(_AboutYou):
    token = HiddenField(filters=[clean_text])
    # Honeypot: people never see it; simple bots fill every field.
    homepage = StringField(_l("Leave this field empty"), filters=[clean_text])
    idea = TextAreaField(filters=[clean_text])

    def validate_idea(self, field):
        Required(_l("Please write your idea."))(self, field)
        limit = current_app.config["OPEN_TEXT_MAX_LENGTH"]
        if field.data and len(field.data) > limit:
            raise ValidationError(
                _(
                    "Shorten your idea to %(max)s characters or fewer (it has %(count)s now). "
                    "Your text is kept below.",
                    max=format_number(limit),
                    count=format_number(len(field.data)),
                )
            )

    @property
    def honeypot_filled(self) -> bool:
        return bool((self.homepage.data or "").strip())


def field_of(idea_id: int) -> str:
    return f"idea_{idea_id}"


def rate_form(ideas, groups, **kwargs):
    """The Rate form with one 1-5 (or skip) choice per idea of the sample."""
    attrs = {
        field_of(idea.id): RadioField(
            choices=[SelectChoice(code, label) for code, label in STAR_LABELS.items()],
            validate_choice=False,
            validators=[Optional(), ValidChoice()],
        )
        for idea in ideas
    }
    form_class = type("RateForm", (_AboutYou,), attrs)
    form = form_class(groups=groups, **kwargs)
    form.ideas = list(ideas)
    return form


def stars_of(form) -> dict[int, int]:
    """{idea id: stars} from a validated Rate form; skipped and blank ideas left out."""
    result = {}
    for idea in form.ideas:
        value = form[field_of(idea.id)].data
        if value and value != SKIP:
            result[idea.id] = int(value)
    return result
