"""blobzero-play: a person's seat in the terminal, driven through a pseudo terminal with scripted
keystrokes (pexpect); the explanations of illegal input; round records and their replay."""

from __future__ import annotations

import contextlib
import json
import re
import sys
from pathlib import Path

import pexpect
import pytest

import blobzero as bz
from blobzero.evaluation.arena import make_deal
from blobzero.play.game import Seat, TableGame
from blobzero.play.records import append_record, read_records, record_of
from blobzero.play.terminal import QuitGame, TerminalTable
from support import finished_round

PROMPT = re.compile(r"Your (bid|card) \(h = hint, q = quit\): ")
BIDS = re.compile(r"bids: ([0-9 ]+)")


def spawn(*args: str, timeout: float = 60) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "blobzero.cli.play", *args],
        encoding="utf-8",
        timeout=timeout,
        dimensions=(50, 120),
    )
    child.logfile_read = None
    return child


def answer_until_the_end(child: pexpect.spawn, end: str) -> tuple[int, str]:
    """Answers every prompt (the first legal bid, the first legal card) until ``end`` shows;
    returns the number of answers and everything shown."""
    shown = []
    answers = 0
    while True:
        found = child.expect([PROMPT, re.escape(end)])
        shown.append(child.before)
        if found == 1:
            child.expect(pexpect.EOF)
            shown.append(child.before)
            return answers, "".join(shown)
        if child.match.group(1) == "bid":
            bids = BIDS.findall(child.before)[-1].split()
            child.sendline(bids[0])
        else:
            child.sendline("1")
        answers += 1


def test_a_round_against_a_bot_with_mistakes_explained(tmp_path: Path) -> None:
    record = tmp_path / "games.jsonl"
    # A deal dealt by seat 2, so that seat 0 bids first and no hook rule limits its bid.
    seed = next(s for s in range(100) if make_deal(s, 0, num_players=3, hand_sizes=[4]).dealer == 2)
    child = spawn(
        "--players", "3", "--cards", "4", "--opponents", "heuristic", "--seed", str(seed),
        "--record", str(record),
    )  # fmt: skip
    child.expect("you are seat 0")
    child.expect(PROMPT)
    assert "view of player 0: 3 players, 4 cards" in child.before
    assert child.match.group(1) == "bid"
    child.sendline("nine")
    child.expect("'nine' is not a bid: type a number from 0 to 4.")
    child.sendline("7")
    child.expect("You cannot bid 7: bids run from 0 to 4.")
    child.sendline("h")
    child.expect(r"hint: seat 0: bid \d")
    child.sendline("bid 1")
    child.expect("you bid 1")
    child.expect(PROMPT)
    assert re.search(r"cards: 1\) \w+", child.before)
    child.sendline("ZZ")
    child.expect("'ZZ' is not a card: type it like QS, 10h or td, or its number.")
    child.sendline("9")
    child.expect("There is no card number 9")
    child.sendline("1")
    child.expect("you played")
    answers, shown = answer_until_the_end(child, "Rounds recorded in")
    assert "Round 1 over:" in shown
    assert re.search(r"you +bid 1 +took \d", shown)
    assert child.wait() == 0
    (game,) = read_records(record)
    assert game.players == ["you", "heuristic", "heuristic"]
    assert game.num_cards == 4 and len(game.actions) == 3 + 12


def test_a_whole_four_player_match_to_the_end(tmp_path: Path) -> None:
    record = tmp_path / "match.jsonl"
    child = spawn(
        "--match", "--players", "4", "--opponents", "heuristic,random,heuristic",
        "--seed", "3", "--seat", "2", "--record", str(record), timeout=120,
    )  # fmt: skip
    answers, shown = answer_until_the_end(child, "Rounds recorded in")
    rounds = bz.Rules(4).cards_per_round()
    assert len(rounds) == 19
    assert f"=== Round 19/19: {rounds[-1]} cards" in shown
    assert re.search(r"Match over: .+ won with \d+ points\.", shown)
    assert answers >= 19  # every bid at least
    games = read_records(record)
    assert [game.num_cards for game in games] == rounds
    assert [game.round_index for game in games] == list(range(19))
    assert [game.dealer for game in games[:5]] == [(games[0].dealer + i) % 4 for i in range(5)]
    totals = [0] * 4
    for game in games:
        totals = [a + b for a, b in zip(totals, game.scores, strict=True)]
        assert game.totals == totals
        assert game.players[2] == "you"


def test_the_pretrained_network_plays_and_hints(tmp_path: Path) -> None:
    child = spawn("--cards", "2", "--hint", "--seed", "1", "--no-record")
    child.expect(PROMPT)
    assert re.search(r"hint: seat 0: bid \d +\(\d+ simulations\)", child.before)
    assert "expected score" in child.before
    child.sendline(BIDS.findall(child.before)[-1].split()[0])
    answers, shown = answer_until_the_end(child, "Round 1 over:")
    assert "seat 1 (pretrained)" in shown
    assert child.wait() == 0


