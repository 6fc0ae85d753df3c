"""Raw responses, one row per response: CSV streamed in batches, XLSX in constant memory.

Columns (see README, "Exports"):
- response_id, engagement (slug), submitted_at (district time zone), locale, channel,
  event_id (the forum or meeting a card was typed in from, else empty), school (code),
  stakeholder_groups (codes joined by ";"), race_ethnicity (self-identified code or empty);
- flags, 1 or 0 (`FLAG_COLUMNS`): demo; voided (a response staff voided: kept here, counted
  nowhere else). Test answers from the staff preview are never exported;
- one column per question, named by its code; a multi-choice question becomes one 0/1 column
  per option, `code__option` (empty when the question was not answered at all);
- with several engagements in one file, question columns are prefixed `slug.`;
- one column per theme, `theme:code`: 1 when a written answer of the response carries the
  theme as the summaries count it (automatic codes, with a reviewer's re-codes applied), 0
  when it does not, empty without a written answer; then `themes_added_by_reviewer` and
  `themes_removed_by_reviewer` (codes joined by ";"), so that manual re-codes show, a
  removed automatic code included, which a 0 alone cannot tell from one never given;
- contact_name, contact_email, contact_phone, contact_locale only when asked for explicitly.

The data dictionary (`dictionary.py`) describes every question, option and theme column.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import xlsxwriter
from flask import current_app
from sqlalchemy.orm import selectinload

from engagement.exports import dictionary
from engagement.exports.safe import neutralise
from engagement.extensions import db
from engagement.models import (
    Answer,
    AnswerTheme,
    Engagement,
    FollowUpContact,
    Question,
    QuestionKind,
    QuestionOption,
    Response,
    School,
    StakeholderGroup,
    ThemeSource,
    response_group,
)
from engagement.themes.codebook import get_codebook

BATCH_SIZE = 2000
# Yes/no facts about a response, one 1/0 column each, in this order after the base columns
# (read when an export is planned); a new flag needs only a line here.
FLAG_COLUMNS = {
    "demo": Response.is_demo,
    "voided": Response.voided_at.is_not(None),
}
BASE_COLUMNS = [
    "response_id",
    "engagement",
    "submitted_at",
    "locale",
    "channel",
    "event_id",
    "school",
    "stakeholder_groups",
    "race_ethnicity",
]
THEME_PREFIX = "theme:"
REVIEWER_COLUMNS = ["themes_added_by_reviewer", "themes_removed_by_reviewer"]
CONTACT_COLUMNS = ["contact_name", "contact_email", "contact_phone", "contact_locale"]
CSV_BOM = "\ufeff"

Progress = Callable[[int], None] | None


@dataclass
class ResponsePlan:
    """What a raw export contains: its engagements, columns and lookups."""

    engagements: list[Engagement]
    only_id: int | None = None  # the one engagement asked for, None for all
    include_contacts: bool = False
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    headers: list[str] = field(default_factory=list)
    # question id -> (first column index, option codes or None for a single-value column)
    slots: dict[int, tuple[int, list[str] | None]] = field(default_factory=dict)
    # columns holding free text (written answers, contacts): the only ones that can start
    # with a formula trigger; every other column holds codes, numbers or times
    text_columns: list[int] = field(default_factory=list)
    slugs: dict[int, str] = field(default_factory=dict)
    schools: dict[int, str] = field(default_factory=dict)
    # theme code -> its column index; the two reviewer columns follow the last one
    themes: dict[str, int] = field(default_factory=dict)
    themes_start: int = 0

    @property
    def engagement_slug(self) -> str | None:
        return self.slugs.get(self.only_id) if self.only_id is not None else None


def build_plan(engagement: Engagement | None = None, include_contacts=False) -> ResponsePlan:
    """The columns of a raw export of `engagement` (or of every engagement)."""
    if engagement is not None:
        engagements = [engagement]
    else:
        engagements = list(
            db.session.scalars(
                sa.select(Engagement)
                .options(
                    selectinload(Engagement.questions).selectinload(Question.texts),
                    selectinload(Engagement.questions)
                    .selectinload(Question.options)
                    .selectinload(QuestionOption.texts),
                )
                .order_by(Engagement.id)
            )
        )
    plan = ResponsePlan(
        engagements=engagements,
        only_id=engagement.id if engagement is not None else None,
        include_contacts=include_contacts,
        tz=ZoneInfo(current_app.config["DISTRICT_TIMEZONE"]),
        headers=[*BASE_COLUMNS, *FLAG_COLUMNS],
        slugs={e.id: e.slug for e in engagements},
        schools={i: code for i, code in db.session.execute(sa.select(School.id, School.code))},
    )
    prefixed = len(engagements) > 1
    for item in engagements:
        prefix = f"{item.slug}." if prefixed else ""
        for question in item.questions:
            name = prefix + question.code
            if question.kind == QuestionKind.MULTI_CHOICE:
                codes = [option.code for option in question.options]
                plan.slots[question.id] = (len(plan.headers), codes)
                plan.headers.extend(f"{name}__{code}" for code in codes)
            else:
                if question.kind == QuestionKind.OPEN_TEXT:
                    plan.text_columns.append(len(plan.headers))
                plan.slots[question.id] = (len(plan.headers), None)
                plan.headers.append(name)
    plan.themes_start = len(plan.headers)
    for code in theme_codes(plan):
        plan.themes[code] = len(plan.headers)
        plan.headers.append(THEME_PREFIX + code)
    plan.headers.extend(REVIEWER_COLUMNS)
    if include_contacts:
        plan.text_columns.extend(range(len(plan.headers), len(plan.headers) + 4))
        plan.headers.extend(CONTACT_COLUMNS)
    return plan


def theme_codes(plan: ResponsePlan) -> list[str]:
    """The codebook's themes in its order, then any other code found on the plan's answers
    (a theme since taken out of the codebook), so that no code is lost."""
    codes = list(get_codebook().themes)
    stmt = sa.select(AnswerTheme.theme_code).distinct()
    if plan.only_id is not None:
        stmt = (
            stmt.join(Answer, Answer.id == AnswerTheme.answer_id)
            .join(Response, Response.id == Answer.response_id)
            .where(Response.engagement_id == plan.only_id)
        )
    known = set(codes)
    return codes + sorted(code for code in db.session.scalars(stmt) if code not in known)


def _filter(stmt, plan: ResponsePlan):
    # Responses held for review (engagement.holds) are not exported until released. Voided
    # ones are, flagged in the `voided` column: the raw file is the full record.
    stmt = stmt.where(Response.counted_unless_voided)
    if plan.only_id is not None:
        stmt = stmt.where(Response.engagement_id == plan.only_id)
    return stmt


def count_responses(plan: ResponsePlan) -> int:
    """How many rows the export will have."""
    return db.session.scalar(_filter(sa.select(sa.func.count(Response.id)), plan)) or 0


def local_time(value: datetime, tz: ZoneInfo) -> datetime:
    """`value` in the district's time zone, to the second."""
    return value.astimezone(tz).replace(microsecond=0)


