"""The distribution kit: invitation and reminder texts per language and channel, with links
that say which channel (and which school's list) a family came from.

A tracked link is the form's address with `channel=` and `school=` (a school code): the
response stores the channel and the school the link was sent for (`source_school_id`),
never anything about who followed it. Text messages carry a short link, `/i/<engagement
id>/<channel letter>/<language>[/<school id>]`, which redirects to the same address.

Text messages are counted as phones split them (GSM 03.38): a message that only uses the
GSM 7-bit alphabet holds 160 characters (153 per part when split, the extension characters
such as € and [ ] counting twice); any other character makes the whole message UCS-2, 70
characters (67 per part), counted in UTF-16 units so that an emoji takes two. smsutil does
this but is unmaintained (last built for Python 3.8) and pulls in the Python 2 `future`
package; the rule is the two tables below.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import force_locale

from engagement.i18n import _, district_name, format_date, localized
from engagement.models import Channel, Engagement, School
from engagement.urls import public_url

# GSM 03.38 default alphabet and its extension table (each extension character takes two).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")

# Short-link letters for the channels an invitation can use.
LINK_CHANNELS = {
    "s": Channel.SMS,
    "e": Channel.EMAIL,
    "n": Channel.NEWSLETTER,
    "q": Channel.QR,
    "w": Channel.WEB,
}
LETTERS = {channel: letter for letter, channel in LINK_CHANNELS.items()}


@dataclass(frozen=True)
class SmsCount:
    """How a phone sends `text`: encoding, length in its units, and number of messages."""

    encoding: str  # "GSM-7" or "UCS-2"
    length: int
    parts: int

    @property
    def single_limit(self) -> int:
        return 160 if self.encoding == "GSM-7" else 70

    @property
    def fits_one(self) -> bool:
        return self.parts == 1


def sms_count(text: str) -> SmsCount:
    """Characters and messages `text` takes as a text message."""
    if all(char in GSM_BASIC or char in GSM_EXTENSION for char in text):
        length = sum(2 if char in GSM_EXTENSION else 1 for char in text)
        single, each = 160, 153
        encoding = "GSM-7"
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, each = 70, 67
        encoding = "UCS-2"
    parts = 1 if length <= single else math.ceil(length / each)
    return SmsCount(encoding, length, parts)


def shortest_that_fits(*texts: str) -> str:
    """The first of `texts` (most to least detailed) that fits one text message, else the
    one that takes the fewest messages."""
    for text in texts:
        if sms_count(text).fits_one:
            return text
    return min(texts, key=lambda text: sms_count(text).parts)


def tracked_url(engagement: Engagement, channel: Channel, lang: str, school: School | None):
    """The form's full address for a channel, language and (optionally) school's list."""
    args = {"channel": channel.value, "lang": lang}
    if school is not None:
        args["school"] = school.code
    return public_url("public.engagement", slug=engagement.slug, **args)


def short_url(engagement: Engagement, channel: Channel, lang: str, school: School | None):
    """A short address that redirects to tracked_url (for text messages)."""
    values = {"number": engagement.id, "letter": LETTERS[channel], "lang": lang}
    if school is not None:
        values["school"] = school.id
    return public_url("public.invitation", **values)


@dataclass(frozen=True)
class Message:
    """One ready-to-send text of the kit."""

    kind: str  # key of KINDS
    channel: Channel | None  # the channel its link is tagged with; None: no link
    subject: str
    body: str
    link: str
    sms: SmsCount | None = None


# The texts of the kit, in the order staff see them.
KINDS = (
    "sms_invitation",
    "sms_reminder",
    "email_invitation",
    "email_reminder",
    "newsletter",
    "phone_script",
)


def kind_label(kind: str) -> str:
    return {
        "sms_invitation": _("Text message: invitation"),
        "sms_reminder": _("Text message: reminder"),
        "email_invitation": _("E-mail: invitation"),
        "email_reminder": _("E-mail: reminder"),
        "newsletter": _("School newsletter"),
        "phone_script": _("Phone call script"),
    }[kind]


def kit(engagement: Engagement, lang: str, school: School | None = None) -> list[Message]:
    """Every text of the kit in `lang`, with links tagged for their channel and `school`."""
    with force_locale(lang):
        title = localized(engagement, "title", lang).text
        district = district_name(lang)
        closes = format_date(engagement.closes_at, "long") if engagement.closes_at else None
        sms_link = short_url(engagement, Channel.SMS, lang, school)
        email_link = tracked_url(engagement, Channel.EMAIL, lang, school)
        news_link = tracked_url(engagement, Channel.NEWSLETTER, lang, school)
        web_link = tracked_url(engagement, Channel.WEB, lang, school)
        sms_invitation = shortest_that_fits(
            _("%(title)s: please tell us what you think. %(link)s", title=title, link=sms_link),
            _("Please tell us what you think: %(link)s", link=sms_link),
        )
        if closes:
            sms_reminder = shortest_that_fits(
                _(
                    "Reminder: %(title)s closes %(date)s. %(link)s",
                    title=title,
                    date=closes,
                    link=sms_link,
                ),
                _("Reminder: answers close %(date)s. %(link)s", date=closes, link=sms_link),
                _("Reminder: %(link)s", link=sms_link),
            )
            email_reminder_body = _(
                "Hello,\n\nThere is still time to answer “%(title)s”: it closes on %(date)s. "
                "It takes a few minutes, on a phone or a computer, in the language you "
                "choose.\n\n%(link)s\n\nThank you,\n%(district)s",
                title=title,
                date=closes,
                link=email_link,
                district=district,
            )
        else:
            sms_reminder = shortest_that_fits(
                _("Reminder: %(title)s is open. %(link)s", title=title, link=sms_link),
                _("Reminder: %(link)s", link=sms_link),
            )
            email_reminder_body = _(
                "Hello,\n\nThere is still time to answer “%(title)s”. It takes a few "
                "minutes, on a phone or a computer, in the language you choose.\n\n%(link)s"
                "\n\nThank you,\n%(district)s",
                title=title,
                link=email_link,
                district=district,
            )
        messages = [
            Message(
                "sms_invitation",
                Channel.SMS,
                "",
                sms_invitation,
                sms_link,
                sms_count(sms_invitation),
            ),
            Message(
                "sms_reminder", Channel.SMS, "", sms_reminder, sms_link, sms_count(sms_reminder)
            ),
            Message(
                "email_invitation",
                Channel.EMAIL,
                _("Your voice: %(title)s", title=title),
                _(
                    "Hello,\n\n%(district)s wants to hear from every family. Please answer "
                    "“%(title)s”. It takes a few minutes, on a phone or a computer, in the "
                    "language you choose. You do not have to give your name.\n\n%(link)s\n\n"
                    "We will share what we heard and what we will do about it.\n\n"
                    "Thank you,\n%(district)s",
                    district=district,
                    title=title,
                    link=email_link,
                ),
                email_link,
            ),
            Message(
                "email_reminder",
                Channel.EMAIL,
                _("Reminder: %(title)s", title=title),
                email_reminder_body,
                email_link,
            ),
            Message(
                "newsletter",
                Channel.NEWSLETTER,
                title,
                _(
                    "We want to hear from every family. Please answer “%(title)s” on a phone "
                    "or a computer, in the language you choose: %(link)s. You do not have to "
                    "give your name. We will share what we heard.",
                    title=title,
                    link=news_link,
                ),
                news_link,
            ),
            Message(
                "phone_script",
                None,
                "",
                _(
                    "Hello, I am calling from %(district)s. We are asking every family about "
                    "“%(title)s”. Would you like to answer? It takes a few minutes. I can send "
                    "you the link, or we can go through the questions together now, in the "
                    "language you prefer. You do not have to give your name. The address is "
                    "%(link)s",
                    district=district,
                    title=title,
                    link=web_link,
                ),
                web_link,
            ),
        ]
    return messages