def test_quitting_keeps_the_finished_rounds(tmp_path: Path) -> None:
    record = tmp_path / "games.jsonl"
    child = spawn(
        "--players", "3", "--cards", "1", "--rounds", "3", "--opponents", "random",
        "--seed", "5", "--record", str(record),
    )  # fmt: skip
    # Answer the first question, then quit at the next one, in a later round.
    child.expect(PROMPT)
    shown = child.before
    child.sendline(BIDS.findall(child.before)[-1].split()[0])
    child.expect(PROMPT)
    shown += child.before
    child.sendline("q")
    child.expect(f"Stopped. Finished rounds are in {record}.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    finished = len(re.findall(r"Round \d over:", shown))
    assert finished >= 1
    assert len(read_records(record)) == finished


def test_replay_steps_through_a_record(tmp_path: Path) -> None:
    record = tmp_path / "games.jsonl"
    state = finished_round(bz.RoundRules(num_players=3, num_cards=2, trump="H"), 1, 4)
    append_record(record, record_of(state, ["you", "heuristic", "random"]))
    child = spawn("--replay", str(record))
    child.expect("=== Record 1/1 \\(round 1\\) 0: you, 1: heuristic, 2: random ===")
    child.expect("Enter: next move, q: quit")
    child.sendline("")
    child.expect(f"-> {bz.action_to_string(state.history[0])}")
    for _ in range(len(state.history) - 1):
        child.expect("Enter: next move")
        child.sendline("")
    child.expect(re.escape(f"scores {state.scores()}"))
    child.expect(pexpect.EOF)


def test_bad_records_are_refused_by_line(tmp_path: Path) -> None:
    record = tmp_path / "games.jsonl"
    state = finished_round(bz.RoundRules(num_players=3, num_cards=1, trump="N"), 0, 2)
    append_record(record, record_of(state, ["a", "b", "c"]))
    good = record.read_text()
    data = json.loads(good)
    data["scores"][0] += 1
    record.write_text(good + json.dumps(data) + "\n")
    with pytest.raises(ValueError, match=r"line 2: not a valid round record: scores"):
        read_records(record)
    record.write_text(good + good[:40] + "\n")
    with pytest.raises(ValueError, match=r"line 2: not a valid round record"):
        read_records(record)
    data = json.loads(good)
    data["actions"] = data["actions"][:-1]
    record.write_text(json.dumps(data) + "\n")
    with pytest.raises(ValueError, match=r"line 1: .* unfinished"):
        read_records(record)
    with pytest.raises(ValueError, match="only a finished round"):
        record_of(bz.State(bz.RoundRules(), 0, 1), ["a"] * 4)


def scripted_table(lines: list[str], state: bz.State) -> tuple[TerminalTable, list[str]]:
    shown: list[str] = []
    replies = iter(lines)

    def read(prompt: str) -> str:
        shown.append(prompt)
        return next(replies)

    seats = [Seat("you")] + [Seat("heuristic", bz.HeuristicBot(s)) for s in range(1, 4)]
    return TerminalTable(seats, 0, shown.append, read), shown


def test_illegal_cards_and_bids_are_explained() -> None:
    rules = bz.RoundRules(num_players=4, num_cards=3, trump="S")
    # Seat 0 is the dealer and bids last; the others bid 0, 0, 1, so 2 is the hook's bid.
    deal = bz.Deal(0, ["AH 10H 2C", "KH 3C 4D", "QH 4C 5D", "JH 5C 6D"])
    state = bz.State(rules, deal)
    for bid in (0, 0, 1):
        state.apply_action(bz.BID_ACTION_BASE + bid)
    table, shown = scripted_table(["2", "0", "q", "q"], state)
    with contextlib.suppress(QuitGame):  # the round may end without another question
        table.play([state])
    assert any("not 2: the bids may not add up to the cards" in line for line in shown)
    assert any("You cannot bid 2: as dealer" in line for line in shown)
    assert "you bid 0" in shown
    # Seat 1 leads a heart: seat 0 must follow with one of its two.
    state.apply_action(bz.BID_ACTION_BASE + 0)
    for card in ("KH", "QH", "JH"):
        state.apply_action(bz.parse_card(card))
    table, shown = scripted_table(["2C", "AS", "AH", "q"], state)
    with pytest.raises(QuitGame):
        table.play([state])
    assert "You must follow suit: 2C is not H and you hold one." in shown
    assert "You do not hold AS." in shown
    assert "you played AH" in shown
    with pytest.raises(ValueError, match="seat 1 must be the person's"):
        TableGame([Seat("you"), Seat("bot", bz.RandomBot(1))] * 2, 1, [state])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--players", "9"], "--players must be 3..8, got 9"),
        (["--seat", "4"], "--seat must be 0..3, got 4"),
        (["--opponents", "heuristic,random"], "give one agent or 3 (one per other seat), got 2"),
        (["--opponents", "nosuchbot"], "unknown agent spec 'nosuchbot'"),
        (["--port", "70000", "--web"], "--port must be 0..65535"),
        (["--rounds", "0"], "--rounds must be at least 1"),
        (["--cards", "14"], "14"),
        (["--replay", "/nonexistent/games.jsonl"], "No such file"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from blobzero.cli import play

    with pytest.raises(SystemExit) as exit_info:
        play.main([*argv, "--no-record"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error
