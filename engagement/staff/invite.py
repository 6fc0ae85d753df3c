"""The distribution kit of an engagement: ready-to-send invitations and reminders in each
language, with tracked links per channel and school, and the answers each link brought."""

import io
import re
import uuid
from datetime import date

import sqlalchemy as sa
from flask import Response as HttpResponse
from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import force_locale
from markupsafe import Markup

from engagement import audit
from engagement.exports.paper import render_paper_pdf
from engagement.exports.summary import Table, write_xlsx
from engagement.extensions import db
from engagement.i18n import LANGUAGE_NAMES, _, html_lang, text_direction
from engagement.invitations import kind_label, kit
from engagement.labels import CHANNEL
from engagement.models import Channel, Response, School
from engagement.public.forms import is_empty, make_form
from engagement.public.services import form_groups, form_schools
from engagement.staff import bp
from engagement.staff.access import engagement_for, may_author, may_record_events, requires
from engagement.submissions import Submission, SubmissionError, record_response


def chosen_school() -> School | None:
    code = request.args.get("school")
    if not code:
        return None
    return db.session.scalar(sa.select(School).where(School.code == code))


def kits(engagement, school):
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES.get(code, code),
            "lang": html_lang(code),
            "dir": text_direction(code),
            "messages": kit(engagement, code, school),
        }
        for code in engagement.offered_languages
    ]


def answers_by_link(engagement):
    """Counted answers per channel and per school whose link was followed."""
    rows = db.session.execute(
        sa.select(Response.channel, School.name, sa.func.count(Response.id))
        .outerjoin(School, School.id == Response.source_school_id)
        .where(Response.engagement_id == engagement.id, Response.counted)
        .group_by(Response.channel, School.name)
        .order_by(Response.channel, School.name)
    )
    return [
        {"channel": CHANNEL.get(channel, channel), "school": school, "count": count}
        for channel, school, count in rows
    ]


@bp.route("/engagements/<slug>/invite")
@requires(may_author)
def invite(slug):
    engagement = engagement_for(slug)
    school = chosen_school()
    schools = db.session.scalars(sa.select(School).order_by(School.position, School.id))
    return render_template(
        "staff/invite.html",
        engagement=engagement,
        school=school,
        schools=list(schools),
        kits=kits(engagement, school),
        kind_label=kind_label,
        by_link=answers_by_link(engagement),
    )


@bp.route("/engagements/<slug>/invite.xlsx")
@requires(may_author)
def invite_sheet(slug):
    """The whole kit as one sheet: a row per language and text."""
    engagement = engagement_for(slug)
    school = chosen_school()
    headers = [
        _("Language"),
        _("Text"),
        _("Channel"),
        _("Subject"),
        _("Message"),
        _("Link"),
        _("Characters"),
        _("Text messages"),
    ]
    rows = []
    for language in kits(engagement, school):
        for message in language["messages"]:
            sms = message.sms
            rows.append(
                [
                    language["name"],
                    kind_label(message.kind),
                    str(CHANNEL[message.channel]) if message.channel else "",
                    message.subject,
                    message.body,
                    message.link,
                    sms.length if sms else None,
                    sms.parts if sms else None,
                ]
            )
    buffer = io.BytesIO()
    write_xlsx(
        [
            Table(
                key=_("Invitations"),
                title=_("Invitations"),
                headers=headers,
                rows=rows,
                widths=[14, 24, 18, 30, 70, 45, 12, 12],
            )
        ],
        buffer,
    )
    buffer.seek(0)
    name = f"{engagement.slug}-invitations"
    if school is not None:
        name += f"-{school.code}"
    return send_file(
        buffer,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"{name}-{date.today().isoformat()}.xlsx",
    )


@bp.route("/engagements/<slug>/paper.pdf")
@requires(may_author)
def paper_form(slug):
    """The printable paper form in one language (`?lang=`), as PDF."""
    engagement = engagement_for(slug)
    lang = request.args.get("lang", "en")
    if lang not in engagement.offered_languages:
        abort(404)
    response = HttpResponse(render_paper_pdf(engagement, lang), mimetype="application/pdf")
    name = f"{engagement.slug}-paper-form-{lang}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


PAPER_TOKEN = re.compile(r"[0-9a-f]{32}")


def paper_count(engagement) -> int:
    """Paper forms typed in for `engagement` (outside events)."""
    return db.session.scalar(
        sa.select(sa.func.count(Response.id)).where(
            Response.engagement_id == engagement.id,
            Response.channel == Channel.PAPER,
            Response.event_id.is_(None),
        )
    )


def missing_only(field) -> bool:
    """A field whose only complaint is that it was left empty: on paper that is allowed."""
    return is_empty(field.data)


@bp.route("/engagements/<slug>/paper", methods=["GET", "POST"])
@requires(may_record_events)
def paper_entry(slug):
    """Type in returned paper forms: the same questions and numbers as the printed form, in
    the printed form's language; blanks are kept as blanks (required questions included)."""
    engagement = engagement_for(slug)
    lang = request.values.get("paper", "en")
    if lang not in engagement.offered_languages:
        lang = "en"
    form = make_form(engagement, form_groups(), form_schools())
    if request.method == "POST":
        form.validate()
        problems = [field for field in form if field.errors and not missing_only(field)]
        # The page's own token (uuid4 hex) makes a double click store one form; anything
        # else in that field is not ours and keys nothing.
        token = form.token.data or ""
        key = f"paper-{engagement.id}-{token}" if PAPER_TOKEN.fullmatch(token) else None
        again = key is not None and db.session.scalar(
            sa.select(Response.id).where(Response.idempotency_key == key)
        )
        if again:  # the same form sent twice (a double click): stored once already
            return redirect(
                url_for("staff.paper_entry", slug=slug, paper=lang, saved=paper_count(engagement))
            )
        # Read only once every field holds one of its own choices (none is a problem).
        empty = not problems and not (
            form.answers() or form.group_ids() or form.school_id() or form.race()
        )
        if empty:
            flash(_("Nothing is filled in on this form, so nothing was saved."), "error")
        elif not problems and not form.csrf_failed:
            submission = Submission(
                locale=lang,
                channel=Channel.PAPER,
                answers=form.answers(),
                group_ids=form.group_ids(),
                school_id=form.school_id(),
                race_ethnicity=form.race(),
                idempotency_key=key,
                partial=True,
                groups_checked=True,
            )
            try:
                response = record_response(engagement, submission)
            except SubmissionError:
                flash(_("This form could not be saved. Please check it."), "error")
            else:
                audit.record(
                    "response.paper_entered",
                    target=engagement.slug,
                    details={"response_id": response.id, "locale": lang},
                )
                return redirect(
                    url_for(
                        "staff.paper_entry", slug=slug, paper=lang, saved=paper_count(engagement)
                    )
                )
        for field in form:
            if field.errors and missing_only(field):
                field.errors = []
    form.token.data = uuid.uuid4().hex
    # The questions as printed: in the paper's language, numbered as on paper; the rest of
    # the page in the staff member's own language.
    with force_locale(lang):
        printed = Markup(  # nosec B704: a template of ours, rendered with autoescape
            render_template(
                "staff/_paper_questions.html",
                form=form,
                questions=form.question_fields(),
                paper_lang=html_lang(lang),
                paper_dir=text_direction(lang),
            )
        )
    return render_template(
        "staff/paper_entry.html",
        engagement=engagement,
        form=form,
        printed=printed,
        lang=lang,
        languages=[(code, LANGUAGE_NAMES.get(code, code)) for code in engagement.offered_languages],
        saved=request.args.get("saved", type=int),
        total=paper_count(engagement),
    )
