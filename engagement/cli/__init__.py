"""Flask command-line commands: `flask --app wsgi <command>`, one module per area."""


def init_app(app):
    """Register every command group on the app's CLI."""
    from engagement.cli.aggregates import aggregates_cli
    from engagement.cli.district import demo_command, seed_command
    from engagement.cli.exports import export_cli
    from engagement.cli.maintenance import backup_command, purge_command
    from engagement.cli.themes import analyze_text_command, themes_cli
    from engagement.cli.users import users_cli

    for command in (
        seed_command,
        demo_command,
        users_cli,
        analyze_text_command,
        themes_cli,
        backup_command,
        purge_command,
        export_cli,
        aggregates_cli,
    ):
        app.cli.add_command(command)
