"""Arena: two agents play duplicate deals; the match measures which is stronger.

    from blobzero.evaluation.arena import BotFactory, NetworkAgentFactory, play_match

    result = play_match(NetworkAgentFactory(net, 3, 30), BotFactory("heuristic"),
                        deals=200, num_players=4, hand_sizes=[5], seed=1, parallel_games=16)
    print(result.format())        # margin ± CI, win rate, Elo difference, bid accuracy, scores

Duplicate deals. Deal k of a match is a single round drawn from ``derive_seed(seed, k)``
(``make_deal``) exactly as self-play draws a game (``draw_game``): a hand size from
``hand_sizes``, a trump per ``trump_mode`` (``rotation`` is uniform over the four suits and no
trump), a dealer, and the cards. The deal
is replayed under every seat assignment of ``seat_assignments(num_players)``: the rotations of
A, B, A, B, ... and of its complement, so that over a deal's replays each agent holds every hand
equally often (2 games per deal for an even table, 2P for an odd one). The luck of the cards
cancels; what is left is the difference in play.

Agents. Each side of a match is an agent factory or an agent. An ``AgentFactory``
(``BotFactory(spec)``, ``NetworkAgentFactory(net, ...)``, ``make_agent_factory(spec_or_net)``,
or ``AgentFactory(make, name)`` around any ``make(seed) -> Player``) builds a fresh agent for
every game from the deal's agent seed. An agent is anything with ``act(state, observer) ->
action`` (``blobzero.evaluation.players.Player``); it is reseeded before every game
(``reseed(seed)``, which the C++ bots and ``SeededAgent`` have) with that seed. Either way
the seed is the same for every replay of a deal, so a match is a pure function of its seed.
An agent without ``reseed`` is used as it is (its match is reproducible only if the agent is
deterministic). Two copies of one deterministic agent draw a margin of exactly 0.

The engine. A match between bot specs and networks (``BotFactory``, ``NetworkAgentFactory``)
runs in the C++ arena engine (``blobzero._core.selfplay.ArenaEngine``): the self-play engine's
worker threads and batch buffers, ``parallel_games`` games in flight, each network's leaves
batched across games and evaluated by its model on the calling thread (one model per network,
each batch for one). The games are exactly those the agents would play one by one: the results
do not depend on ``parallel_games`` or timing, except that a network computes a position within
a batch of other positions, and a BLAS may round differently by batch size; a last-bit
difference can tip a search between two equally visited moves. With ``parallel_games=1`` a match
is exactly reproducible. Any other agent (a Python ``Player``) plays its games one by one on the
calling thread.

Statistics (``MatchResult``). The deals are the independent samples: a deal's margin is the mean
over its replays of (mean score of A's seats - mean score of B's seats); ``margin_mean`` is their
average, ``margin_ci95 = 1.96 * sd / sqrt(deals)`` (sample sd; 0 for one deal); ``win_rate`` is
the fraction of deals whose margin favours A, ties counting 1/2; ``elo_difference`` is the Elo
difference that win rate implies (``elo.elo_difference`` with the score clipped to
[1/(2 deals), 1 - 1/(2 deals)]).
"""

from __future__ import annotations

import math
import os
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from blobzero._core.game import (
    MAX_PLAYERS,
    MIN_PLAYERS,
    Match,
    Rules,
    Scoring,
    State,
)
from blobzero._core.search import IsmctsConfig, PimcBot, PuctConfig, PythonEvaluator
from blobzero._core.selfplay import ArenaAgent, ArenaEngine, derive_seed, draw_game, make_bot
from blobzero.evaluation import elo
from blobzero.evaluation.players import Player, play_round
from blobzero.game_names import SCORINGS, TRUMP_MODES
from blobzero.selfplay.batch_loop import LoopClock, Model, evaluate_batches

if TYPE_CHECKING:
    from blobzero.nn.inference import InferenceModel
    from blobzero.nn.network import BlobNet
    from blobzero.nn.specs import NamedNetwork

__all__ = [
    "AGENT_A",
    "AGENT_B",
    "TRUMP_MODES",
    "Agent",
    "AgentFactory",
    "BotFactory",
    "GameResult",
    "MatchInterrupted",
    "MatchResult",
    "NetworkAgentFactory",
    "SeededAgent",
    "make_agent",
    "make_agent_factory",
    "make_deal",
    "named_network_agent",
    "make_match_deal",
    "network_agent",
    "parse_agent_spec",
    "play_match",
    "seat_assignments",
]

