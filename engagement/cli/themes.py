"""`flask analyze-text` and `flask themes ...`: the theme pipeline from the command line."""

import json
import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

themes_cli = AppGroup("themes", help="Theme analysis of open-text answers.")


@click.command("analyze-text")
@with_appcontext
def analyze_text_command():
    """Analyse JSON lines {"id", "text", "lang"?} from stdin; one JSON line out per input.

    Offline and without the database: language, sentiment (or null), themes, phrases.
    """
    from engagement.themes.pipeline import analyze
    from engagement.themes.store import active_model

    model = active_model()  # the district's classifier when one has been trained
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = item["text"]
            if not isinstance(text, str):
                raise TypeError("text must be a string")
        except (ValueError, KeyError, TypeError) as error:
            message = f'line {number}: expected {{"id", "text", "lang"?}}: {error}'
            click.echo(json.dumps({"id": None, "error": message}), err=False)
            continue
        result = analyze(text, item.get("lang"), model=model)
        click.echo(json.dumps({"id": item.get("id"), **result.to_json_dict()}, ensure_ascii=False))


@themes_cli.command("reanalyze")
@click.option("--batch-size", default=500, show_default=True, help="Answers per transaction.")
@click.option(
    "--all",
    "force",
    is_flag=True,
    help="Also redo answers already analysed with the current codebook.",
)
@click.option(
    "--after-id",
    default=0,
    show_default=True,
    help="Resume after this answer id (printed when a run is interrupted).",
)
def reanalyze_command(batch_size, force, after_id):
    """Re-run the pipeline over stored open answers, in batches; safe to stop and rerun."""
    from engagement.themes.store import pending_count, reanalyze

    total = pending_count(after_id=after_id, force=force)
    progress = None
    try:
        with click.progressbar(length=total, label="Reanalysing", file=sys.stderr) as bar:
            for progress in reanalyze(batch_size=batch_size, after_id=after_id, force=force):
                bar.update(progress.analyzed)
    except KeyboardInterrupt:
        last = progress.last_id if progress else after_id
        raise click.ClickException(
            f"Interrupted. Batches up to answer {last} are saved; run again to continue"
            + (f" (with --all, add --after-id {last})." if force else ".")
        ) from None
    click.echo(f"Reanalysed {progress.done if progress else 0} answers.")


@themes_cli.command("train")
@click.option(
    "--min-reviewed",
    default=20,
    show_default=True,
    help="Refuse to train from fewer reviewer-coded comments than this.",
)
def train_command(min_reviewed):
    """Train the district's theme classifier from reviewer-confirmed codes."""
    from engagement.themes.store import train_model

    try:
        model = train_model(min_reviewed=min_reviewed)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    learned = ", ".join(model.learned) or "none (too few examples of every theme)"
    click.echo(f"Trained on {model.meta['examples']} reviewed comments.")
    click.echo(f"Themes learned: {learned}; the others keep the codebook's rules.")
    click.echo(f"Saved to {current_app.config['THEME_MODEL_PATH']}.")
    click.echo("New answers use it now; run `flask themes reanalyze --all` for stored ones.")