def iter_rows(plan: ResponsePlan, batch_size: int = BATCH_SIZE) -> Iterator[list[list]]:
    """Batches of rows (lists of cell values; an empty cell is "" or None), read from the
    database `batch_size` at a time.

    The rows are fetched with `yield_per` (a server-side cursor on PostgreSQL, chunks of the
    cursor on SQLite), and each batch's answers, groups and contacts come in one query each,
    so memory stays flat whatever the number of rows. The database turns a batch's answers
    into cells itself (`_answer_cells`) unless the export has too many columns for that.
    """
    stmt = _filter(
        sa.select(
            Response.id,
            Response.engagement_id,
            Response.submitted_at,
            Response.locale,
            # The codes as stored: no enum object per row and cell.
            sa.type_coerce(Response.channel, sa.String),
            Response.event_id,
            Response.school_id,
            sa.type_coerce(Response.race_ethnicity, sa.String),
            *(sa.case((flag, 1), else_=0) for flag in FLAG_COLUMNS.values()),
        ).order_by(Response.id),
        plan,
    )
    first = len(BASE_COLUMNS) + len(FLAG_COLUMNS)
    blank = [""] * (plan.themes_start - first)
    no_themes = [""] * (len(plan.themes) + len(REVIEWER_COLUMNS))
    pivot = _pivot_columns(plan)
    # Core rows on the session's connection: no ORM bookkeeping per row.
    conn = db.session.connection()
    result = conn.execute(stmt.execution_options(yield_per=batch_size))
    slugs, schools, tz = plan.slugs, plan.schools, plan.tz
    for batch in result.partitions():
        ids = [row[0] for row in batch]
        groups = _groups(conn, plan, ids)
        contacts = _contacts(conn, plan, ids) if plan.include_contacts else {}
        themes = _themes(conn, plan, ids)
        if pivot is not None:
            cells = _answer_cells(conn, plan, ids, pivot)
        else:
            answers = _answers(conn, plan, ids)
        rows = []
        for (
            rid,
            engagement_id,
            submitted_at,
            locale,
            channel,
            event_id,
            school_id,
            race,
            *flags,
        ) in batch:
            row = [
                rid,
                slugs.get(engagement_id, ""),
                local_time(submitted_at, tz),
                locale,
                channel or "",
                event_id or "",
                schools.get(school_id, ""),
                ";".join(groups.get(rid, ())),
                race or "",
                *flags,
            ]
            if pivot is not None:
                row.extend(cells.get(rid, blank))
            else:
                row.extend(blank)
                _fill_answers(row, plan.slots, answers.get(rid, ()))
            row.extend(themes.get(rid, no_themes))
            if plan.include_contacts:
                row.extend(contacts.get(rid, ("", "", "", "")))
            rows.append(row)
        yield rows