_ENGINE_C_PUCT = PuctConfig().c_puct  # how a network explores unless its checkpoint says otherwise

AGENT_A = 0
AGENT_B = 1
_CI_Z = 1.96

# The stream of a deal's seed (derive_seed(deal_seed, stream)) that seeds its agents.
_STREAM_AGENTS = 4

Progress = Callable[[int, int], None]
"""``progress(done_games, total_games)``, called after every game."""


# ----------------------------------------------------------------------------------------------
# Agents


class SeededAgent:
    """An agent rebuilt from ``factory(seed)`` on every ``reseed(seed)``.

    For agents whose randomness lives in more than one place (a ``PimcBot`` over a
    ``RolloutEvaluator``: the evaluator has its own stream, which the bot's ``reseed`` does not
    restart), so that reseeding replays a game exactly.
    """

    def __init__(self, factory: Callable[[int], Player], seed: int = 0, name: str = "") -> None:
        self._factory = factory
        self.name = name
        self._agent = factory(seed)

    def act(self, state: State, observer: int) -> int:
        return self._agent.act(state, observer)

    def reseed(self, seed: int) -> None:
        self._agent = self._factory(seed)

    def __repr__(self) -> str:
        return f"SeededAgent({self.name or self._agent!r})"


def network_agent(
    net: BlobNet,
    num_worlds: int,
    simulations_per_world: int,
    seed: int,
    device: str = "cpu",
    inference_mode: str = "torchscript",
    rollout_weight: float = 0.0,
    c_puct: float = _ENGINE_C_PUCT,
) -> PimcBot:
    """A PUCT player over ``net`` with ``num_worlds`` x ``simulations_per_world`` simulations
    (PIMC trees or one information-set tree, as ``net.config.features`` says), playing the most
    visited move (temperature 0, no Dirichlet noise), its leaf values mixed with random
    playouts by ``rollout_weight``, exploring by ``c_puct`` (``PuctConfig``). The network runs
    through its own ``InferenceModel`` copy on ``device`` (``inference_mode``: torchscript, eager
    or compile), so training ``net`` later does not change the agent. One agent plays one game at
    a time; for matches of games in parallel use ``NetworkAgentFactory``."""
    from blobzero.nn.inference import InferenceModel

    config = _network_search_config(net, num_worlds, simulations_per_world, rollout_weight, c_puct)
    evaluator = PythonEvaluator(InferenceModel(net, device=device, mode=inference_mode))
    return PimcBot(config, evaluator, seed)


def named_network_agent(
    loaded: NamedNetwork,
    seed: int,
    num_worlds: int | None = None,
    simulations_per_world: int | None = None,
) -> PimcBot:
    """``network_agent`` for a network loaded by name (``blobzero.nn.specs``), playing with its
    checkpoint's search settings (worlds, simulations, rollout weight, c_puct) unless given."""
    play = loaded.play
    return network_agent(
        loaded.net,
        num_worlds or play.num_worlds,
        simulations_per_world or play.simulations_per_world,
        seed=seed,
        rollout_weight=play.rollout_weight,
        c_puct=play.c_puct,
    )


def _network_search_config(
    net: BlobNet, num_worlds: int, simulations_per_world: int, rollout_weight: float, c_puct: float
) -> PuctConfig:
    from blobzero.nn.net_config import search_config

    return search_config(
        net.config,
        num_worlds,
        simulations_per_world,
        temperature=0.0,
        dirichlet_fraction=0.0,
        rollout_weight=rollout_weight,
        c_puct=c_puct,
    )


AGENT_SPECS = (
    "heuristic, random, ismcts:<simulations>, pimc-rollout:<worlds>x<simulations>, "
    "is-rollout:<worlds>x<simulations>"
)
_ISMCTS = re.compile(r"ismcts:(\d+)")
_PUCT_ROLLOUT = re.compile(r"(pimc|is)-rollout:(\d+)x(\d+)")


