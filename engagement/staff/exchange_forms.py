"""Forms of the staff exchange pages (issue 18). Labels are lazy (_l)."""

from wtforms import HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from engagement.forms import FlaskForm
from engagement.i18n import _l
from engagement.models import ExchangePhase, IdeaState
from engagement.models.exchange import MAX_SAMPLE_SIZE
from engagement.staff.forms import as_choices


class ExchangeSettingsForm(FlaskForm):
    """Turn exchange mode on, or change how many ideas each family rates."""

    sample_size = IntegerField(
        _l("Ideas each family rates"),
        validators=[InputRequired(), NumberRange(min=1, max=MAX_SAMPLE_SIZE)],
    )


class ExchangePhaseForm(FlaskForm):
    phase = SelectField(
        choices=as_choices(
            [
                (ExchangePhase.SHARE.value, _l("Share ideas")),
                (ExchangePhase.RATE.value, _l("Rate ideas")),
                (ExchangePhase.CLOSED.value, _l("Closed")),
            ]
        ),
        validators=[InputRequired()],
    )


class IdeaDecisionForm(FlaskForm):
    idea_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
    decision = SelectField(
        choices=as_choices(
            [(IdeaState.APPROVED.value, _l("Approve")), (IdeaState.REJECTED.value, _l("Reject"))]
        ),
        validators=[InputRequired()],
    )


def renderings_form(locales):
    """One text field per language for an idea's English rendering and translations."""
    attrs = {f"text_{code}": TextAreaField() for code in locales}
    attrs["idea"] = HiddenField()
    return type("IdeaRenderingsForm", (FlaskForm,), attrs)
