"""Load the district's structure from engagement/data/district.json, idempotently."""

import json
from pathlib import Path

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import GroupKind, School, StakeholderGroup, StrategicPriority

DISTRICT_FILE = Path(__file__).resolve().parent / "data" / "district.json"


def _upsert(model, code: str, **values):
    row = db.session.scalar(sa.select(model).where(model.code == code))
    created = row is None
    if created:
        row = model(code=code)
        db.session.add(row)
    for key, value in values.items():
        setattr(row, key, value)
    return row, created


def seed_district(path: Path = DISTRICT_FILE) -> dict[str, int]:
    """Create or update schools, stakeholder groups and priorities; return how many were new."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    created = {"schools": 0, "groups": 0, "priorities": 0}
    position = 0

    schools = []
    for i, item in enumerate(data["schools"]):
        school, new = _upsert(
            School, item["code"], name=item["name"], level=item["level"], position=i
        )
        schools.append(school)
        created["schools"] += new
    db.session.flush()

    def add_group(code, kind, names, school=None):
        nonlocal position
        position += 1
        _, new = _upsert(
            StakeholderGroup,
            code,
            kind=kind,
            names=names,
            school_id=school.id if school else None,
            position=position,
        )
        created["groups"] += new

    for item in data["roles"]:
        add_group(item["code"], GroupKind.ROLE, item["names"])
    for item in data["councils"]:
        add_group(item["code"], GroupKind.COUNCIL, item["names"])
    sac = data["school_council"]
    for school in schools:
        names = {loc: text.format(school=school.name) for loc, text in sac["names"].items()}
        add_group(sac["code_prefix"] + school.code, GroupKind.COUNCIL, names, school)
    for item in data["community"]:
        add_group(item["code"], GroupKind.COMMUNITY, item["names"])

    for i, item in enumerate(data["priorities"]):
        _, new = _upsert(StrategicPriority, item["code"], names=item["names"], position=i)
        created["priorities"] += new

    db.session.commit()
    return created
