"""Takes the README's screenshot of the browser table: a 4 x 5 round against three `pretrained`,
a few moves in, in headless chromium (needs chromium, chromium-driver and selenium).

    python tools/screenshot_web_table.py docs/images/web_table.png
"""

from __future__ import annotations

import argparse
import shutil
import threading

import blobzero as bz
from blobzero.evaluation.arena import make_deal
from blobzero.play.game import Seat, TableGame
from blobzero.play.web import WebTable, make_server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--moves", type=int, default=1, help="your moves before the picture")
    args = parser.parse_args()

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    loaded = bz.load_named_network("pretrained")
    seats = [Seat("you")]
    for seat in (1, 2, 3):
        player = bz.network_agent(
            loaded.net, 3, 30, seed=seat, rollout_weight=loaded.play.rollout_weight
        )
        seats.append(Seat("pretrained", player))
    deal = make_deal(args.seed, 0, num_players=4, hand_sizes=[5])
    table = WebTable(TableGame(seats, 0, [deal]))
    server = make_server(table)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1300,760"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        driver.get(f"http://127.0.0.1:{server.server_address[1]}/")
        version = 0
        for move in range(args.moves + 1):
            version = WebDriverWait(driver, 30).until(
                lambda d, v=version: (
                    max(
                        0, d.execute_script("return Number(document.body.dataset.version || 0)") - v
                    )
                    and d.execute_script("return Number(document.body.dataset.version)")
                )
            )
            if move == args.moves:
                break
            choices = driver.find_elements(By.CSS_SELECTOR, "#bids .bid:not([disabled])")
            choices = choices or driver.find_elements(By.CSS_SELECTOR, "#hand .card.legal")
            choices[len(choices) // 2].click()
        driver.save_screenshot(args.output)
    finally:
        driver.quit()
        server.shutdown()
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
