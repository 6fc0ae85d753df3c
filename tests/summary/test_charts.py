import re

from engagement.charts import WIDTH, Bar, bar_chart


def test_right_to_left_bars_grow_from_the_right_with_labels_inside_the_chart():
    svg = str(bar_chart([Bar("النقل", 40, "40%"), Bar("التواصل", 10, "10%")], "t", "d", rtl=True))
    # The SVG never inherits the page's dir="rtl": anchors are already mirrored by position.
    assert 'direction="ltr"' in svg
    for x, anchor in re.findall(r'<text x="([\d.]+)"[^>]*text-anchor="(\w+)"', svg):
        assert anchor == "end" and 0 < float(x) <= WIDTH
    for x, width in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg):
        assert abs(float(x) + float(width) - WIDTH) < 0.01


def test_left_to_right_labels_start_at_the_left_edge():
    svg = str(bar_chart([Bar("Transportation", 40, "40%")], "t", "d"))
    assert re.search(r'<text x="2" [^>]*text-anchor="start"', svg)
    assert '<rect x="0.0"' in svg
