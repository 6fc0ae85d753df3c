"""Translated labels for the values of the project's enums (catalog strings, lazy)."""

from engagement.i18n import _l
from engagement.models import (
    ActionStatus,
    Channel,
    EngagementKind,
    EngagementStatus,
    QuestionKind,
    QuoteState,
    RaceEthnicity,
)

KIND = {
    EngagementKind.SURVEY: _l("Survey"),
    EngagementKind.FORUM: _l("Community forum"),
    EngagementKind.ADVISORY_COUNCIL: _l("Advisory council"),
    EngagementKind.COFFEE_CONVERSATION: _l("Coffee conversation"),
}

STATUS = {
    EngagementStatus.DRAFT: _l("Draft"),
    EngagementStatus.OPEN: _l("Open"),
    EngagementStatus.CLOSED: _l("Closed"),
}

QUESTION_KIND = {
    QuestionKind.LIKERT5: _l("Agree / disagree scale"),
    QuestionKind.SINGLE_CHOICE: _l("Choose one"),
    QuestionKind.MULTI_CHOICE: _l("Choose all that apply"),
    QuestionKind.OPEN_TEXT: _l("Written answer"),
    QuestionKind.RATING: _l("Rating from 1 to 5"),
}

CHANNEL = {
    Channel.WEB: _l("Web form"),
    Channel.QR: _l("QR code"),
    Channel.PAPER: _l("Paper comment card"),
    Channel.STAFF_ENTRY: _l("Entered by staff"),
    Channel.SMS: _l("Text message link"),
    Channel.EMAIL: _l("E-mail link"),
    Channel.NEWSLETTER: _l("Newsletter link"),
}

RACE_ETHNICITY = {
    RaceEthnicity.BLACK: _l("African American or Black"),
    RaceEthnicity.HISPANIC_LATINX: _l("Hispanic or Latino/a/x"),
    RaceEthnicity.MULTIRACIAL: _l("Multiracial (more than one race)"),
    RaceEthnicity.AMERICAN_INDIAN_ALASKA_NATIVE: _l("American Indian or Alaska Native"),
    RaceEthnicity.NATIVE_HAWAIIAN_PACIFIC_ISLANDER: _l("Native Hawaiian or Pacific Islander"),
    RaceEthnicity.ASIAN: _l("Asian"),
    RaceEthnicity.WHITE: _l("White"),
    RaceEthnicity.PREFER_NOT_TO_SAY: _l("I prefer not to say"),
}

LIKERT5 = {
    "1": _l("Strongly disagree"),
    "2": _l("Disagree"),
    "3": _l("Neither agree nor disagree"),
    "4": _l("Agree"),
    "5": _l("Strongly agree"),
}

RATING = {
    "1": _l("1 – Very poor"),
    "2": _l("2 – Poor"),
    "3": _l("3 – Okay"),
    "4": _l("4 – Good"),
    "5": _l("5 – Very good"),
}

ACTION_STATUS = {
    ActionStatus.PLANNED: _l("Planned"),
    ActionStatus.IN_PROGRESS: _l("In progress"),
    ActionStatus.DONE: _l("Done"),
}

QUOTE_STATE = {
    QuoteState.PENDING: _l("Waiting for a quote decision"),
    QuoteState.APPROVED: _l("Approved as a quote"),
    QuoteState.REJECTED: _l("Not quoted"),
}
