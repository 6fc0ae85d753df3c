import re

from engagement.summary.charts import SCALE, Bar, bar_chart, stacked_bar


def rects(html):
    return [
        (float(x), float(w))
        for x, w in re.findall(r'<rect x="([\d.]+)" y="0" width="([\d.]+)"', html)
    ]


def test_labels_are_html_text_and_bars_are_svg():
    html = str(
        bar_chart(
            [Bar("النقل <b>", 40, "40%"), Bar("التواصل", None, "أقل من 5")],
            "Themes",
            "Transport 40%",
        )
    )
    assert 'role="img"' in html and "Themes" in html and "Transport 40%" in html
    # Labels are HTML (shaped and mirrored by the page), escaped, never SVG <text>.
    assert "<text" not in html and "النقل &lt;b&gt;" in html
    assert len(rects(html)) == 1  # the suppressed value draws no bar
    assert 'class="chart-value suppressed"' in html


def test_right_to_left_bars_grow_from_the_right():
    ((x, width),) = rects(
        str(bar_chart([Bar("النقل", 40, "40%")], "t", "d", rtl=True, max_value=100))
    )
    assert abs(x + width - SCALE) < 0.01 and abs(width - 40) < 0.01
    ((x, width),) = rects(str(bar_chart([Bar("Transport", 40, "40%")], "t", "d", max_value=100)))
    assert x == 0 and abs(width - 40) < 0.01


def test_stacked_bar_hides_suppressed_parts_in_one_grey_segment():
    parts = [Bar("Disagree", None, "fewer than 5"), Bar("Agree", 0.6, "60%")]
    html = str(stacked_bar(parts, "Q", "d"))
    assert [round(w) for _, w in rects(html)] == [60, 40]
    assert "Disagree: fewer than 5" in html


def test_bar_labels_are_isolated_from_their_values():
    """An Arabic label on an English page must not pull "4.3%" apart ("4.3 العربية%")."""
    html = str(bar_chart([Bar("العربية", 0.043, "4.3%")], "t", "d"))
    assert (
        '<bdi class="chart-label">العربية</bdi> <bdi class="chart-value" dir="ltr">4.3%</bdi>'
        in html
    )


def test_a_hidden_value_keeps_the_page_direction():
    """ "fewer than 10" is words in the page's language, not a number: no forced direction."""
    html = str(bar_chart([Bar("العربية", None, "أقل من 10")], "t", "d", rtl=True))
    assert '<bdi class="chart-value suppressed">أقل من 10</bdi>' in html