def parse_agent_spec(spec: str) -> ArenaAgent:
    """The agent a bot spec names: ``heuristic``, ``random``, ``ismcts:<simulations>`` (SO-ISMCTS
    with random rollouts), ``pimc-rollout:<worlds>x<simulations>`` (PIMC-PUCT over random-rollout
    values) or ``is-rollout:<worlds>x<simulations>`` (information-set PUCT, worlds x simulations
    in one tree, over random-rollout values); the PUCT ones with uniform priors, temperature 0,
    no noise. Raises ValueError naming a bad spec."""
    if not isinstance(spec, str):
        raise TypeError(f"agent spec must be a str, got {type(spec).__name__}")
    text = spec.strip().lower()
    if text in ("heuristic", "random"):
        return ArenaAgent(text)
    if match := _ISMCTS.fullmatch(text):
        simulations = int(match.group(1))
        if simulations < 1:
            raise ValueError(f"agent spec {spec!r}: simulations must be at least 1")
        return ArenaAgent("ismcts", ismcts=IsmctsConfig(simulations=simulations))
    if match := _PUCT_ROLLOUT.fullmatch(text):
        worlds, simulations = int(match.group(2)), int(match.group(3))
        if worlds < 1 or simulations < 1:
            raise ValueError(f"agent spec {spec!r}: worlds and simulations must be at least 1")
        config = PuctConfig(
            num_worlds=worlds,
            simulations_per_world=simulations,
            information_set_tree=match.group(1) == "is",
            temperature=0.0,
            dirichlet_fraction=0.0,
        )
        return ArenaAgent("puct_rollout", puct=config)
    raise ValueError(f"unknown agent spec {spec!r} (expected one of: {AGENT_SPECS})")


def make_agent(spec: str, seed: int = 0) -> Player:
    """The bot a spec names (``parse_agent_spec``), seeded ``seed``. Raises ValueError naming a
    bad spec."""
    agent = parse_agent_spec(spec)
    if agent.kind == "puct_rollout":
        # Its rollouts have a stream of their own: reseeding rebuilds it.
        return SeededAgent(
            lambda agent_seed: make_bot(agent, agent_seed), seed, name=spec.strip().lower()
        )
    bot: Player = make_bot(agent, seed)
    return bot


# ----------------------------------------------------------------------------------------------
# Agent factories


class AgentFactory:
    """Builds a fresh agent for every game of a match: ``factory(seed) -> Player``.

    ``make(seed)`` builds the agent; ``name`` labels it in results. ``make`` must not return one
    agent twice. A factory the arena engine can play (``engine_agent`` is not None: bots by spec
    and networks) has its games played there; others one by one on the calling thread."""

    def __init__(self, make: Callable[[int], Player], name: str = "agent") -> None:
        if not callable(make):
            raise TypeError(f"make must be callable as make(seed), got {type(make).__name__}")
        self._make = make
        self.name = name

    def engine_agent(self, model: int) -> ArenaAgent | None:
        """How the arena engine plays this agent, its network (if any) evaluated by model index
        ``model``; None when the engine cannot play it."""
        return None

    @property
    def model(self) -> Model | None:
        """The model that evaluates this agent's positions in the engine (None: no network)."""
        return None

    def __call__(self, seed: int) -> Player:
        """A new agent seeded ``seed``."""
        return self._make(seed)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class BotFactory(AgentFactory):
    """Bots from a ``make_agent`` spec (``heuristic``, ``random``, ``ismcts:<simulations>``,
    ``pimc-rollout:<worlds>x<simulations>``), named by the spec. Raises ValueError naming a
    bad spec."""

    def __init__(self, spec: str) -> None:
        self.agent = parse_agent_spec(spec)
        self.spec = spec.strip().lower()
        super().__init__(self._bot, name=self.spec)

    def _bot(self, seed: int) -> Player:
        return make_agent(self.spec, seed)

    def engine_agent(self, model: int) -> ArenaAgent:
        return self.agent


class NetworkAgentFactory(AgentFactory):
    """PUCT players over one network, as ``network_agent`` builds them, sharing one
    ``InferenceModel`` (``self.model``, a copy of ``net``'s weights on ``device``). In the arena
    engine the searches of all the games in flight send their leaves to that model in batches of
    at most ``max_batch`` rows.

    Building the factory builds the inference model (a TorchScript compilation by default):
    make one per network per evaluation and use it for all that evaluation's matches. Call
    ``load_weights`` to follow a network that has been trained since, never during a match."""

    def __init__(
        self,
        net: BlobNet,
        num_worlds: int = 3,
        simulations_per_world: int = 30,
        device: str = "cpu",
        inference_mode: str = "torchscript",
        *,
        name: str = "network",
        max_batch: int = 1024,
        rollout_weight: float = 0.0,
        c_puct: float = _ENGINE_C_PUCT,
    ) -> None:
        from blobzero.nn.inference import InferenceModel

        self.config = _network_search_config(
            net, num_worlds, simulations_per_world, rollout_weight, c_puct
        )
        self._model: InferenceModel = InferenceModel(net, device=device, mode=inference_mode)
        self.max_batch = max_batch
        super().__init__(self._bot, name=name)

    def _bot(self, seed: int) -> Player:
        return PimcBot(self.config, PythonEvaluator(self._model), seed)

    def engine_agent(self, model: int) -> ArenaAgent:
        return ArenaAgent("network", puct=self.config, model=model)

    @property
    def model(self) -> InferenceModel:
        return self._model

    def load_weights(self, net: BlobNet) -> None:
        """Copies ``net``'s weights into the inference model. Not while a match is running."""
        self._model.load_weights(net)


