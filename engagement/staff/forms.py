"""Every WTForms form of the staff workspace. Labels are lazy (_l): evaluated per request.

Forms whose fields depend on the data (attendance per group, one field per string to
translate) are built here too, by the functions next to their base class.
"""

import re
from datetime import date, datetime

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from engagement import labels
from engagement.forms import FlaskForm
from engagement.i18n import LANGUAGE_NAMES, _, _l, format_date, localized_name, supported
from engagement.models import (
    ActionStatus,
    Channel,
    EngagementKind,
    QuestionKind,
    RaceEthnicity,
    Role,
)
from engagement.models.base import MAX_ID
from engagement.staff.services.accounts import EMAIL_RE, AccountError, council_rule
from engagement.staff.services.accounts_passwords import MIN_PASSWORD_LENGTH
from engagement.staff.services.texts import MAX_LENGTHS

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
CODE_MESSAGE = _l("Use lowercase letters, digits and _ only, starting with a letter.")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
MAX_PAGE = 100_000
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2099, 12, 31)

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.STAFF: _l("District staff"),
    Role.COUNCIL_LEAD: _l("Council lead"),
}


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (one per choice) instead of a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def as_choices(pairs) -> list[SelectChoice]:
    """SelectChoice objects from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class DateInRange:
    """A date (or date and time) from EARLIEST_DATE to LATEST_DATE. Dates far outside would
    overflow the date arithmetic of summaries and reports, and are typing mistakes anyway."""

    def __call__(self, form, field):
        value = field.data
        if value is None:
            return
        day = value.date() if isinstance(value, datetime) else value
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise ValidationError(
                _(
                    "Choose a date between %(first)s and %(last)s.",
                    first=format_date(EARLIEST_DATE, "medium"),
                    last=format_date(LATEST_DATE, "medium"),
                )
            )


def page_number(args) -> int:
    """The ?page= of a paged list: 1 when missing or not a number, never above MAX_PAGE (an
    offset the database can hold; a page past the end is shown empty or as the last one)."""
    page = args.get("page", 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)


def _coerce_optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=512)])
    submit = SubmitField(_l("Sign in"))


class SecondStepForm(FlaskForm):
    """The second step of signing in: a code from the app, or a recovery code."""

    code = StringField(
        _l("Sign-in code"),
        description=_l("The 6-digit code your app shows now, or one of your recovery codes."),
        validators=[DataRequired(), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Sign in"))


NEW_PASSWORD_HINT = _l(
    "At least %(n)s characters, and not easy to guess: three or four unrelated words work well.",
    n=MIN_PASSWORD_LENGTH,
)


def _new_password_fields():
    password = PasswordField(
        _l("New password"),
        description=NEW_PASSWORD_HINT,
        validators=[DataRequired(), Length(max=512)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class SetPasswordForm(FlaskForm):
    """Choosing a password through a one-time link (the rule is checked by the service)."""

    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Set my password"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=512)],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Change password"))


class TwoStepSetupForm(FlaskForm):
    code = StringField(
        _l("Code from your app"),
        validators=[DataRequired(), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Turn on two-step sign-in"))


class TwoStepOffForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=512)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Turn off two-step sign-in"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Sign out"))


class ActionForm(FlaskForm):
    """An empty form: a CSRF-protected button (open, close, move, hide...)."""


class UserForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(),
            Length(max=254),
            Regexp(EMAIL_RE, message=_l("Enter an e-mail address like name@example.org.")),
        ],
    )
    role = SelectField(_l("Role"), choices=as_choices([(r.value, ROLE_LABELS[r]) for r in Role]))
    councils = MultiCheckboxField(_l("Councils (council leads only)"), coerce=int, choices=[])
    active = BooleanField(_l("Account active"), default=True)
    submit = SubmitField(_l("Save account"))

    # The rules are the account service's, shared with `flask users create`.
    def validate_councils(self, field):
        try:
            council_rule(self.role.data, field.data)
        except AccountError as error:
            raise ValidationError(str(error)) from None


class EngagementForm(FlaskForm):
    kind = SelectField(
        _l("Kind"), choices=as_choices([(k.value, labels.KIND[k]) for k in EngagementKind])
    )
    slug = StringField(
        _l("Web address name"),
        description=_l("Lowercase letters, digits and dashes, e.g. fall-family-survey."),
        validators=[
            DataRequired(),
            Regexp(SLUG_RE, message=_l("Use lowercase letters, digits and dashes only.")),
        ],
    )
    title = StringField(
        _l("Title (English)"), validators=[DataRequired(), Length(max=MAX_LENGTHS["title"])]
    )
    description = TextAreaField(
        _l("Description (English)"),
        validators=[Optional(), Length(max=MAX_LENGTHS["description"])],
    )
    school_id = SelectField(_l("School"), coerce=_coerce_optional_int, choices=[])
    council_id = SelectField(_l("Council"), coerce=_coerce_optional_int, choices=[])
    opens_at = DateTimeLocalField(
        _l("Opens"), format="%Y-%m-%dT%H:%M", validators=[Optional(), DateInRange()]
    )
    closes_at = DateTimeLocalField(
        _l("Closes"), format="%Y-%m-%dT%H:%M", validators=[Optional(), DateInRange()]
    )
    priorities = MultiCheckboxField(_l("Strategic priorities"), coerce=int, choices=[])
    languages = MultiCheckboxField(
        _l("Languages offered besides English"),
        description=_l(
            "English is always offered. Families see the form only in these languages, and "
            "it opens only when everything is translated into each of them."
        ),
        choices=[],
    )
    series = StringField(
        _l("Series"),
        description=_l("Engagements repeated over time share a series name."),
        validators=[Optional(), Length(max=80)],
    )
    event_starts_at = DateTimeLocalField(
        _l("Meeting starts"), format="%Y-%m-%dT%H:%M", validators=[Optional(), DateInRange()]
    )
    event_ends_at = DateTimeLocalField(
        _l("Meeting ends"), format="%Y-%m-%dT%H:%M", validators=[Optional(), DateInRange()]
    )
    place = TextAreaField(
        _l("Place (English)"),
        description=_l("The address, and the room or entrance families should look for."),
        validators=[Optional(), Length(max=MAX_LENGTHS["place"])],
    )
    childcare = TextAreaField(
        _l("Childcare (English)"),
        description=_l("Whether childcare is offered, for which ages, and whether to sign up."),
        validators=[Optional(), Length(max=MAX_LENGTHS["childcare"])],
    )
    interpreters = TextAreaField(
        _l("Interpreters (English)"),
        description=_l("Which languages are interpreted, and how to ask for another one."),
        validators=[Optional(), Length(max=MAX_LENGTHS["interpreters"])],
    )
    submit = SubmitField(_l("Save engagement"))

    def validate_closes_at(self, field):
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The closing time must be after the opening time."))

    def validate_event_ends_at(self, field):
        if field.data and not self.event_starts_at.data:
            raise ValidationError(_l("Give the time the meeting starts too."))
        if field.data and field.data <= self.event_starts_at.data:
            raise ValidationError(_l("The meeting must end after it starts."))


class QuestionForm(FlaskForm):
    kind = SelectField(
        _l("Kind of question"),
        choices=as_choices([(k.value, labels.QUESTION_KIND[k]) for k in QuestionKind]),
    )
    code = StringField(
        _l("Code"),
        description=_l(
            "A short stable name used in exports, e.g. school_news. Leave it empty to make "
            "one from the English question; it cannot change once the question has answers."
        ),
        validators=[Optional(), Regexp(CODE_RE, message=CODE_MESSAGE)],
    )
    text = TextAreaField(
        _l("Question (English)"), validators=[DataRequired(), Length(max=MAX_LENGTHS["text"])]
    )
    help = TextAreaField(
        _l("Help text (English)"), validators=[Optional(), Length(max=MAX_LENGTHS["help"])]
    )
    required = BooleanField(_l("An answer is required"))
    submit = SubmitField(_l("Save question"))


class OptionForm(FlaskForm):
    code = StringField(
        _l("Code"),
        description=_l("Leave it empty to make one from the English label."),
        validators=[Optional(), Regexp(CODE_RE, message=CODE_MESSAGE)],
    )
    label = StringField(
        _l("Label (English)"), validators=[DataRequired(), Length(max=MAX_LENGTHS["label"])]
    )
    submit = SubmitField(_l("Save option"))


class EventForm(FlaskForm):
    held_on = DateField(_l("Date held"), validators=[InputRequired(), DateInRange()])
    school_id = SelectField(
        _l("School"),
        description=_l("The school whose event it was; its comment cards count for that school."),
        coerce=_coerce_optional_int,
        choices=[],
    )
    attendance = IntegerField(
        _l("Number of people who attended"),
        validators=[InputRequired(), NumberRange(min=0, max=100000)],
    )
    languages = MultiCheckboxField(_l("Languages interpreted"), choices=[])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save event"))

    def counts_by_group(self, groups) -> dict[int, int]:
        """The attendance typed for each group id (0 when left empty)."""
        return {g.id: self[f"group_{g.id}"].data or 0 for g in groups}


def event_form(groups, languages, schools=(), data=None) -> EventForm:
    """An EventForm with one optional count per stakeholder group (field group_<id>), the
    interpreted languages and the schools to choose from; `data` fills it in (editing)."""

    class Form(EventForm):
        pass

    for group in groups:
        setattr(
            Form,
            f"group_{group.id}",
            IntegerField(
                localized_name(group).text,
                validators=[Optional(), NumberRange(min=0, max=100000)],
            ),
        )
    form = Form(data=data)
    form.languages.choices = as_choices(
        (code, LANGUAGE_NAMES.get(code, code)) for code in languages
    )
    form.school_id.choices = as_choices(
        [("", _("Whole district"))] + [(school.id, school.name) for school in schools]
    )
    return form


class CardForm(FlaskForm):
    token = HiddenField()
    text = TextAreaField(
        _l("Comment card text"),
        validators=[DataRequired(message=_l("Type the comment from the card.")), Length(max=2000)],
    )
    locale = SelectField(_l("Language of the card"), choices=[])
    group_id = SelectField(_l("Who wrote it"), coerce=_coerce_optional_int, choices=[])
    channel = SelectField(
        _l("How it was collected"),
        choices=as_choices(
            [(c.value, labels.CHANNEL[c]) for c in (Channel.PAPER, Channel.STAFF_ENTRY)]
        ),
    )
    question_id = SelectField(_l("Question it answers"), coerce=int, choices=[])
    submit = SubmitField(_l("Save card and enter the next"))


class VoidForm(FlaskForm):
    """Why a response is voided: kept in the audit log and beside the response."""

    reason = TextAreaField(
        _l("Why void it?"),
        description=_l("For example: a test answer, or a card typed twice."),
        validators=[
            DataRequired(message=_l("Say why this response is voided.")),
            Length(max=500),
        ],
    )
    submit = SubmitField(_l("Void this response"))


class ResponseEditForm(FlaskForm):
    """A staff-typed response's language, channel and group; its texts are added per answer
    (`response_edit_form`)."""

    locale = SelectField(_l("Language of the card"), choices=[])
    group_id = SelectField(_l("Who wrote it"), coerce=_coerce_optional_int, choices=[])
    channel = SelectField(
        _l("How it was collected"),
        choices=as_choices(
            [(c.value, labels.CHANNEL[c]) for c in (Channel.PAPER, Channel.STAFF_ENTRY)]
        ),
    )
    submit = SubmitField(_l("Save the correction"))


def response_edit_form(text_labels: dict[int, str], data=None) -> ResponseEditForm:
    """The correction form with one required text box per written answer id
    (`text_<id>`, labelled with its question)."""

    class Form(ResponseEditForm):
        pass

    for answer_id, label in text_labels.items():
        setattr(
            Form,
            f"text_{answer_id}",
            TextAreaField(
                label,
                validators=[
                    DataRequired(message=_l("Type the comment from the card.")),
                    Length(max=2000),
                ],
            ),
        )
    return Form(data=data)


class LoopActionForm(FlaskForm):
    heard = TextAreaField(
        _l("What we heard (English)"),
        validators=[DataRequired(), Length(max=MAX_LENGTHS["heard"])],
    )
    did = TextAreaField(
        _l("What we will do or did (English)"),
        validators=[DataRequired(), Length(max=MAX_LENGTHS["did"])],
    )
    status = SelectField(
        _l("Status"), choices=as_choices([(s.value, labels.ACTION_STATUS[s]) for s in ActionStatus])
    )
    theme_code = SelectField(_l("Theme (optional)"), choices=[])
    submit = SubmitField(_l("Save note"))


class AuditFilterForm(FlaskForm):
    """Filters of the audit log (GET: no CSRF token needed)."""

    class Meta:
        csrf = False

    person = SelectField(_l("Person"), choices=[], validators=[Optional()])
    action = SelectField(_l("Action"), choices=[], validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional(), DateInRange()])
    date_to = DateField(_l("To"), validators=[Optional(), DateInRange()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date must be on or after the start date."))


# --- translations --------------------------------------------------------------------------


class ImportForm(FlaskForm):
    po_file = FileField(
        _l("Translated .po file"),
        validators=[
            FileRequired(_l("Choose the file the translator sent back.")),
            FileAllowed(["po"], _l("Choose a .po file.")),
        ],
    )
    submit = SubmitField(_l("Import translations"))


def field_name(index: int, name: str) -> str:
    """The form field of string `name` of the `index`-th translation unit."""
    return f"u{index}_{name}"


class TranslationForm(FlaskForm):
    """Side-by-side translation; `translation_form` adds the fields of the strings shown."""

    submit = SubmitField(_l("Save translations"))

    def posted(self, rows) -> list[tuple]:
        """(unit, {field: text}, confirmed still correct) for each row of the page."""
        entries = []
        for row in rows:
            unit, index = row["unit"], row["index"]
            values = {n: self[field_name(index, n)].data or "" for n in row["names"]}
            confirm = bool(row["stale"] and self[f"u{index}_confirm"].data)
            entries.append((unit, values, confirm))
        return entries


def translation_form(units, locale):
    """A form with one field per English string of `units`, plus 'still correct' boxes;
    returns the form and its rows ({"index", "unit", "names", "stale"})."""

    class Form(TranslationForm):
        pass

    rows = []
    for index, unit in enumerate(units):
        names = [n for n in unit.fields if unit.source(n)]
        if not names:
            continue
        for name in names:
            setattr(
                Form,
                field_name(index, name),
                TextAreaField(
                    name,
                    default=unit.value(locale, name),
                    validators=[Optional(), Length(max=MAX_LENGTHS[name])],
                ),
            )
        stale = unit.is_stale(locale)
        if stale:
            setattr(Form, f"u{index}_confirm", BooleanField(_l("Still correct")))
        rows.append({"index": index, "unit": unit, "names": names, "stale": stale})
    return Form(), rows


# --- summaries and reviewer re-coding ----------------------------------------------------


class SummaryFilterForm(FlaskForm):
    """Filters of the cross-engagement summary (GET: no CSRF token needed)."""

    class Meta:
        csrf = False

    date_from = DateField(_l("From"), validators=[Optional(), DateInRange()])
    date_to = DateField(_l("To"), validators=[Optional(), DateInRange()])
    kind = SelectField(_l("Kind of engagement"), validators=[Optional()])
    school = SelectField(_l("School"), coerce=_coerce_optional_int, validators=[Optional()])
    council = SelectField(_l("Council"), coerce=_coerce_optional_int, validators=[Optional()])
    group = SelectField(
        _l("Stakeholder group"), coerce=_coerce_optional_int, validators=[Optional()]
    )
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
    answer_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])
    theme = SelectField(_l("Theme"), validators=[DataRequired()])
    action = SelectField(validators=[DataRequired()])
    submit = SubmitField(_l("Save"))


class BulkThemeForm(FlaskForm):
    """Add a theme to, or remove it from, every ticked comment at once."""

    answer_ids = SelectMultipleField(coerce=int, validate_choice=False)
    theme = SelectField(_l("Theme for the ticked comments"), validators=[DataRequired()])
    action = SelectField(validators=[DataRequired()])

    def validate_answer_ids(self, field):
        if not field.data or not all(1 <= answer_id <= MAX_ID for answer_id in field.data):
            raise ValidationError(_("Tick at least one comment."))


class ReviewFilterForm(FlaskForm):
    """Filters of the review page (GET: no CSRF token needed)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Words in the comment"),
        description=_l("In any language; capitals and accents do not matter."),
        validators=[Optional(), Length(max=200)],
    )
    theme = SelectField(_l("Show comments about"), validators=[Optional()])
    state = SelectField(_l("Quote decision"), validators=[Optional()])
    written_in = SelectField(_l("Written in"), validators=[Optional()])
    school = SelectField(_l("School"), coerce=_coerce_optional_int, validators=[Optional()])
    group = SelectField(
        _l("Stakeholder group"), coerce=_coerce_optional_int, validators=[Optional()]
    )
    channel = SelectField(_l("How it was sent"), validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional(), DateInRange()])
    date_to = DateField(_l("To"), validators=[Optional(), DateInRange()])
    per_page = SelectField(
        _l("Comments per page"),
        coerce=int,
        choices=[SelectChoice(n, str(n)) for n in (20, 50, 100)],
        default=20,
        validators=[Optional()],
    )

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date must be on or after the start date."))


