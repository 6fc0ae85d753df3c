"""Export downloads: raw responses and their data dictionary (staff and admins; follow-up
contacts admins only), the aggregated summary (everyone, in scope) and the Commitment 4
report (staff and admins). Every download is audited before it starts.

A council lead's summary download is a published snapshot (of one engagement, or of one of
their councils), the same figures as their summary pages; staff download live summaries."""

import tempfile
from datetime import date

from flask import (
    Response,
    abort,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from engagement.exports import dictionary, render, report, responses, summary
from engagement.exports.auditing import record_export
from engagement.extensions import db
from engagement.i18n import _, current_locale, localized, localized_name
from engagement.models import Engagement
from engagement.staff import bp
from engagement.staff.access import (
    council_for,
    council_scope,
    engagement_for,
    may_export_contacts,
    may_export_raw,
    may_export_summary,
    may_read_live_summaries,
    may_read_report,
    requires,
    visible_councils,
    visible_engagements,
)
from engagement.staff.forms import ReportForm, ResponsesExportForm, SummaryExportForm
from engagement.summary.published import snapshot_summary
from engagement.summary.snapshots import council_snapshot, engagement_snapshot

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


COUNCIL_PREFIX = "council:"


def _engagement_choices(all_label):
    rows = db.session.scalars(visible_engagements(current_user).order_by("slug"))
    engagements = [SelectChoice(e.slug, localized(e, "title").text or e.slug) for e in rows]
    if may_read_live_summaries(current_user):
        return [SelectChoice("", all_label)] + engagements
    councils = [
        SelectChoice(
            COUNCIL_PREFIX + c.code,
            _("%(council)s: all engagements", council=localized_name(c).text),
        )
        for c in visible_councils(current_user)
    ]
    return councils + engagements


def _with_choices(form):
    form.engagement.choices = _engagement_choices(_("All engagements"))
    return form


def _selected(slug: str):
    if slug.startswith(COUNCIL_PREFIX) and not may_read_live_summaries(current_user):
        return council_for(slug[len(COUNCIL_PREFIX) :])
    return engagement_for(slug) if slug else None


def _attachment(stem: str, ext: str) -> str:
    return f"{stem}-{date.today().isoformat()}.{ext}"


def _send_file(write, mimetype: str, stem: str, ext: str):
    """Write the file to an anonymous temporary file (not memory) and send it."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115  (send_file closes it after sending)
    write(spool)
    spool.seek(0)
    result = send_file(
        spool, mimetype=mimetype, as_attachment=True, download_name=_attachment(stem, ext)
    )
    result.headers["Cache-Control"] = "no-store"
    return result


@bp.route("/exports")
@requires(may_export_summary)
def exports():
    """The export page: the downloads this account may make."""
    chosen = request.args.get("engagement", "")
    if chosen:
        _selected(chosen)  # 404 outside the account's scope
    return _exports_page(chosen)


def _exports_page(chosen, report_form=None, raw_form=None, summary_form=None, status=200):
    """The export page; forms given (with their errors) are shown as submitted."""
    if report_form is None:
        start, end = report.date_range(None, None)
        report_form = ReportForm(formdata=None, start=start, end=end)
    raw_form = raw_form or ResponsesExportForm(formdata=None, engagement=chosen)
    summary_form = summary_form or SummaryExportForm(formdata=None, engagement=chosen)
    all_label = (
        _("All engagements")
        if council_scope(current_user) is None
        else _("All engagements of my councils")
    )
    choices = _engagement_choices(all_label)
    raw_form.engagement.choices = summary_form.engagement.choices = choices
    page = render_template(
        "staff/exports.html",
        raw_form=raw_form,
        summary_form=summary_form,
        report_form=report_form,
    )
    return page, status


@bp.route("/engagements/<slug>/exports")
@requires(may_export_summary)
def engagement_exports(slug):
    """The export page with this engagement chosen."""
    return _exports_page(engagement_for(slug).slug)


def _stem(kind: str, engagement) -> str:
    """A file name's stem: what it holds, then the engagement's slug when there is one."""
    return f"{kind}-{engagement.slug}" if engagement else kind


@bp.route("/exports/responses", methods=["POST"])
@requires(may_export_raw)
def export_responses():
    """Raw responses as a streamed CSV or an XLSX file (staff; contacts for admins only)."""
    form = ResponsesExportForm()
    if not form.validate_on_submit():
        return _exports_page(form.engagement.data or "", raw_form=_with_choices(form))
    if form.include_contacts.data and not may_export_contacts(current_user):
        abort(403)
    engagement = _selected(form.engagement.data or "")
    plan = responses.build_plan(engagement, include_contacts=form.include_contacts.data)
    total = responses.count_responses(plan)
    what = "responses_with_contacts" if plan.include_contacts else "responses"
    filters = {"engagement": plan.engagement_slug, "include_contacts": plan.include_contacts}
    record_export(what, form.format.data, filters, total)
    # A file with contact details is never mistaken for (or saved over) one without.
    stem = _stem(what.replace("_", "-"), engagement)
    if form.format.data == "csv":
        disposition = f'attachment; filename="{_attachment(stem, "csv")}"'
        return Response(
            stream_with_context(responses.stream_csv(plan)),
            mimetype="text/csv",
            headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
        )
    return _send_file(lambda out: responses.write_xlsx(plan, out), XLSX, stem, "xlsx")


@bp.route("/exports/dictionary", methods=["POST"])
@requires(may_export_raw)
def export_dictionary():
    """The data dictionary of the raw export (question texts and option labels in every
    offered language) as a CSV file; the XLSX export holds it as its second sheet."""
    form = ResponsesExportForm()
    if not form.validate_on_submit():
        return _exports_page(form.engagement.data or "", raw_form=_with_choices(form))
    engagement = _selected(form.engagement.data or "")
    plan = responses.build_plan(engagement)
    rows = sum(1 for _row in dictionary.rows(plan))
    record_export("dictionary", "csv", {"engagement": plan.engagement_slug}, rows)
    stem = _stem("data-dictionary", engagement)
    return _send_file(lambda out: dictionary.write_csv(plan, out), "text/csv", stem, "csv")


@bp.route("/exports/summary", methods=["POST"])
@requires(may_export_summary)
def export_summary():
    """The aggregated summary (small groups suppressed) as CSV or XLSX, within scope."""
    form = SummaryExportForm()
    if not form.validate_on_submit():
        return _exports_page(form.engagement.data or "", summary_form=_with_choices(form))
    chosen = _selected(form.engagement.data or "")
    if may_read_live_summaries(current_user):
        tables = summary.summary_tables(chosen, council_scope=council_scope(current_user))
        filters = {"engagement": chosen.slug if chosen else None, "lang": current_locale()}
    else:
        tables = _published_tables(chosen)
        if tables is None:
            form.engagement.errors = [_("Nothing is published for this choice yet.")]
            return _exports_page(form.engagement.data, summary_form=_with_choices(form))
        key = "engagement" if isinstance(chosen, Engagement) else "council"
        filters = {key: getattr(chosen, "slug", None) or chosen.code, "lang": current_locale()}
        filters["published"] = True
    rows = sum(len(table.rows) for table in tables)
    record_export("summary", form.format.data, filters, rows)
    name = getattr(chosen, "slug", None) or getattr(chosen, "code", None)
    stem = f"summary-{name}" if name else "summary"
    writer = summary.write_csv if form.format.data == "csv" else summary.write_xlsx
    mimetype = "text/csv" if form.format.data == "csv" else XLSX
    return _send_file(lambda out: writer(tables, out), mimetype, stem, form.format.data)


def _published_tables(chosen):
    """A council lead's summary tables: the published snapshot of an engagement or a council
    (None when nothing is published for it yet)."""
    if chosen is None:
        return None
    if isinstance(chosen, Engagement):
        snapshot = engagement_snapshot(chosen)
    else:
        snapshot = council_snapshot(chosen)
    return summary.tables_from(snapshot_summary(snapshot)) if snapshot is not None else None


@bp.route("/exports/report")
@requires(may_read_report)
def export_report():
    """The Commitment 4 report for a period: a printable page, or a PDF download."""
    form = ReportForm(request.args)
    if not form.validate():
        return _exports_page("", report_form=form, status=400)
    try:
        start, end = report.date_range(form.start.data, form.end.data)
    except ValueError as error:
        form.end.errors = [str(error)]
        return _exports_page("", report_form=form, status=400)
    fmt = "pdf" if form.format.data == "pdf" else "html"
    data = report.build_report(start, end)
    filters = {"from": start.isoformat(), "to": end.isoformat(), "lang": current_locale()}
    record_export("report", fmt, filters, data.response_count)
    if fmt == "pdf":
        result = Response(render.render_pdf(data), mimetype="application/pdf")
        name = f"commitment4-{start.isoformat()}-{end.isoformat()}.pdf"
        result.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        result.headers["Cache-Control"] = "no-store"
        return result
    period = {"start": start.isoformat(), "end": end.isoformat()}
    return render.render_html(
        data,
        css_url=url_for("staff.report_css", v=render.css_version()),
        pdf_url=url_for("staff.export_report", format="pdf", **period),
        back_url=url_for("staff.exports"),
        missing_english=report.missing_english(data),
        staff_view=True,
    )


@bp.route("/exports/report.css")
@requires(may_read_report)
def report_css():
    """The report's stylesheet (a file of our own: CSP allows no inline style)."""
    result = Response(render.report_css(), mimetype="text/css")
    result.cache_control.private = True
    result.cache_control.max_age = 365 * 24 * 3600
    return result