def _fill_answers(row: list, slots: dict, answers) -> None:
    for question_id, choice, text in answers:
        slot = slots.get(question_id)
        if slot is None:
            continue
        start, options = slot
        if options is None:
            row[start] = text if text is not None else choice
            continue
        if row[start] == "":
            row[start : start + len(options)] = [0] * len(options)
        if choice in options:
            row[start + options.index(choice)] = 1


def _in_batch(stmt, response_id, plan: ResponsePlan, ids: list[int]):
    """Rows of the batch: an id range (an index range scan, no long IN list), limited to the
    engagement when there is one, since other engagements' responses interleave by id."""
    stmt = stmt.where(response_id.between(ids[0], ids[-1]))
    if plan.only_id is not None:
        stmt = stmt.join(Response, Response.id == response_id).where(
            Response.engagement_id == plan.only_id
        )
    return stmt


def _answers(conn, plan: ResponsePlan, ids: list[int]) -> dict[int, list[tuple]]:
    found = defaultdict(list)
    stmt = sa.select(Answer.response_id, Answer.question_id, Answer.choice, Answer.text)
    stmt = _in_batch(stmt, Answer.response_id, plan, ids)
    for response_id, question_id, choice, text in conn.execute(stmt).all():
        found[response_id].append((question_id, choice, text))
    return found


# Above this many question columns the answers are turned into cells in Python: each column
# is a CASE the database evaluates for every answer row, which stops paying off when an
# export of every engagement has hundreds of them (and PostgreSQL allows 1,664 at most).
PIVOT_MAX_COLUMNS = 120


def _pivot_columns(plan: ResponsePlan) -> list | None:
    """One SQL expression per question column, in header order (None when too many).

    A single-value question's cell is its text or choice; a "choose all that apply" option's
    cell is 1 or 0, or NULL (empty) when the question was not answered at all."""
    exprs = {}
    for question_id, (start, options) in plan.slots.items():
        mine = Answer.question_id == question_id
        if options is None:
            exprs[start] = sa.func.max(
                sa.case((mine, sa.func.coalesce(Answer.text, Answer.choice)))
            )
            continue
        for offset, code in enumerate(options):
            chosen = sa.case((Answer.choice == code, 1), else_=0)
            exprs[start + offset] = sa.func.max(sa.case((mine, chosen)))
    if len(exprs) > PIVOT_MAX_COLUMNS:
        return None
    return [exprs[index] for index in sorted(exprs)]


def _answer_cells(conn, plan: ResponsePlan, ids: list[int], pivot: list) -> dict[int, tuple]:
    """Response id -> its question cells, grouped by the database (None for no answer)."""
    if not pivot:
        return {}
    stmt = sa.select(Answer.response_id, *pivot).group_by(Answer.response_id)
    stmt = _in_batch(stmt, Answer.response_id, plan, ids)
    # NULL cells stay None: the CSV writer writes them empty, and XLSX leaves them out.
    return {row[0]: row[1:] for row in conn.execute(stmt)}