DECISIONS = [SelectChoice("approve", _l("Approve")), SelectChoice("reject", _l("Reject"))]


class QuoteDecisionForm(FlaskForm):
    """Approve or reject one comment (its own buttons) or the ticked ones (bulk) as quotes."""

    answer_ids = SelectMultipleField(coerce=int, validate_choice=False)
    decision = SelectField(choices=DECISIONS, validators=[DataRequired()])

    def validate_answer_ids(self, field):
        if not field.data or not all(1 <= answer_id <= MAX_ID for answer_id in field.data):
            raise ValidationError(_("Tick at least one comment."))


class MaskForm(FlaskForm):
    """Words of a quote to mask by hand (token numbers), or back to automatic masking."""

    words = SelectMultipleField(coerce=int, validate_choice=False)
    action = SelectField(
        choices=[SelectChoice("mask", _l("Mask")), SelectChoice("reset", _l("Reset"))],
        validators=[DataRequired()],
    )


class EnglishRenderingForm(FlaskForm):
    """A staff member's English rendering of a quote in another language."""

    text = TextAreaField(
        _l("English rendering"),
        validators=[
            DataRequired(message=_l("Write the English rendering of the quote.")),
            Length(max=5000, message=_l("Keep the English rendering under 5,000 characters.")),
        ],
    )