def make_agent_factory(
    agent: str | BlobNet,
    *,
    num_worlds: int = 3,
    simulations_per_world: int = 30,
    device: str = "cpu",
    inference_mode: str = "torchscript",
    name: str | None = None,
) -> AgentFactory:
    """A ``BotFactory`` for a bot spec, or a ``NetworkAgentFactory`` for a ``BlobNet`` (with
    the search budget, device and inference mode given; named ``name`` or ``network``).
    Raises ValueError naming a bad spec, TypeError for anything else."""
    if isinstance(agent, str):
        factory: AgentFactory = BotFactory(agent)
        if name is not None:
            factory.name = name
        return factory
    from blobzero.nn.network import BlobNet

    if isinstance(agent, BlobNet):
        return NetworkAgentFactory(
            agent,
            num_worlds,
            simulations_per_world,
            device=device,
            inference_mode=inference_mode,
            name=name or "network",
        )
    raise TypeError(f"expected a bot spec or a BlobNet, got {type(agent).__name__}")


# ----------------------------------------------------------------------------------------------
# Deals and seatings


def seat_assignments(num_players: int) -> list[tuple[int, ...]]:
    """The seatings every deal is replayed under: per seat, ``AGENT_A`` (0) or ``AGENT_B`` (1).

    The rotations of the pattern A, B, A, B, ... and of its complement, without repeats, in
    that order: 2 seatings for an even table, ``2 * num_players`` for an odd one. In each seat,
    A and B sit equally often."""
    _check_players(num_players)
    pattern = [seat % 2 for seat in range(num_players)]
    found: list[tuple[int, ...]] = []
    for base in (pattern, [1 - x for x in pattern]):
        for shift in range(num_players):
            seating = tuple(base[shift:] + base[:shift])
            if seating not in found:
                found.append(seating)
    return found


def _check_players(num_players: int) -> None:
    if (
        isinstance(num_players, bool)
        or not isinstance(num_players, int)
        or not MIN_PLAYERS <= num_players <= MAX_PLAYERS
    ):
        raise ValueError(
            f"num_players must be an int in {MIN_PLAYERS}..{MAX_PLAYERS}, got {num_players!r}"
        )


def _check_hand_sizes(hand_sizes: Sequence[int]) -> list[int]:
    for i, size in enumerate(hand_sizes):
        if isinstance(size, bool) or not isinstance(size, int):
            raise ValueError(f"hand_sizes[{i}] must be an int, got {size!r}")
    return list(hand_sizes)


def _check_rules(trump_mode: str, scoring: str | Scoring) -> None:
    if trump_mode not in TRUMP_MODES:
        raise ValueError(f"trump_mode must be one of {', '.join(TRUMP_MODES)}, got {trump_mode!r}")
    if not isinstance(scoring, Scoring) and scoring not in SCORINGS:
        raise ValueError(f"scoring must be one of {', '.join(SCORINGS)}, got {scoring!r}")


