import stat

import pytest

import engagement
from config import ProductionConfig, TestingConfig
from engagement import create_app


def test_config_by_name_class_and_dict():
    assert create_app("testing").testing
    assert create_app(TestingConfig).testing
    app = create_app({"CONFIG": "testing", "MIN_GROUP_SIZE": 9})
    assert app.testing and app.config["MIN_GROUP_SIZE"] == 9


def test_default_database_is_sqlite_in_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    app = create_app("Config")
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    assert uri.startswith("sqlite:///") and uri.endswith("instance/engagement.sqlite")


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@db.example/engagement")
    monkeypatch.setenv("MIN_GROUP_SIZE", "11")
    monkeypatch.setenv("REPORT_MIN_GROUP_SIZE", "12")
    monkeypatch.setenv("LANGUAGES", "en, es")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_app("Config")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/engagement"
    assert app.config["MIN_GROUP_SIZE"] == 11 and app.config["REPORT_MIN_GROUP_SIZE"] == 12
    assert app.config["LANGUAGES"] == ["en", "es"]
    assert app.config["SECRET_KEY"] == "x" * 40


def test_connection_pool_size_comes_from_the_environment_on_postgresql(monkeypatch):
    # The connection budget (README, "Production"): workers x (pool + overflow) per machine.
    monkeypatch.setenv("DB_POOL_SIZE", "3")
    monkeypatch.setenv("DB_MAX_OVERFLOW", "1")
    url = "postgresql+psycopg://u@db.example/engagement"
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert (options["pool_size"], options["max_overflow"]) == (3, 1)
    assert options["hide_parameters"] is True
    with app.app_context():
        pool = engagement.extensions.db.engine.pool
        assert (pool.size(), pool._max_overflow) == (3, 1)
    # SQLite (one machine) keeps its own pool; the class default is never changed.
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert "pool_size" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert "pool_size" not in TestingConfig.SQLALCHEMY_ENGINE_OPTIONS


def test_explicit_overrides_win_over_environment(monkeypatch):
    monkeypatch.setenv("MIN_GROUP_SIZE", "11")
    app = create_app({"CONFIG": "testing", "MIN_GROUP_SIZE": 3})
    assert app.config["MIN_GROUP_SIZE"] == 3


@pytest.mark.parametrize("config", ["Config", ProductionConfig, None])
@pytest.mark.parametrize("key", [None, "", "dev-only-change-me", "short"])
def test_every_start_but_development_refuses_a_weak_secret_key(monkeypatch, config, key):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    if key is not None:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


def test_development_makes_one_private_key_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(engagement, "ROOT", tmp_path)
    first = create_app("development")
    key_file = tmp_path / "instance" / "secret_key"
    assert first.config["SECRET_KEY"] == key_file.read_text().strip()
    assert len(first.config["SECRET_KEY"]) >= 48
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert create_app("development").config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_unknown_config_name_lists_the_valid_ones():
    with pytest.raises(RuntimeError, match="development, production, testing"):
        create_app("prodution")


def test_production_starts_with_strong_secret(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 48)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://voice.district.org")
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_production_refuses_to_start_without_its_public_address(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 48)
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL is not set"):
        create_app("production")


@pytest.mark.parametrize(
    "address", ["voice.district.org", "ftp://voice.district.org", "https://", "https://x.org/?a=1"]
)
def test_a_public_address_that_is_no_web_address_is_refused(monkeypatch, address):
    monkeypatch.setenv("SECRET_KEY", "s" * 48)
    monkeypatch.setenv("PUBLIC_BASE_URL", address)
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app("production")


def test_production_trusts_the_public_host_unless_told_otherwise(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 48)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://voice.district.org:8443/")
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    assert create_app("production").config["TRUSTED_HOSTS"] == ["voice.district.org"]
    monkeypatch.setenv("TRUSTED_HOSTS", "voice.district.org, .district.org")
    trusted = create_app("production").config["TRUSTED_HOSTS"]
    assert trusted == ["voice.district.org", ".district.org"]


def test_other_configurations_trust_any_host_and_have_an_address(monkeypatch):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    monkeypatch.setenv("SECRET_KEY", "s" * 48)
    app = create_app("Config")
    assert app.config["TRUSTED_HOSTS"] is None
    assert app.config["PUBLIC_BASE_URL"] == "http://127.0.0.1:5000"


@pytest.mark.only_on("sqlite")
def test_sqlite_connections_use_foreign_keys_and_wal(app, backend):
    if backend != "sqlite":
        pytest.skip("SQLite pragmas")
    from engagement.extensions import db

    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
