"""The browser table: ``blobzero-play --web`` serves a page on 127.0.0.1 where the person plays
their seat with the mouse, the same game as in the terminal (``TableGame``).

A small standard-library HTTP server (``http.server``) serves the static page shipped in
``blobzero/play/static`` (HTML, JavaScript and CSS, no build step, nothing fetched from the
internet) and a JSON API:

    GET  /api/state         the person's view (``WebTable.view``)
    POST /api/act           {"action": id}: the person's bid or card; the agents then play up to
                            the person's next decision
    POST /api/next          deals the next round once this one is over
    GET  /api/hint          the hint agent's advice on the person's decision

Every answer is the view (or the advice) as JSON; a refused request gets status 400 and
{"error": message}. Requests are served one at a time (the game has one lock).
"""

from __future__ import annotations

import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from blobzero._core.game import (
    BID_ACTION_BASE,
    Phase,
    card_to_string,
    rank_of,
    suit_char,
    suit_of,
)
from blobzero._core.search import PimcBot
from blobzero.play.advice import advise
from blobzero.play.game import Move, TableGame

__all__ = ["STATIC_DIR", "WebTable", "make_server"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
_STATIC_TYPES = {
    "index.html": "text/html; charset=utf-8",
    "table.js": "text/javascript; charset=utf-8",
    "table.css": "text/css; charset=utf-8",
}
_LOG_LINES = 14
# Display order of the suits in a hand: black and red alternate (spades, hearts, clubs, diamonds).
_SUIT_ORDER = {3: 0, 2: 1, 0: 2, 1: 3}
_MAX_BODY = 1024


class WebTable:
    """A ``TableGame`` behind the JSON API, with a log of the recent moves."""

    def __init__(self, game: TableGame, hint: PimcBot | None = None) -> None:
        self.game = game
        self.hint_bot = hint
        self.lock = threading.Lock()
        self.log: list[str] = []
        self._record(game.start())

    def name(self, seat: int) -> str:
        return "you" if seat == self.game.human else self.game.seats[seat].name

    def _record(self, moves: list[Move]) -> None:
        state = self.game.state
        for move in moves:
            who = (
                "You"
                if move.seat == self.game.human
                else f"Seat {move.seat} ({self.name(move.seat)})"
            )
            if move.action >= BID_ACTION_BASE:
                self.log.append(f"{who} bid {move.action - BID_ACTION_BASE}")
            else:
                self.log.append(f"{who} played {card_to_string(move.action)}")
            if move.winner is not None:
                winner = "You" if move.winner == self.game.human else f"Seat {move.winner}"
                self.log.append(f"{winner} won trick {(move.trick or 0) + 1}")
        if state.is_terminal():
            self.log.append(f"Round {self.game.round_index + 1} over")
        del self.log[:-_LOG_LINES]

    def act(self, action: int) -> dict[str, Any]:
        with self.lock:
            self._record(self.game.play(action))
            return self._view()

    def next_round(self) -> dict[str, Any]:
        with self.lock:
            self._record(self.game.next_round())
            return self._view()

    def advice(self) -> dict[str, Any]:
        with self.lock:
            if self.hint_bot is None:
                raise ValueError("no hint agent")
            if not self.game.human_to_act:
                raise ValueError("it is not your turn")
            return advise(self.game.state, self.hint_bot).to_dict()

    def view(self) -> dict[str, Any]:
        with self.lock:
            return self._view()

    def _view(self) -> dict[str, Any]:
        game = self.game
        state = game.state
        rules = state.rules
        human = game.human
        legal = set(state.legal_actions()) if game.human_to_act else set()
        hand = sorted(state.hand(human), key=lambda c: (_SUIT_ORDER[suit_of(c)], -rank_of(c)))
        bids = state.bids
        tricks = state.tricks_won
        players = [
            {
                "seat": seat,
                "name": self.name(seat),
                "bid": bids[seat],
                "tricks": tricks[seat],
                "cards_left": len(state.hand(seat)),
                "total": game.totals[seat],
            }
            for seat in range(state.num_players)
        ]
        if game.match_over:
            phase = "match_over"
        elif game.round_over:
            phase = "round_over"
        else:
            phase = "bidding" if state.phase == Phase.BIDDING else "play"
        done = state.num_tricks_completed
        current = state.current_trick
        trick = _trick(current, state.trick_leader(done), state.num_players) if current else []
        if done > 0:
            leader = state.trick_leader(done - 1)
            cards = _trick(state.trick_cards(done - 1), leader, state.num_players)
            last = {"cards": cards, "winner": state.trick_winner(done - 1)}
        else:
            last = None
        best = max(game.totals)
        return {
            "round": game.round_index + 1,
            "rounds": len(game.rounds),
            "num_cards": rules.num_cards,
            "trump": "N" if rules.trump_suit is None else suit_char(rules.trump_suit),
            "turned_up": None if state.turned_up is None else card_to_string(state.turned_up),
            "dealer": state.dealer,
            "seat": human,
            "phase": phase,
            "to_act": None if state.is_terminal() else state.current_player,
            "your_turn": game.human_to_act,
            "players": players,
            "hand": [
                {"card": card_to_string(card), "id": card, "legal": card in legal} for card in hand
            ],
            "bids": sorted(a - BID_ACTION_BASE for a in legal if a >= BID_ACTION_BASE),
            "forbidden_bid": state.hook_forbidden_bid if game.human_to_act else None,
            "trick": trick,
            "last_trick": last,
            "scores": game.round_scores,
            "round_sizes": [deal.num_cards for deal in game.rounds],
            "totals": game.totals,
            "winners": [s for s, t in enumerate(game.totals) if t == best]
            if game.match_over
            else [],
            "log": list(self.log),
            "hints": self.hint_bot is not None,
        }


def _trick(cards: list[int], leader: int, num_players: int) -> list[dict[str, Any]]:
    return [
        {"seat": (leader + i) % num_players, "card": card_to_string(card)}
        for i, card in enumerate(cards)
    ]


def make_server(table: WebTable, port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server for ``table`` on 127.0.0.1:``port`` (0: a free port; the server's
    ``server_address`` says which). Not started: call ``serve_forever``."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
            pass

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _json(self, data: object, status: int = HTTPStatus.OK) -> None:
            self._send(status, json.dumps(data).encode(), "application/json")

        def _error(self, message: str, status: int = HTTPStatus.BAD_REQUEST) -> None:
            self._json({"error": message}, status)

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path = self.path.split("?", 1)[0]
            if path == "/api/state":
                self._json(table.view())
            elif path == "/api/hint":
                try:
                    self._json(table.advice())
                except ValueError as error:
                    self._error(str(error))
            else:
                name = "index.html" if path == "/" else path.removeprefix("/static/")
                if name not in _STATIC_TYPES:
                    self._error(f"no such page: {path}", HTTPStatus.NOT_FOUND)
                    return
                self._send(HTTPStatus.OK, (STATIC_DIR / name).read_bytes(), _STATIC_TYPES[name])

        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 <= length <= _MAX_BODY:
                self._error(f"a request body must be at most {_MAX_BODY} bytes")
                return
            body = self.rfile.read(length)
            try:
                if self.path == "/api/act":
                    data = json.loads(body or b"{}")
                    action = data.get("action") if isinstance(data, dict) else None
                    if isinstance(action, bool) or not isinstance(action, int):
                        raise ValueError('send {"action": <action id>}')
                    self._json(table.act(action))
                elif self.path == "/api/next":
                    self._json(table.next_round())
                else:
                    self._error(f"no such action: {self.path}", HTTPStatus.NOT_FOUND)
            except ValueError as error:
                self._error(str(error))

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)
