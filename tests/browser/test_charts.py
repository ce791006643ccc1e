"""The claim page's energy-data charts in headless Chromium: every series with data is drawn,
under the page's strict Content-Security-Policy without a single violation or console error;
hovering or the arrow keys show a period and its value with the unit; the chart fits a phone
and follows its container's width; without JavaScript the table and the CSV link remain.
Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from claims.models import Claim, ClaimSeries
from tests.factories import ArticleFactory, ClaimFactory, ObservationFactory, SeriesFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Added before any of the page's scripts run, so violations during parsing are caught too.
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.effectiveDirective} ${event.blockedURI} ${event.sample}`);
}, true);
"""
DRAWN = "[data-chart] canvas"
NO_HORIZONTAL_SCROLL = (
    "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)


def _claim_with_series() -> Claim:
    article = ArticleFactory(title="Nuclear and data centres", slug="nuclear-data-centres")
    claim = ClaimFactory(article=article, statement="Data centres consume a lot of electricity.")
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.PUBLISHED)

    annual = SeriesFactory(title="Nuclear share of electricity, France", unit="%")
    for year, value in [(2019, 70.6), (2020, 67.1), (2021, 69.0), (2022, 62.8), (2023, 64.8)]:
        ObservationFactory(series=annual, period=dt.date(year, 1, 1), value=value)
    monthly = SeriesFactory(title="Electricity demand, France", unit="TWh", frequency="monthly")
    for month in range(24):
        period = dt.date(2023 + month // 12, month % 12 + 1, 1)
        ObservationFactory(series=monthly, period=period, value=1234.5 + 10 * (month % 6))
    empty = SeriesFactory(title="Not retrieved yet")
    for series in (annual, monthly, empty):
        ClaimSeries.objects.create(claim=claim, series=series, status=ClaimSeries.Status.CONFIRMED)
    return claim


@pytest.fixture
def watched(page: Any) -> Iterator[Any]:
    """The page fixture, also collecting console errors and CSP violations."""
    console_errors: list[str] = []
    page.on(
        "console", lambda message: message.type == "error" and console_errors.append(message.text)
    )
    page.add_init_script(WATCH_CSP)
    page.console_errors = console_errors
    yield page


def _assert_quiet(page: Any) -> None:
    assert page.evaluate("window.cspViolations") == []
    assert page.console_errors == []
    assert page.script_errors == []


def _expect_readout(scope: Any, period: str, value: str) -> None:
    """The readout under the (first) chart in scope shows this period and value; waits for it."""
    expect(scope.locator(".chart__readout-period").first).to_have_text(period)
    expect(scope.locator(".chart__readout-value").first).to_have_text(value)


def _open(page: Any, url: str) -> None:
    page.goto(url)
    # a function, not an expression: Playwright would eval() an expression, which the CSP refuses
    page.wait_for_function(
        f"() => document.querySelectorAll('{DRAWN}').length === "
        "document.querySelectorAll('[data-chart]').length"
    )


def test_every_series_with_data_is_drawn_without_csp_violation_or_console_error(
    live_server, watched
):
    claim = _claim_with_series()

    _open(watched, live_server.url + claim.get_absolute_url())

    charts = watched.locator("[data-chart]")
    assert charts.count() == 2
    for i in range(2):
        chart = charts.nth(i)
        assert chart.locator("canvas").count() >= 1
        assert chart.get_attribute("role") == "img"
        assert "the same data is in the table below" in chart.get_attribute("aria-label")
        box = chart.locator("canvas").first.bounding_box()
        assert box["width"] > 600 and box["height"] > 200
    assert "No data has been retrieved for this series yet." in watched.text_content(".series")
    _assert_quiet(watched)


def test_hovering_a_chart_shows_the_period_and_the_value_with_its_unit(live_server, watched):
    claim = _claim_with_series()
    _open(watched, live_server.url + claim.get_absolute_url())
    annual, monthly = (watched.locator(".chart").nth(i) for i in range(2))

    # away from the plot, the latest value
    _expect_readout(annual, "2023", "64.8 %")

    over = annual.locator(".u-over")
    box = over.bounding_box()
    over.hover(position={"x": 2, "y": box["height"] / 2})
    _expect_readout(annual, "2019", "70.6 %")
    expect(annual.locator(".u-cursor-pt").first).to_be_visible()

    over = monthly.locator(".u-over")
    box = over.bounding_box()
    over.hover(position={"x": box["width"] - 2, "y": box["height"] / 2})
    _expect_readout(monthly, "December 2024", "1,284.5 TWh")

    # leaving the plot brings the latest value back
    watched.mouse.move(0, 0)
    _expect_readout(annual, "2023", "64.8 %")
    _assert_quiet(watched)


def test_the_arrow_keys_move_through_the_values_of_a_focused_chart(live_server, watched):
    claim = _claim_with_series()
    _open(watched, live_server.url + claim.get_absolute_url())
    plot = watched.locator("[data-chart]").first

    # reached with the Tab key like any control
    watched.locator(".claim-page h1").click()
    for _ in range(20):
        watched.keyboard.press("Tab")
        if plot.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the chart is not reachable with the Tab key")
    assert plot.get_attribute("aria-keyshortcuts") == "ArrowLeft ArrowRight Home End"
    expect(watched.locator(".u-cursor-pt").first).to_be_visible()
    _expect_readout(watched, "2023", "64.8 %")

    watched.keyboard.press("Home")
    _expect_readout(watched, "2019", "70.6 %")
    watched.keyboard.press("ArrowRight")
    _expect_readout(watched, "2020", "67.1 %")
    watched.keyboard.press("ArrowLeft")
    watched.keyboard.press("ArrowLeft")  # stays on the first value
    _expect_readout(watched, "2019", "70.6 %")
    watched.keyboard.press("End")
    _expect_readout(watched, "2023", "64.8 %")
    watched.keyboard.press("Tab")  # leaving the plot hides its cursor
    expect(watched.locator(".u-cursor-pt").first).to_be_hidden()
    # the value is announced: the readout is a live region outside the role="img" plot
    readout = watched.locator(".chart__readout").first
    assert readout.get_attribute("aria-live") == "polite"
    assert readout.evaluate("el => el.closest('[role=img]')") is None
    _assert_quiet(watched)


@pytest.mark.parametrize("width", [1280, 390])
def test_charts_fit_the_screen_and_follow_their_container(live_server, watched, artifacts, width):
    claim = _claim_with_series()
    watched.set_viewport_size({"width": width, "height": 900})
    _open(watched, live_server.url + claim.get_absolute_url())

    assert watched.evaluate(NO_HORIZONTAL_SCROLL)
    for canvas in watched.locator(DRAWN).all():
        box = canvas.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    section = watched.locator(".series")
    section.scroll_into_view_if_needed()
    over = watched.locator("[data-chart] .u-over").first
    box = over.bounding_box()
    over.hover(position={"x": box["width"] * 0.5, "y": box["height"] / 2})  # on 2021
    _expect_readout(watched, "2021", "69 %")
    section.screenshot(path=str(artifacts / f"claim-charts-{width}.png"))

    # turned sideways, or a window resized: the plot redraws to its container's new width
    other = 390 if width == 1280 else 844
    watched.set_viewport_size({"width": other, "height": 900})
    watched.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')].every(el =>"
        " Math.abs(el.querySelector('canvas').getBoundingClientRect().width - el.clientWidth) < 2)"
    )
    assert watched.evaluate(NO_HORIZONTAL_SCROLL)
    _assert_quiet(watched)


def test_without_javascript_the_table_and_csv_link_stand_in_for_the_chart(live_server, browser):
    claim = _claim_with_series()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    try:
        page.goto(live_server.url + claim.get_absolute_url())
        assert page.locator("[data-chart]").count() == 2
        # an empty role="img" would be announced as a chart that is not there
        assert not page.locator("[data-chart]").first.is_visible()
        table = page.locator(".chart__table").first
        table.locator("summary").click()
        assert table.locator("tbody tr").count() == 5
        assert "70.6" in table.text_content()
        assert page.locator("a[download]", has_text="Download CSV").count() == 3
        assert page.evaluate(NO_HORIZONTAL_SCROLL)
        assert console_errors == []
    finally:
        context.close()
