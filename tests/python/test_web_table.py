"""The browser table (blobzero-play --web) in a real headless browser: Debian's chromium driven
by selenium plays a whole 4-player match by clicks, and a round against the shipped network.

Needs chromium and chromedriver (apt: chromium chromium-driver) and selenium (the test extra);
without them the tests skip, unless BLOBZERO_REQUIRE_BROWSER=1 (as in CI) makes that a failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import blobzero as bz
from blobzero.evaluation.arena import make_deal, make_match_deal
from blobzero.play.game import Seat, TableGame
from blobzero.play.records import read_records
from blobzero.play.web import WebTable, make_server

CHROMEDRIVER = shutil.which("chromedriver")


def require_browser() -> None:
    missing = []
    if CHROMEDRIVER is None or shutil.which("chromium") is None:
        missing.append("chromium and chromedriver (apt install chromium chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium")
    if missing:
        message = "the browser tests need " + " and ".join(missing)
        if os.environ.get("BLOBZERO_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


@contextlib.contextmanager
def serve(table: WebTable) -> Iterator[str]:
    server = make_server(table)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def browser() -> Iterator[object]:
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_argument("--window-size=1400,900")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for_draw(driver, version: int) -> int:  # type: ignore[no-untyped-def]
    """Waits until the page has drawn a view newer than ``version``; returns the new one."""
    from selenium.webdriver.support.ui import WebDriverWait

    def drawn(d) -> int:  # type: ignore[no-untyped-def]
        value = d.execute_script("return Number(document.body.dataset.version || 0)")
        return value if value > version else 0

    return WebDriverWait(driver, 30).until(drawn)


def click_through(driver, stop_after_rounds: int | None = None) -> int:  # type: ignore[no-untyped-def]
    """Plays by clicks (the first legal bid or card; Next round between rounds) until the game
    is over; returns the clicks made."""
    from selenium.webdriver.common.by import By

    version = wait_for_draw(driver, 0)
    clicks = 0
    while True:
        phase = driver.find_element(By.TAG_NAME, "body").get_attribute("data-phase")
        if phase == "match_over":
            return clicks
        if phase == "round_over":
            target = driver.find_element(By.ID, "next-round")
        else:
            choices = driver.find_elements(By.CSS_SELECTOR, "#bids .bid:not([disabled])")
            choices = choices or driver.find_elements(By.CSS_SELECTOR, "#hand .card.legal")
            assert choices, driver.find_element(By.ID, "message").text
            target = choices[0]
        target.click()
        clicks += 1
        version = wait_for_draw(driver, version)


def heuristic_seats() -> list[Seat]:
    return [Seat("you")] + [Seat("heuristic", bz.HeuristicBot(seat)) for seat in (1, 2, 3)]


def test_a_whole_match_is_played_by_clicks(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    rules = bz.Rules(4)
    rounds = [make_match_deal(11, i, rules) for i in range(len(rules.cards_per_round()))]
    record = tmp_path / "games.jsonl"
    table = WebTable(TableGame(heuristic_seats(), 0, rounds, record))
    with serve(table) as url:
        browser.get(url)
        clicks = click_through(browser)
        assert clicks >= len(rounds) * 2  # a bid and Next round at least, every round
        message = browser.find_element(By.ID, "message").text
        assert message.startswith("Game over:") and "points" in message
        sheet_rows = browser.find_elements(By.CSS_SELECTOR, "#score-sheet tr.round-row")
        assert len(sheet_rows) == 19
        totals = [
            int(cell.text) for cell in browser.find_elements(By.CSS_SELECTOR, "tr.total td")[2:]
        ]
        assert totals == table.game.totals
    games = read_records(record)
    assert [game.num_cards for game in games] == rules.cards_per_round()
    assert games[-1].totals == table.game.totals


def test_a_round_against_the_network_with_a_hint(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    loaded = bz.load_named_network("pretrained")

    def network(seed: int):  # type: ignore[no-untyped-def]
        return bz.network_agent(
            loaded.net, 3, 30, seed=seed, rollout_weight=loaded.play.rollout_weight
        )

    seats = [Seat("you")] + [Seat("pretrained", network(seat)) for seat in (1, 2, 3)]
    deal = make_deal(4, 0, num_players=4, hand_sizes=[5])
    table = WebTable(TableGame(seats, 0, [deal]), hint=network(9))
    with serve(table) as url:
        browser.get(url)
        wait_for_draw(browser, 0)
        cards = browser.find_elements(By.CSS_SELECTOR, "#hand .card")
        assert len(cards) == 5
        info = browser.find_element(By.ID, "round-info").text
        assert "Round 1/1" in info and "5 cards" in info
        if table.game.human_to_act:
            browser.find_element(By.ID, "hint-button").click()
            from selenium.webdriver.support.ui import WebDriverWait

            WebDriverWait(browser, 30).until(lambda d: "%" in d.find_element(By.ID, "hint").text)
        screenshot = tmp_path / "table.png"
        browser.save_screenshot(str(screenshot))
        assert screenshot.read_bytes().startswith(b"\x89PNG")
        click_through(browser)
        assert browser.find_element(By.ID, "message").text.startswith("Game over:")


def test_the_api_refuses_bad_requests() -> None:
    table = WebTable(TableGame(heuristic_seats(), 0, [make_deal(2, 0, num_players=4)]))
    with serve(table) as url:

        def post(path: str, body: bytes) -> tuple[int, dict[str, object]]:
            request = urllib.request.Request(url + path.lstrip("/"), data=body, method="POST")
            try:
                with urllib.request.urlopen(request) as response:
                    return response.status, json.loads(response.read())
            except urllib.error.HTTPError as error:
                return error.code, json.loads(error.read())

        assert post("/api/act", b'{"action": "QS"}') == (
            400,
            {"error": 'send {"action": <action id>}'},
        )
        assert post("/api/act", b"not json")[0] == 400
        assert post("/api/act", b'{"action": 999}') == (
            400,
            {"error": "action 999 is not legal here"},
        )
        assert post("/api/next", b"")[1] == {
            "error": "the next round starts when this one is over, before the last"
        }
        assert post("/api/act", b"x" * 2000)[0] == 400
        assert post("/api/nowhere", b"")[0] == 404
        with urllib.request.urlopen(url + "api/state") as response:
            view = json.loads(response.read())
        assert view["your_turn"] and view["phase"] == "bidding" and len(view["hand"]) == 5
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(url + "static/../../pyproject.toml")
