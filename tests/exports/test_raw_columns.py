"""Raw export columns added for a year of staff work: theme codes (automatic and a
reviewer's), event id, channel, the demo flag and its hook, and the data dictionary."""

import csv
import io
from datetime import UTC, date, datetime

import openpyxl
import sqlalchemy as sa
from flask import current_app

from engagement.exports import dictionary, responses
from engagement.exports.responses import FLAG_COLUMNS, THEME_PREFIX
from engagement.extensions import db
from engagement.models import (
    Answer,
    AnswerTheme,
    AuditLog,
    Channel,
    Event,
    Response,
    ThemeSource,
)
from engagement.submissions import Submission, record_response
from engagement.summary.queries import theme_responses
from engagement.themes import review
from engagement.themes.codebook import get_codebook
from tests.exports.conftest import CHINESE, add_response
from tests.factories import group, make_engagement


def export_rows(engagement=None) -> list[dict]:
    out = io.BytesIO()
    responses.write_csv(responses.build_plan(engagement), out)
    return list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))


def written_answer(response_locale: str) -> Answer:
    return db.session.scalar(
        sa.select(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.locale == response_locale, Answer.text.is_not(None))
    )


def codes_of(answer: Answer) -> set[str]:
    return set(
        db.session.scalars(
            sa.select(AnswerTheme.theme_code).where(
                AnswerTheme.answer_id == answer.id, AnswerTheme.removed.is_(False)
            )
        )
    )


def test_theme_columns_follow_a_reviewers_recode(survey):
    answer = written_answer("zh_Hans")
    automatic = codes_of(answer)
    assert automatic, "the pipeline coded the Chinese comment"
    removed = sorted(automatic)[0]
    added = next(code for code in get_codebook().themes if code not in automatic)
    review.set_theme(answer, added, True)
    review.set_theme(answer, removed, False)
    rows = {row["locale"]: row for row in export_rows(survey)}
    chinese = rows["zh_Hans"]
    assert chinese["comments"] == CHINESE
    assert chinese[THEME_PREFIX + added] == "1"
    assert chinese[THEME_PREFIX + removed] == "0"
    for code in automatic - {removed}:
        assert chinese[THEME_PREFIX + code] == "1"
    assert chinese["themes_added_by_reviewer"] == added
    assert chinese["themes_removed_by_reviewer"] == removed
    # No written answer: every theme cell is empty, not 0.
    spanish = rows["es"]
    assert {spanish[THEME_PREFIX + code] for code in get_codebook().themes} == {""}
    assert spanish["themes_added_by_reviewer"] == spanish["themes_removed_by_reviewer"] == ""
    # A written answer without a reviewer: 0/1 cells and empty reviewer columns.
    arabic = rows["ar"]
    assert {arabic[THEME_PREFIX + code] for code in get_codebook().themes} <= {"0", "1"}
    assert arabic["themes_added_by_reviewer"] == ""


def test_theme_columns_add_up_to_the_summary_counts(survey):
    answer = written_answer("ar")
    review.set_theme(answer, "safety", True)
    rows = export_rows(survey)
    counts, written = theme_responses([Response.engagement_id == survey.id, Response.counted])
    assert counts, "the survey's comments carry themes"
    for code in get_codebook().themes:
        column = sum(int(row[THEME_PREFIX + code] or 0) for row in rows)
        assert column == counts.get(code, 0), code
    assert sum(1 for row in rows if row[THEME_PREFIX + "safety"] != "") == written


def test_a_code_outside_the_codebook_keeps_its_column(survey):
    answer = written_answer("ht")
    db.session.add(
        AnswerTheme(answer_id=answer.id, theme_code="old_theme", source=ThemeSource.AUTO)
    )
    db.session.commit()
    plan = responses.build_plan(survey)
    assert plan.headers[plan.themes["old_theme"]] == THEME_PREFIX + "old_theme"
    [creole] = [row for row in export_rows(survey) if row["locale"] == "ht"]
    assert creole[THEME_PREFIX + "old_theme"] == "1"


def card(engagement, event=None, is_demo=False, text="Card comment about the buses"):
    comments = next(q.id for q in engagement.questions if q.code == "comments")
    return record_response(
        engagement,
        Submission(
            locale="en",
            channel=Channel.PAPER,
            answers={comments: text},
            group_ids=[group("parent_guardian").id],
            submitted_at=datetime(2024, 10, 4, 23, 0, tzinfo=UTC),
            event_id=event.id if event else None,
            is_demo=is_demo,
            partial=True,  # a comment card answers the one question it asks
        ),
    )


def test_event_channel_and_demo_columns(survey):
    event = Event(engagement_id=survey.id, held_on=date(2024, 10, 4), attendance=30)
    db.session.add(event)
    db.session.commit()
    from_card = card(survey, event)
    card(survey, is_demo=True, text="A demo card")
    rows = {int(row["response_id"]): row for row in export_rows(survey)}
    assert len(rows) == 6, "demo data is left out by default"
    mine = rows[from_card.id]
    assert (mine["event_id"], mine["channel"], mine["demo"]) == (str(event.id), "paper", "0")
    web = [row for row in rows.values() if row["channel"] == "web"]
    assert {row["event_id"] for row in web} == {""} and {row["demo"] for row in web} == {"0"}
    current_app.config["COUNT_DEMO_DATA"] = True  # `make run`'s trial counts demo data
    try:
        rows = export_rows(survey)
    finally:
        current_app.config["COUNT_DEMO_DATA"] = False
    assert [row["comments"] for row in rows if row["demo"] == "1"] == ["A demo card"]


