"""`flask analyze-text`: JSON lines in, JSON lines out, offline, without the database."""

import json

import pytest

from engagement import create_app


@pytest.fixture
def offline_runner(tmp_path):
    # A database URL that cannot be opened: any attempt to use it would fail the command.
    missing = tmp_path / "no-such-dir" / "db.sqlite"
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})
    return app.test_cli_runner()


def run(runner, *items):
    lines = "\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n"
    result = runner.invoke(args=["analyze-text"], input=lines)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_one_line_out_per_line_in_with_the_fixed_keys(offline_runner):
    out = run(
        offline_runner,
        {"id": "a", "text": "The bus is always late and nobody called me back."},
        {"id": 2, "text": "Mi hijo no entiende las cartas que mandan en inglés.", "lang": "en"},
        {"id": 3, "text": "学校的翻译服务很好，老师也很耐心。"},
        {"id": 4, "text": "Pitit mwen an pa resevwa èd li bezwen nan lekòl la."},
        {"id": 5, "text": "لا نفهم الرسائل لأنها باللغة الإنجليزية فقط"},
        {"id": 6, "text": "Gostaria de reuniões à noite, porque trabalho de dia.", "lang": "pt_BR"},
    )
    assert [o["id"] for o in out] == ["a", 2, 3, 4, 5, 6]
    for item in out:
        assert set(item) == {"id", "lang", "sentiment", "themes", "phrases"}
    assert [o["lang"] for o in out] == ["en", "es", "zh_Hans", "ht", "ar", "pt_BR"]
    assert -1 <= out[0]["sentiment"] < 0
    assert "transportation" in out[0]["themes"]
    assert all(o["sentiment"] is None for o in out[1:])
    assert "language_access" in out[1]["themes"]


def test_bad_lines_get_an_error_line_and_do_not_stop_the_run(offline_runner):
    result = offline_runner.invoke(
        args=["analyze-text"], input='not json\n{"id": 1}\n{"id": 2, "text": "Great teachers"}\n'
    )
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert "error" in lines[0] and "error" in lines[1]
    assert lines[2]["id"] == 2 and lines[2]["sentiment"] > 0
