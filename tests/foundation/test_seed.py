import sqlalchemy as sa

from engagement.models import GroupKind, School, StakeholderGroup, StrategicPriority
from engagement.seed import seed_district


def counts(db):
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (School, StakeholderGroup, StrategicPriority)
    )


def test_seed_is_idempotent(db):
    first = seed_district()
    assert first["schools"] == 6 and first["priorities"] == 3
    before = counts(db)
    again = seed_district()
    assert again == {"schools": 0, "groups": 0, "priorities": 0}
    assert counts(db) == before


def test_seed_has_the_plans_councils_in_every_language(db, app):
    seed_district()
    councils = {
        g.code: g
        for g in db.session.scalars(
            sa.select(StakeholderGroup).where(StakeholderGroup.kind == GroupKind.COUNCIL)
        )
    }
    for code in ("sepac", "elpac", "metco", "leadership_council", "education_association"):
        assert code in councils
    assert sum(code.startswith("sac_") for code in councils) == 6
    for group in councils.values():
        assert set(group.names) == set(app.config["LANGUAGES"])
    assert councils["sac_burbank"].school.code == "burbank"


def test_seed_command(runner, db):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "6 new schools" in result.output
    result = runner.invoke(args=["seed"])
    assert "0 new schools" in result.output