def test_flag_hook_adds_a_column_without_other_changes(survey, monkeypatch):
    # A new flag is one more entry in FLAG_COLUMNS (as demo and voided are).
    monkeypatch.setitem(FLAG_COLUMNS, "paper", Response.channel == Channel.PAPER)
    card(survey)
    plan = responses.build_plan(survey)
    assert plan.headers[9:12] == ["demo", "voided", "paper"] and plan.headers[12] == "informed"
    rows = export_rows(survey)
    assert sorted(row["paper"] for row in rows) == ["0"] * 5 + ["1"]
    assert {row["informed"] for row in rows} == {"4", ""}


def read_dictionary(engagement=None) -> list[dict]:
    out = io.BytesIO()
    count = dictionary.write_csv(responses.build_plan(engagement), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert len(rows) == count
    return rows


def test_dictionary_has_every_question_option_and_theme_in_each_language(survey):
    rows = read_dictionary(survey)
    languages = current_app.config["LANGUAGES"]
    assert list(rows[0]) == dictionary.BASE_HEADERS + [f"text_{code}" for code in languages]
    question = next(r for r in rows if r["question"] == "news" and r["option"] == "")
    assert (question["column"], question["kind"], question["engagement"]) == (
        "news",
        "single_choice",
        "sepac-survey",
    )
    assert (question["text_en"], question["text_es"]) == (
        "How do you get news?",
        "¿Cómo recibe noticias?",
    )
    assert question["text_pt_BR"] == ""  # not translated: the form showed English
    email = next(r for r in rows if r["question"] == "news" and r["option"] == "email")
    assert (email["column"], email["text_es"]) == ("news", "Correo electrónico")
    childcare = next(r for r in rows if r["option"] == "childcare")
    assert (childcare["column"], childcare["text_en"]) == ("help__childcare", "Childcare")
    # Scale labels come from the catalog, in every language.
    disagree = next(r for r in rows if r["question"] == "informed" and r["option"] == "1")
    assert (disagree["text_en"], disagree["text_es"]) == (
        "Strongly disagree",
        "Totalmente en desacuerdo",
    )
    assert all(disagree[f"text_{code}"] for code in languages)
    assert len([r for r in rows if r["question"] == "rating" and r["option"]]) == 5
    themes = [r for r in rows if r["kind"] == dictionary.THEME_KIND]
    assert [r["option"] for r in themes] == list(get_codebook().themes)
    communication = next(r for r in themes if r["option"] == "communication")
    assert communication["column"] == THEME_PREFIX + "communication"
    assert all(communication[f"text_{code}"] for code in languages)
    # Every column the dictionary names is a column of the export.
    header = responses.build_plan(survey).headers
    assert {r["column"] for r in rows if r["column"]} <= set(header)


def test_xlsx_holds_the_dictionary_as_its_second_sheet(survey):
    plan = responses.build_plan(survey)
    out = io.BytesIO()
    responses.write_xlsx(plan, out)
    out.seek(0)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["responses", "dictionary"]
    sheet = book["dictionary"]
    assert sheet.freeze_panes == "A2"
    cells = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == dictionary.headers(current_app.config["LANGUAGES"])
    assert cells[1:] == [list(r.values()) for r in read_dictionary(survey)]
    # Numbers stay numbers in the responses sheet: flags and theme cells included.
    responses_sheet = book["responses"]
    header = [cell.value for cell in responses_sheet[1]]
    for name in ("demo", THEME_PREFIX + "communication"):
        col = header.index(name) + 1
        cells = responses_sheet.iter_rows(min_row=2, min_col=col, max_col=col, values_only=True)
        assert {value for (value,) in cells} <= {0, 1, None}, name
    assert responses_sheet.cell(row=2, column=header.index("demo") + 1).value == 0


def test_dictionary_with_several_engagements_uses_prefixed_columns(survey):
    other = make_engagement(slug="other-survey")
    add_response(other, "es", "Los autobuses llegan tarde.")
    rows = read_dictionary(None)
    assert {r["engagement"] for r in rows if r["question"]} == {"sepac-survey", "other-survey"}
    childcare = [r["column"] for r in rows if r["option"] == "childcare"]
    assert childcare == ["sepac-survey.help__childcare", "other-survey.help__childcare"]
    assert {r["column"] for r in rows if r["column"]} <= set(responses.build_plan(None).headers)


def test_cli_writes_the_dictionary_and_audits_it(survey, runner, tmp_path):
    out = tmp_path / "dictionary.csv"
    args = ["export", "dictionary", "--output", str(out), "--engagement", "sepac-survey"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert any(row["column"] == "help__interpreter" for row in rows)
    log = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "export.dictionary"))
    assert (log.actor, log.row_count, log.target) == ("cli", len(rows), "sepac-survey")
