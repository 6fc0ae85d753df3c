"""`flask aggregates ...`: the per-engagement counts summaries read (engagement.aggregates)."""

import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup

aggregates_cli = AppGroup("aggregates", help="Per-engagement counts kept for summaries.")


def _engagements(slug: str | None, stale_only: bool = False) -> list:
    from engagement import aggregates
    from engagement.extensions import db
    from engagement.models import Engagement

    query = sa.select(Engagement.id, Engagement.slug).order_by(Engagement.id)
    if slug:
        query = query.where(Engagement.slug == slug)
    if stale_only:
        query = query.where(Engagement.id.in_(aggregates.stale_engagements() or [-1]))
    rows = db.session.execute(query).all()
    if slug and not rows:
        raise click.ClickException(f"No engagement {slug!r}.")
    return rows


@aggregates_cli.command("rebuild")
@click.option("--engagement", "slug", help="Only this engagement (its slug).")
@click.option("--stale", is_flag=True, help="Only engagements waiting for a rebuild.")
def rebuild_command(slug, stale):
    """Count engagements again from their raw rows, one transaction each (after an upgrade)."""
    from engagement import aggregates
    from engagement.extensions import db

    rows = _engagements(slug, stale)
    with click.progressbar(rows, label="Counting", file=sys.stderr) as bar:
        for engagement_id, _slug in bar:
            aggregates.rebuild(engagement_id)
            db.session.commit()
    click.echo(f"Rebuilt the counts of {len(rows)} engagements.")


@aggregates_cli.command("check")
@click.option("--engagement", "slug", help="Only this engagement (its slug).")
def check_command(slug):
    """Compare the stored counts with the raw rows; exit status 1 on any difference."""
    from engagement.summary.aggregated import compare

    problems = 0
    for engagement_id, engagement_slug in _engagements(slug):
        for problem in compare(engagement_id):
            problems += 1
            click.echo(f"{engagement_slug}: {problem}")
    if problems:
        raise click.ClickException(f"{problems} differences (run `flask aggregates rebuild`).")
    click.echo("The stored counts equal the raw rows.")
