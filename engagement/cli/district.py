"""`flask seed` and `flask demo`: the district's structure and the demo content."""

import json
import sys

import click


@click.command("seed")
def seed_command():
    """Load schools, stakeholder groups and priorities (safe to run again)."""
    from engagement.seed import seed_district

    created = seed_district()
    click.echo(
        "Seeded district: {schools} new schools, {groups} new groups, "
        "{priorities} new priorities.".format(**created)
    )


@click.command("demo")
@click.option(
    "--remove",
    is_flag=True,
    help="Delete every demo engagement and demo response instead (real data is kept).",
)
def demo_command(remove):
    """Add demo engagements and responses in several languages (safe to run again)."""
    from engagement.demo import DEMO_FILE, load_demo, remove_demo

    if remove:
        removed = remove_demo()
        click.echo(
            "Removed demo data: {engagements} engagements, {responses} responses.".format(**removed)
        )
        return

    total = _demo_target(DEMO_FILE)
    with click.progressbar(length=total, label="Demo responses", file=sys.stderr) as bar:
        added = load_demo(progress=bar.update)
    click.echo(
        "Demo data: {engagements} new engagements, {responses} new responses.".format(**added)
    )


def _demo_target(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    return sum(item.get("responses", 0) for item in data["engagements"])
