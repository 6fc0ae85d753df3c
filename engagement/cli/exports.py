"""`flask --app wsgi export ...`: the same exports as the staff pages, for scheduled jobs.

The interface is fixed (district scripts rely on it):
  export responses --format csv|xlsx --output PATH [--engagement SLUG] [--include-contacts]
  export dictionary --output PATH [--engagement SLUG]
  export summary   --format csv|xlsx --output PATH [--engagement SLUG]
  export report    --format html|pdf --output PATH [--from YYYY-MM-DD --to YYYY-MM-DD] [--lang]
Every run is audited with the actor "cli". Files are written next to PATH and renamed into
place, so a failed run never leaves a half-written file behind.
"""

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from engagement.exports.auditing import record_export
from engagement.extensions import db
from engagement.models import Engagement

DAY = click.DateTime(["%Y-%m-%d"])
export_cli = AppGroup("export", help="Export responses, summaries and the Commitment 4 report.")

OUTPUT = click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (replaced if it exists).",
)


def _engagement(slug: str | None) -> Engagement | None:
    if slug is None:
        return None
    engagement = db.session.scalar(sa.select(Engagement).where(Engagement.slug == slug))
    if engagement is None:
        raise click.ClickException(f"No engagement with the slug {slug!r}.")
    return engagement


@contextmanager
def _atomic(path: Path):
    """A temporary file beside `path`, renamed onto it when the block succeeds."""
    path = path.resolve()
    if not path.parent.is_dir():
        raise click.ClickException(f"The folder {path.parent} does not exist.")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextmanager
def _progress(total: int, label: str):
    """A progress bar on stderr (click draws it only on a terminal); yields its update()."""
    with click.progressbar(length=max(total, 1), label=label, file=sys.stderr) as bar:
        yield bar.update


@export_cli.command("responses")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), required=True)
@OUTPUT
@click.option("--engagement", "slug", help="Only this engagement (slug).")
@click.option(
    "--include-contacts",
    is_flag=True,
    help="Add the follow-up contacts families chose to give (audited as such).",
)
def export_responses(fmt, output, slug, include_contacts):
    """Raw responses, one row per response (admin data: keep the file safe)."""
    from engagement.exports import responses

    plan = responses.build_plan(_engagement(slug), include_contacts=include_contacts)
    total = responses.count_responses(plan)
    what = "responses_with_contacts" if include_contacts else "responses"
    record_export(
        what, fmt, {"engagement": slug, "include_contacts": include_contacts}, total, cli=True
    )
    writer = responses.write_csv if fmt == "csv" else responses.write_xlsx
    with _atomic(output) as tmp, _progress(total, "Responses") as update, tmp.open("wb") as out:
        writer(plan, out, progress=update)
    click.echo(f"Wrote {total} responses to {output}.")


@export_cli.command("dictionary")
@OUTPUT
@click.option("--engagement", "slug", help="Only this engagement (slug).")
def export_dictionary(output, slug):
    """The data dictionary of the raw export, as CSV: every question, option and theme."""
    from engagement.exports import dictionary, responses

    plan = responses.build_plan(_engagement(slug))
    rows = sum(1 for _row in dictionary.rows(plan))
    record_export("dictionary", "csv", {"engagement": slug}, rows, cli=True)
    with _atomic(output) as tmp, tmp.open("wb") as out:
        dictionary.write_csv(plan, out)
    click.echo(f"Wrote {rows} rows to {output}.")


@export_cli.command("summary")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), required=True)
@OUTPUT
@click.option("--engagement", "slug", help="Only this engagement (slug).")
@click.option("--lang", type=str, default="en", show_default=True, help="Language of labels.")
def export_summary(fmt, output, slug, lang):
    """The theme and participation tables of the summary, small groups suppressed."""
    from engagement.exports import summary

    engagement = _engagement(slug)
    with _locale(lang):
        tables = summary.summary_tables(engagement)
        rows = sum(len(table.rows) for table in tables)
        record_export("summary", fmt, {"engagement": slug, "lang": lang}, rows, cli=True)
        writer = summary.write_csv if fmt == "csv" else summary.write_xlsx
        with _atomic(output) as tmp, tmp.open("wb") as out:
            writer(tables, out)
    click.echo(f"Wrote {len(tables)} tables ({rows} rows) to {output}.")


@export_cli.command("report")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf"]), required=True)
@OUTPUT
@click.option("--from", "start", type=DAY, help="First day, YYYY-MM-DD (default: 1 July).")
@click.option("--to", "end", type=DAY, help="Last day, YYYY-MM-DD (default: 30 June).")
@click.option("--lang", type=str, default="en", show_default=True, help="Language of the report.")
def export_report(fmt, output, start, end, lang):
    """The Commitment 4 evidence report for a date range (default: this school year)."""
    from engagement.exports import render, report

    try:
        start, end = report.date_range(start.date() if start else None, end.date() if end else None)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    with _locale(lang):
        data = report.build_report(start, end)
        filters = {"from": start.isoformat(), "to": end.isoformat(), "lang": lang}
        record_export("report", fmt, filters, data.response_count, cli=True)
        with _atomic(output) as tmp:
            if fmt == "html":
                tmp.write_text(render.render_html(data, standalone=True), encoding="utf-8")
            else:
                tmp.write_bytes(render.render_pdf(data))
    click.echo(f"Wrote the report for {start} to {end} to {output}.")


@contextmanager
def _locale(lang: str):
    """A request context in `lang`, so templates and _() render in that language."""
    from engagement.i18n import match_locale

    with current_app.test_request_context("/"):
        chosen = match_locale(lang)
        if chosen is None:
            languages = ", ".join(current_app.config["LANGUAGES"])
            raise click.ClickException(f"Unknown language {lang!r}; choose one of {languages}.")
        from flask import g

        g.locale = chosen
        yield chosen