def _themes(conn, plan: ResponsePlan, ids: list[int]) -> dict[int, list]:
    """Response id -> its theme cells and the two reviewer columns, for responses with a
    written answer (the others keep every theme cell empty).

    A manual row replaces the automatic one for its answer and code, and a manual row with
    `removed` keeps the code off: the same rule as the summaries' counts."""
    stmt = (
        sa.select(
            Answer.response_id,
            AnswerTheme.theme_code,
            sa.type_coerce(AnswerTheme.source, sa.String),
            AnswerTheme.removed,
        )
        .outerjoin(AnswerTheme, AnswerTheme.answer_id == Answer.id)
        .where(Answer.text.is_not(None))
    )
    stmt = _in_batch(stmt, Answer.response_id, plan, ids)
    columns, offset = plan.themes, plan.themes_start
    found: dict[int, list] = {}
    # response id -> (codes a reviewer added, codes a reviewer removed)
    reviewed: dict[int, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for response_id, code, source, removed in conn.execute(stmt):
        cells = found.get(response_id)
        if cells is None:
            cells = found[response_id] = [0] * len(columns) + ["", ""]
        if code is None:
            continue
        if not removed and code in columns:
            cells[columns[code] - offset] = 1
        if source == ThemeSource.MANUAL.value:
            reviewed[response_id][1 if removed else 0].add(code)
    for response_id, (added, removed) in reviewed.items():
        found[response_id][-2:] = [";".join(sorted(added)), ";".join(sorted(removed))]
    return found


def _groups(conn, plan: ResponsePlan, ids: list[int]) -> dict[int, list[str]]:
    found = defaultdict(list)
    stmt = (
        sa.select(response_group.c.response_id, StakeholderGroup.code)
        .join(StakeholderGroup, StakeholderGroup.id == response_group.c.group_id)
        .order_by(response_group.c.response_id, StakeholderGroup.position, StakeholderGroup.id)
    )
    stmt = _in_batch(stmt, response_group.c.response_id, plan, ids)
    for response_id, code in conn.execute(stmt).all():
        found[response_id].append(code)
    return found


def _contacts(conn, plan: ResponsePlan, ids: list[int]) -> dict[int, tuple]:
    stmt = sa.select(
        FollowUpContact.response_id,
        FollowUpContact.name,
        FollowUpContact.email,
        FollowUpContact.phone,
        FollowUpContact.preferred_locale,
    )
    stmt = _in_batch(stmt, FollowUpContact.response_id, plan, ids)
    return {row[0]: tuple(row[1:]) for row in conn.execute(stmt)}


def _neutralise_text(row: list, columns: list[int]) -> list:
    for col in columns:
        row[col] = neutralise(row[col])
    return row


def stream_csv(plan: ResponsePlan, progress: Progress = None) -> Iterator[bytes]:
    """The CSV file in UTF-8 chunks (byte-order mark first, so Excel reads non-Latin text)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(plan.headers)
    yield (CSV_BOM + buffer.getvalue()).encode("utf-8")
    for rows in iter_rows(plan):
        buffer.seek(0)
        buffer.truncate()
        for row in rows:
            row[2] = row[2].isoformat(sep=" ")
            _neutralise_text(row, plan.text_columns)
        writer.writerows(rows)
        yield buffer.getvalue().encode("utf-8")
        if progress:
            progress(len(rows))


def write_csv(plan: ResponsePlan, out, progress: Progress = None) -> None:
    """Write the CSV to the binary file `out`."""
    for chunk in stream_csv(plan, progress):
        out.write(chunk)


def write_xlsx(plan: ResponsePlan, out, progress: Progress = None) -> None:
    """Write the XLSX to `out` (a path or binary file) in XlsxWriter's constant-memory mode."""
    workbook = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet("responses")
    bold = workbook.add_format({"bold": True})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 2, 20, when)
    sheet.set_column(3, len(plan.headers) - 1, 16)
    sheet.write_row(0, 0, plan.headers, bold)
    row_number = 1
    for rows in iter_rows(plan):
        for row in rows:
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, datetime):
                    sheet.write_datetime(row_number, col, value.replace(tzinfo=None), when)
                elif isinstance(value, str):
                    sheet.write_string(row_number, col, neutralise(value))
                else:
                    sheet.write_number(row_number, col, value)
            row_number += 1
        if progress:
            progress(len(rows))
    _write_dictionary_sheet(workbook, plan, bold)
    workbook.close()


def _write_dictionary_sheet(workbook, plan: ResponsePlan, bold) -> None:
    """The data dictionary as the workbook's second sheet (exports.dictionary)."""
    sheet = workbook.add_worksheet("dictionary")
    sheet.freeze_panes(1, 0)
    header = dictionary.headers(dictionary.offered_locales(plan.engagements))
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 4, 16)
    sheet.set_column(5, len(header) - 1, 40)
    sheet.write_row(0, 0, header, bold)
    for row_number, row in enumerate(dictionary.rows(plan), start=1):
        for col, value in enumerate(row):
            if value:
                sheet.write_string(row_number, col, neutralise(value))
