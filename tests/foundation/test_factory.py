import pytest

from config import DEFAULT_SECRET_KEY, ProductionConfig, TestingConfig
from engagement import create_app


def test_config_by_name_class_and_dict():
    assert create_app("testing").testing
    assert create_app(TestingConfig).testing
    app = create_app({"CONFIG": "testing", "MIN_GROUP_SIZE": 9})
    assert app.testing and app.config["MIN_GROUP_SIZE"] == 9


def test_default_database_is_sqlite_in_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app("Config")
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    assert uri.startswith("sqlite:///") and uri.endswith("instance/engagement.sqlite")


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@db.example/engagement")
    monkeypatch.setenv("MIN_GROUP_SIZE", "11")
    monkeypatch.setenv("LANGUAGES", "en, es")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_app("Config")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/engagement"
    assert app.config["MIN_GROUP_SIZE"] == 11
    assert app.config["LANGUAGES"] == ["en", "es"]
    assert app.config["SECRET_KEY"] == "x" * 40


def test_explicit_overrides_win_over_environment(monkeypatch):
    monkeypatch.setenv("MIN_GROUP_SIZE", "11")
    app = create_app({"CONFIG": "testing", "MIN_GROUP_SIZE": 3})
    assert app.config["MIN_GROUP_SIZE"] == 3


@pytest.mark.parametrize("key", [None, DEFAULT_SECRET_KEY, "short"])
def test_production_refuses_weak_secret_key(monkeypatch, key):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    if key is not None:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_starts_with_strong_secret(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 48)
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_sqlite_connections_use_foreign_keys_and_wal(app, backend):
    if backend != "sqlite":
        pytest.skip("SQLite pragmas")
    from engagement.extensions import db

    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