class MachineDraftForm(FlaskForm):
    """Ask the district's translation server for a draft English rendering (a button)."""


SUGGESTIONS = [
    SelectChoice("no_quote", _l("Do not quote this comment")),
    SelectChoice("remove", _l("It is not about this theme")),
    SelectChoice("add", _l("It is also about another theme")),
]


class SuggestForm(FlaskForm):
    """A council lead's suggestion on a quote shown in a summary; staff decide on it."""

    answer_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])
    change = SelectField(_l("What should change?"), choices=SUGGESTIONS)
    theme = SelectField(_l("Theme"), validators=[DataRequired()])
    submit = SubmitField(_l("Send the suggestion to staff"))


class ProposalDecisionForm(FlaskForm):
    decision = SelectField(choices=DECISIONS, validators=[DataRequired()])


# --- exports -------------------------------------------------------------------------------

EXPORT_FORMATS = [
    SelectChoice("csv", _l("CSV (UTF-8, opens in Excel)")),
    SelectChoice("xlsx", _l("Excel workbook (XLSX)")),
]


class ResponsesExportForm(FlaskForm):
    engagement = SelectField(_l("Engagement"), validate_choice=False)
    format = SelectField(_l("Format"), choices=EXPORT_FORMATS, validators=[InputRequired()])
    include_contacts = BooleanField(
        _l("Include the follow-up contacts families chose to give"),
        description=_l(
            "Only when you need to call families back. This is recorded in the audit log."
        ),
    )
    submit = SubmitField(_l("Download responses"))


