"""Demo data is never mistaken for what families said: a banner on every staff page."""

from engagement.extensions import db
from tests.factories import make_engagement


def test_staff_pages_carry_a_banner_while_demo_data_exists(staff_client, seeded):
    make_engagement(slug="real-survey")
    page = staff_client.get("/staff/").get_data(as_text=True)
    assert "This workspace holds demo data." not in page
    demo = make_engagement(slug="demo-survey")
    demo.is_demo = True
    db.session.commit()
    page = staff_client.get("/staff/").get_data(as_text=True)
    assert "This workspace holds demo data." in page
    assert "flask --app wsgi demo --remove" in page
    assert "Summaries, reports and exports leave them out." in page
