"""The engagement application: family feedback for a school district."""

import logging
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from config import (
    CONFIGS,
    MIN_SECRET_KEY_LENGTH,
    PUBLIC_SECRET_KEYS,
    environment_overrides,
    pool_options,
)

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    """Build the app. `config` is a config class, its name, or a dict of overrides."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=None,
    )
    load_config(app, config)
    configure_logging(app)
    register_extensions(app)
    register_i18n(app)
    register_assets(app)
    register_url_converters(app)
    register_blueprints(app)
    register_cli(app)
    register_error_handlers(app)
    register_security_headers(app)
    return app


def load_config(app, config):
    """Class defaults, then the environment, then explicit overrides."""
    overrides = {}
    if isinstance(config, dict):
        overrides = config
        config = overrides.get("CONFIG", None)
    if config is None:
        config = "development" if app.debug else "Config"
    if isinstance(config, str):
        if config not in CONFIGS:
            raise RuntimeError(
                f"Unknown ENGAGEMENT_CONFIG {config!r}. Choose one of: "
                + ", ".join(sorted(name for name in CONFIGS if name.islower()))
                + "."
            )
        config = CONFIGS[config]
    app.config.from_object(config)
    app.config.update(environment_overrides())
    app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        folder = make_instance_folder(Path(app.instance_path))
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{folder / 'engagement.sqlite'}"
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = pool_options(app.config)
    if app.config.get("THEME_MODEL_PATH") is None:
        app.config["THEME_MODEL_PATH"] = str(Path(app.instance_path) / "theme_model.npz")
    app.config["PERMANENT_SESSION_LIFETIME"] = app.config["SESSION_MINUTES"] * 60
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(ROOT / "translations"))
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["DISTRICT_TIMEZONE"]
    if not app.config.get("SECRET_KEY") and app.config.get("GENERATE_SECRET_KEY"):
        app.config["SECRET_KEY"] = local_secret_key(Path(app.instance_path) / "secret_key")
    check_secret_key(app.config.get("SECRET_KEY"))
    check_public_address(app.config)


def local_secret_key(path: Path) -> str:
    """The key kept in `path` for a trial on one machine, made (0600) on first use."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key


def make_instance_folder(folder: Path) -> Path:
    """The instance folder, where the default SQLite database lives; created owner-only (0700).

    A folder that already exists keeps the mode its administrator gave it.
    """
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
    return folder


def check_secret_key(key):
    """Every start refuses a missing, public or short SECRET_KEY."""
    if not key or key in PUBLIC_SECRET_KEYS or len(key) < MIN_SECRET_KEY_LENGTH:
        raise RuntimeError(
            "Refusing to start: SECRET_KEY is missing, public or shorter than "
            f"{MIN_SECRET_KEY_LENGTH} characters. Set SECRET_KEY in the environment to a long "
            'random value, for example the output of python -c "import secrets; '
            'print(secrets.token_urlsafe(48))". For a trial on this machine only, '
            "ENGAGEMENT_CONFIG=development (what `make run` uses) keeps a random key in "
            "instance/secret_key."
        )


def check_public_address(config) -> None:
    """PUBLIC_BASE_URL is an absolute http(s) address, required in production, where
    TRUSTED_HOSTS defaults to its host."""
    base = config.get("PUBLIC_BASE_URL")
    if not base and config.get("REQUIRE_PUBLIC_BASE_URL"):
        raise RuntimeError(
            "Refusing to start: PUBLIC_BASE_URL is not set. Set it in the environment to the "
            "address families use, for example PUBLIC_BASE_URL=https://voice.district.org. "
            "Flyers, QR codes and links are built on it, and requests for any other host "
            "are refused (TRUSTED_HOSTS, which defaults to its host)."
        )
    if not base:
        return
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise RuntimeError(
            f"Refusing to start: PUBLIC_BASE_URL {base!r} is not an address like "
            "https://voice.district.org (http or https, a host name, no query string)."
        )
    if config.get("REQUIRE_PUBLIC_BASE_URL") and config.get("TRUSTED_HOSTS") is None:
        config["TRUSTED_HOSTS"] = [parts.hostname]


def configure_logging(app):
    """Plain logs to stderr. Answer text is never logged (see the public blueprint)."""
    level = getattr(logging, str(app.config["LOG_LEVEL"]).upper(), logging.INFO)
    app.logger.setLevel(level)
    # Werkzeug's access log prints client addresses; keep it quiet outside debug runs.
    if not app.debug:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)


def register_extensions(app):
    from engagement.extensions import compress, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)

    from engagement import models  # noqa: F401  (register the tables with the metadata)


def register_i18n(app):
    from engagement import i18n
    from engagement.extensions import babel

    babel.init_app(app, locale_selector=i18n.select_locale)
    app.before_request(i18n.reset_locale)
    app.after_request(i18n.remember_locale)
    app.context_processor(i18n.template_globals)


def register_assets(app):
    from engagement import assets

    assets.init_app(app)


def register_url_converters(app):
    from engagement import urls

    urls.init_app(app)


def register_blueprints(app):
    from engagement.public import bp as public_bp
    from engagement.staff import bp as staff_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp, url_prefix="/staff")


def register_cli(app):
    from engagement import cli

    cli.init_app(app)


def register_error_handlers(app):
    from engagement import errors

    errors.init_app(app)


def register_security_headers(app):
    from engagement import security

    security.init_app(app)