class SummaryExportForm(FlaskForm):
    engagement = SelectField(_l("Engagement"), validate_choice=False)
    format = SelectField(_l("Format"), choices=EXPORT_FORMATS, validators=[InputRequired()])
    submit = SubmitField(_l("Download summary"))


class ReportForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: reading a report changes nothing but the audit log

    start = DateField(
        _l("From"), validators=[Optional(), DateInRange()], description=_l("Default: 1 July")
    )
    end = DateField(
        _l("To"), validators=[Optional(), DateInRange()], description=_l("Default: 30 June")
    )
    format = SelectField(
        _l("Format"),
        choices=[SelectChoice("html", _l("Printable page")), SelectChoice("pdf", _l("PDF"))],
        default="html",
        validators=[Optional()],
    )


class HeldDecisionForm(FlaskForm):
    """Release or set aside answers held for review (one, or the ones ticked)."""

    response_ids = SelectMultipleField(coerce=int, validate_choice=False)
    decision = SelectField(
        choices=as_choices([("released", _l("Release")), ("set_aside", _l("Set aside"))]),
        validators=[InputRequired()],
    )

    def validate_response_ids(self, field):
        if not field.data:
            raise ValidationError(_l("Tick at least one answer first."))


class FollowUpTakeForm(FlaskForm):
    """Take a follow-up item: it becomes yours (CSRF only)."""


class FollowUpUpdateForm(FlaskForm):
    """Move a follow-up item on, with a short note on what was done."""

    state = SelectField(
        _l("State"),
        choices=as_choices(
            [("open", _l("Open")), ("in_progress", _l("In progress")), ("done", _l("Done"))]
        ),
        validators=[InputRequired()],
    )
    note = TextAreaField(
        _l("Note (what was done; do not copy the family's words)"),
        validators=[Optional(), Length(max=500)],
    )