def _deal_seed(seed: int, index: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**64:
        raise ValueError(f"seed must be an int in [0, 2**64), got {seed!r}")
    return derive_seed(seed, index)


def make_deal(
    seed: int,
    index: int,
    *,
    num_players: int,
    hand_sizes: Sequence[int] = (5,),
    trump_mode: str = "rotation",
    hook_rule: bool = True,
    scoring: str | Scoring = "exact",
) -> State:
    """Deal ``index`` of a match seeded ``seed``: the round every replay of that deal starts
    from, drawn as self-play draws a game (``draw_game``) from ``derive_seed(seed, index)``: a
    hand size uniformly from ``hand_sizes`` (empty: 1..min(10, 52 // num_players), as
    self-play), a trump per ``trump_mode`` (``rotation``: uniformly one of the four suits or no
    trump; ``turn_up``: the card turned up after the deal; ``none``: no trump), a dealer
    uniformly, then the cards. Raises ValueError naming a bad argument (a hand size that does
    not fit the table included)."""
    _check_players(num_players)
    _check_rules(trump_mode, scoring)
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError(f"deal index must be an int >= 0, got {index!r}")
    return draw_game(
        _deal_seed(seed, index),
        num_players=num_players,
        hand_sizes=_check_hand_sizes(hand_sizes),
        trump_mode=trump_mode,
        hook_rule=hook_rule,
        scoring=scoring,
    )


def make_match_deal(seed: int, index: int, rules: Rules) -> State:
    """Deal ``index`` of a match ladder seeded ``seed``: round ``index % R`` of full match
    ``index // R`` of ``rules`` (R = ``len(rules.cards_per_round())``, the whole schedule) as
    ``Match(rules, derive_seed(seed, index // R))`` deals it: that round's hand size and trump,
    the dealer rotating from a first dealer drawn per match.
    Consecutive runs of R deals are therefore whole matches, and a match's margin is the sum
    of its rounds' margins. Raises ValueError naming a bad argument."""
    if not isinstance(rules, Rules):
        raise TypeError(f"rules must be a blobzero Rules, got {type(rules).__name__}")
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError(f"deal index must be an int >= 0, got {index!r}")
    rounds = len(rules.cards_per_round())
    return Match(rules, _deal_seed(seed, index // rounds)).deal_round(index % rounds)


# ----------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class GameResult:
    """One game of a match: the deal it replays, who sat where (``AGENT_A``/``AGENT_B`` per
    seat), and per seat the final score, bid and tricks taken."""

    deal: int
    seating: tuple[int, ...]
    scores: tuple[int, ...]
    bids: tuple[int, ...]
    tricks: tuple[int, ...]

    def __post_init__(self) -> None:
        size = len(self.seating)
        for name in ("scores", "bids", "tricks"):
            if len(getattr(self, name)) != size:
                raise ValueError(
                    f"GameResult.{name} has {len(getattr(self, name))} seats, not {size}"
                )
        if set(self.seating) != {AGENT_A, AGENT_B}:
            raise ValueError(f"GameResult.seating must seat both agents, got {self.seating}")

    def seats_of(self, agent: int) -> list[int]:
        return [seat for seat, who in enumerate(self.seating) if who == agent]

    def mean_score(self, agent: int) -> float:
        seats = self.seats_of(agent)
        return math.fsum(self.scores[s] for s in seats) / len(seats)


@dataclass(frozen=True)
class MatchResult:
    """The outcome of a duplicate match of agent A against agent B (see the module docstring
    for the statistics). Per-agent figures are over the agent's seat-rounds (one seat in one
    game)."""

    name_a: str
    name_b: str
    num_players: int
    deals: int
    games: int
    score_a: int  # total of A's seat scores over all games
    score_b: int
    mean_score_a: float  # per seat-round
    mean_score_b: float
    margin_mean: float
    margin_ci95: float
    win_rate: float  # of A, per deal, ties 1/2
    bid_accuracy_a: float  # fraction of A's seat-rounds that made their bid exactly
    bid_accuracy_b: float
    elo_difference: float  # A minus B, from win_rate
    deal_margins: tuple[float, ...]
    records: tuple[GameResult, ...] = field(repr=False)

    @classmethod
    def from_games(
        cls, games: Sequence[GameResult], *, name_a: str = "A", name_b: str = "B"
    ) -> MatchResult:
        """Computes the statistics from the games of a match (any order; grouped by deal).
        Raises ValueError for no games or games at different table sizes."""
        if not games:
            raise ValueError("a match needs at least one game")
        num_players = len(games[0].seating)
        by_deal: dict[int, list[GameResult]] = {}
        for game in games:
            if len(game.seating) != num_players:
                raise ValueError("every game of a match must have the same number of seats")
            by_deal.setdefault(game.deal, []).append(game)
        margins = []
        for replays in by_deal.values():
            # fsum: the same multiset of means gives the same sum in any order, so two copies
            # of one deterministic agent get a margin of exactly 0.
            mean_a = math.fsum(g.mean_score(AGENT_A) for g in replays)
            mean_b = math.fsum(g.mean_score(AGENT_B) for g in replays)
            margins.append((mean_a - mean_b) / len(replays))
        deals = len(margins)
        ci = _CI_Z * statistics.stdev(margins) / math.sqrt(deals) if deals > 1 else 0.0
        win_rate = math.fsum(1.0 if m > 0 else 0.5 if m == 0 else 0.0 for m in margins) / deals

        def totals(agent: int) -> tuple[int, int, int]:
            score = made = seat_rounds = 0
            for game in games:
                for seat in game.seats_of(agent):
                    score += game.scores[seat]
                    made += game.bids[seat] == game.tricks[seat]
                    seat_rounds += 1
            return score, made, seat_rounds

        score_a, made_a, rounds_a = totals(AGENT_A)
        score_b, made_b, rounds_b = totals(AGENT_B)
        return cls(
            name_a=name_a,
            name_b=name_b,
            num_players=num_players,
            deals=deals,
            games=len(games),
            score_a=score_a,
            score_b=score_b,
            mean_score_a=score_a / rounds_a,
            mean_score_b=score_b / rounds_b,
            margin_mean=math.fsum(margins) / deals,
            margin_ci95=ci,
            win_rate=win_rate,
            bid_accuracy_a=made_a / rounds_a,
            bid_accuracy_b=made_b / rounds_b,
            elo_difference=elo.elo_difference(win_rate, games=deals),
            deal_margins=tuple(margins),
            records=tuple(games),
        )

    def to_dict(self) -> dict[str, Any]:
        """The summary figures as plain JSON types (no per-game records)."""
        return {
            "name_a": self.name_a,
            "name_b": self.name_b,
            "num_players": self.num_players,
            "deals": self.deals,
            "games": self.games,
            "score_a": self.score_a,
            "score_b": self.score_b,
            "mean_score_a": self.mean_score_a,
            "mean_score_b": self.mean_score_b,
            "margin_mean": self.margin_mean,
            "margin_ci95": self.margin_ci95,
            "win_rate": self.win_rate,
            "bid_accuracy_a": self.bid_accuracy_a,
            "bid_accuracy_b": self.bid_accuracy_b,
            "elo_difference": self.elo_difference,
        }

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) rows for a result table."""
        per_deal = self.games // self.deals if self.deals else 0
        return [
            ("games", f"{self.games} ({self.deals} deals x {per_deal} seatings)"),
            (
                f"margin {self.name_a} - {self.name_b} per round",
                f"{self.margin_mean:+.3f} ± {self.margin_ci95:.3f} (95% CI)",
            ),
            (f"win rate {self.name_a}", f"{100 * self.win_rate:.1f}% of deals"),
            (f"Elo {self.name_a} - {self.name_b}", f"{self.elo_difference:+.0f}"),
            (f"bid accuracy {self.name_a}", f"{100 * self.bid_accuracy_a:.1f}%"),
            (f"bid accuracy {self.name_b}", f"{100 * self.bid_accuracy_b:.1f}%"),
            (f"mean score {self.name_a}", f"{self.mean_score_a:.3f}"),
            (f"mean score {self.name_b}", f"{self.mean_score_b:.3f}"),
        ]

    def format(self) -> str:
        """The rows as aligned plain text, one per line."""
        rows = self.rows()
        width = max(len(label) for label, _ in rows)
        return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)


# ----------------------------------------------------------------------------------------------
# Matches


def _reseed(agent: Player, seed: int) -> None:
    reseed = getattr(agent, "reseed", None)
    if callable(reseed):
        reseed(seed)


Agent = Player | AgentFactory
"""A side of a match: an agent, or a factory building one per game."""


@dataclass(frozen=True)
class _Game:
    """One game of a match to play: the deal, its starting state, a seating, the agent seed."""

    deal: int
    start: State
    seating: tuple[int, ...]
    agent_seed: int


def _result(
    game: _Game, scores: Sequence[int], bids: Sequence[int], tricks: Sequence[int]
) -> GameResult:
    return GameResult(
        deal=game.deal,
        seating=game.seating,
        scores=tuple(scores),
        bids=tuple(bids),
        tricks=tuple(tricks),
    )


def _play_game(game: _Game, sides: tuple[Agent, Agent]) -> GameResult:
    """Plays ``game`` on this thread with agents built by (or reseeded from) ``sides``."""
    agents: list[Player] = []
    for side in sides:
        if isinstance(side, AgentFactory):
            agents.append(side(game.agent_seed))
        else:
            _reseed(side, game.agent_seed)
            agents.append(side)
    final = play_round(game.start, [agents[who] for who in game.seating])
    bids = [b if b is not None else -1 for b in final.bids]
    return _result(game, final.scores(), bids, final.tricks_won)


def _engine_sides(sides: tuple[Agent, Agent]) -> tuple[list[ArenaAgent], list[Model]] | None:
    """The arena engine's agents for the two sides (a network's model index: its position in
    the returned models, one per distinct factory), or None when a side is not engine-played."""
    agents: list[ArenaAgent] = []
    models: list[Model] = []
    owners: list[AgentFactory] = []
    for side in sides:
        if not isinstance(side, AgentFactory):
            return None
        index = next((i for i, owner in enumerate(owners) if owner is side), len(models))
        agent = side.engine_agent(index)
        if agent is None:
            return None
        if agent.kind == "network" and index == len(models):
            model = side.model
            assert model is not None
            models.append(model)
            owners.append(side)
        agents.append(agent)
    return agents, models


def _engine_threads(sides: tuple[Agent, Agent], parallel_games: int) -> int:
    """Worker threads for a match: one when a network runs on the CPU (the model needs the
    cores, as in self-play: benchmarks/RESULTS.md), all cores but one for the model's thread
    with a GPU, every core for bots alone; at most one per game in flight."""
    cores = os.cpu_count() or 1
    networks = [side for side in sides if isinstance(side, NetworkAgentFactory)]
    if not networks:
        threads = cores
    elif any(network.model.device.type == "cpu" for network in networks):
        threads = 1
    else:
        threads = max(1, cores - 1)
    return max(1, min(threads, parallel_games))


def _play_in_engine(
    games: Sequence[_Game],
    sides: tuple[Agent, Agent],
    engine_sides: tuple[list[ArenaAgent], list[Model]],
    parallel_games: int,
    progress: Progress | None,
    results: list[GameResult | None],
) -> None:
    """Plays ``games`` in the arena engine, storing game i's result in ``results[i]``. On any
    error (a model's, the progress callback's, or KeyboardInterrupt) the run is cancelled (every
    worker joined), the finished games are stored, and the error is raised."""
    agents, models = engine_sides
    threads = _engine_threads(sides, parallel_games)
    max_batch = max(
        (side.max_batch for side in sides if isinstance(side, NetworkAgentFactory)), default=256
    )
    step_rows = max(
        (a.puct.num_worlds * a.puct.leaves_per_tree for a in agents if a.kind == "network"),
        default=1,
    )
    core = ArenaEngine(
        agents,
        num_threads=threads,
        games_per_thread=-(-parallel_games // threads),
        max_batch_size=max(max_batch, step_rows),
    )
    reported = 0

    def report() -> None:
        nonlocal reported
        if progress is None:
            return
        done = core.games_finished
        for count in range(reported + 1, done + 1):
            progress(count, len(games))
        reported = max(reported, done)

    core.start(
        [game.start for game in games],
        [list(game.seating) for game in games],
        [game.agent_seed for game in games],
    )
    outcomes: list[tuple[list[int], list[int], list[int]] | None] = []
    try:
        evaluate_batches(core, models, timeout_s=0.05, clock=LoopClock(), on_poll=report)
        outcomes = core.take_results()
    except BaseException:
        outcomes = core.cancel()  # the finished games stay in the result
        raise
    finally:
        for i, outcome in enumerate(outcomes):
            if outcome is not None:
                results[i] = _result(games[i], *outcome)
        core.shutdown()
    report()


def play_match(
    agent_a: Agent,
    agent_b: Agent,
    *,
    deals: int,
    num_players: int = 4,
    hand_sizes: Sequence[int] = (5,),
    trump_mode: str = "rotation",
    hook_rule: bool = True,
    scoring: str | Scoring = "exact",
    seed: int = 0,
    progress: Progress | None = None,
    names: tuple[str, str] | None = None,
    parallel_games: int = 1,
    match_rules: Rules | None = None,
) -> MatchResult:
    """Plays ``deals`` duplicate deals between ``agent_a`` and ``agent_b`` (module docstring):
    deal k is ``make_deal(seed, k, ...)``, replayed under every seating of
    ``seat_assignments(num_players)``; before each game a factory builds a fresh agent, and an
    agent is reseeded, with the deal's agent seed.

    Bots by spec and networks play in the arena engine with ``parallel_games`` games in flight
    (1: one game at a time, in order); a match with any other agent plays its games one by one
    on the calling thread and needs ``parallel_games=1``. Results are in deal and seating order
    whatever the threads' timing (see the module docstring for the numerics).
    Calls ``progress(done_games, total_games)`` on the calling thread after every game.
    ``names`` label the result (default: the factories' names, else ``A`` and ``B``).
    With ``match_rules`` the deals are the rounds of whole matches instead
    (``make_match_deal``; ``num_players``, ``hand_sizes``, ``trump_mode``, ``hook_rule`` and
    ``scoring`` come from the rules and the arguments are ignored).

    Raises ValueError/TypeError naming a bad argument before any game, and ValueError from
    ``play_round`` if an agent plays an illegal action. The first error (a model's, the
    progress callback's, or a KeyboardInterrupt) stops the match: the engine's games are
    cancelled and its threads joined, and the error is raised; a KeyboardInterrupt as
    ``MatchInterrupted`` with the result of the finished deals."""
    sides = (agent_a, agent_b)
    for label, side in zip(("agent_a", "agent_b"), sides, strict=True):
        if not isinstance(side, AgentFactory) and not callable(getattr(side, "act", None)):
            raise TypeError(
                f"{label} must be an AgentFactory or have act(state, observer), "
                f"got {type(side).__name__}"
            )
    if isinstance(deals, bool) or not isinstance(deals, int) or deals < 1:
        raise ValueError(f"deals must be a positive int, got {deals!r}")
    if (
        isinstance(parallel_games, bool)
        or not isinstance(parallel_games, int)
        or parallel_games < 1
    ):
        raise ValueError(f"parallel_games must be a positive int, got {parallel_games!r}")
    engine_sides = _engine_sides(sides)
    if parallel_games > 1 and engine_sides is None:
        kinds = " and ".join(type(side).__name__ for side in sides)
        raise TypeError(
            f"parallel_games > 1 needs agents the arena engine plays (BotFactory, "
            f"NetworkAgentFactory), got {kinds}"
        )

    def deal(k: int) -> State:
        if match_rules is not None:
            return make_match_deal(seed, k, match_rules)
        return make_deal(
            seed,
            k,
            num_players=num_players,
            hand_sizes=hand_sizes,
            trump_mode=trump_mode,
            hook_rule=hook_rule,
            scoring=scoring,
        )

    deal(0)  # validates every argument once
    if match_rules is not None:
        num_players = match_rules.num_players
    seatings = seat_assignments(num_players)
    games: list[_Game] = []
    for k in range(deals):
        start = deal(k)
        agent_seed = derive_seed(derive_seed(seed, k), _STREAM_AGENTS)
        games.extend(_Game(k, start, seating, agent_seed) for seating in seatings)
    if names is None:
        names = _default_names(agent_a, agent_b)

    results: list[GameResult | None] = [None] * len(games)
    try:
        if engine_sides is not None:
            _play_in_engine(games, sides, engine_sides, parallel_games, progress, results)
        else:
            for i, game in enumerate(games):
                results[i] = _play_game(game, sides)
                if progress is not None:
                    progress(i + 1, len(games))
    except KeyboardInterrupt:
        per_deal = len(seatings)
        finished = [
            results[k * per_deal : (k + 1) * per_deal]
            for k in range(deals)
            if all(r is not None for r in results[k * per_deal : (k + 1) * per_deal])
        ]
        done = [r for replays in finished for r in replays if r is not None]
        partial = MatchResult.from_games(done, name_a=names[0], name_b=names[1]) if done else None
        raise MatchInterrupted(partial, deals) from None
    return MatchResult.from_games(
        [r for r in results if r is not None], name_a=names[0], name_b=names[1]
    )


class MatchInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a match. ``partial`` is the result over the deals whose every seating had
    finished (None if none had), ``deals`` the number asked for."""

    def __init__(self, partial: MatchResult | None, deals: int) -> None:
        super().__init__("the match was interrupted")
        self.partial = partial
        self.deals = deals


def _default_names(agent_a: Agent, agent_b: Agent) -> tuple[str, str]:
    if not isinstance(agent_a, AgentFactory) or not isinstance(agent_b, AgentFactory):
        return ("A", "B")
    if agent_a.name == agent_b.name:
        return (f"A:{agent_a.name}", f"B:{agent_b.name}")
    return (agent_a.name, agent_b.name)
