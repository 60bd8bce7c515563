"""
Self-play: many concurrent games over worker threads, batched evaluation.

take_records() returns {"positions": {...}, "games": {...}} of numpy arrays:
positions (N records, sorted by game_id then move_number):
  features uint8 [N, 61, 8], masks uint8 [N, 70], policy float32 [N, 70] (search visits
  normalised; sums to 1 over legal actions), value float32 [N, 8] (final values per seat
  relative to the observer, 0 past the table size), num_players uint8, observer uint8 (absolute
  seat), game_id int64, move_number int16 (actions taken before this one), game_seed uint64.
games (G games, sorted by game_id):
  game_id int64, game_seed uint64, num_players uint8, num_cards uint8, dealer uint8,
  trump_suit int8 (-1 no trump, or turn-up), turn_up bool, turned_up int8 (-1 none),
  hook_rule bool, scoring uint8 (0 exact, 1 oh_hell, 2 oh_hell_penalty), hands uint64 [G, 8]
  (card bit masks as dealt), actions int8 [G, 60] (-1 padded), num_actions int16,
  scores int16 [G, 8], num_positions int32.
"""
from __future__ import annotations
import blobzero._core.game
import blobzero._core.search
import collections.abc
import numpy
import typing
__all__: list[str] = ['ArenaAgent', 'ArenaEngine', 'Batch', 'SelfPlayConfig', 'SelfPlayEngine', 'SelfPlayStats', 'derive_seed', 'draw_game', 'make_bot']
class SelfPlayConfig:
    """
    Settings of a self-play run: game setup, search, temperature schedule, threads, batches.
    """
    def __init__(self, *, num_players: typing.SupportsInt | typing.SupportsIndex | collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex] | collections.abc.Mapping[typing.SupportsInt | typing.SupportsIndex, typing.SupportsFloat | typing.SupportsIndex] = 4, hand_sizes: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex] = [], trump_mode: blobzero._core.game.TrumpMode | str = 'rotation', no_trump_weight: typing.SupportsFloat | typing.SupportsIndex = 1.0, hook_rule: bool = True, scoring: blobzero._core.game.Scoring | str = 'exact', search: blobzero._core.search.PuctConfig | None = None, temperature_schedule: collections.abc.Sequence[tuple[typing.SupportsInt | typing.SupportsIndex, typing.SupportsFloat | typing.SupportsIndex]] = [(0, 1.0), (11, 0.5), (21, 0.1)], seed: typing.SupportsInt | typing.SupportsIndex = 0, num_threads: typing.SupportsInt | typing.SupportsIndex = 0, games_per_thread: typing.SupportsInt | typing.SupportsIndex = 0, max_batch_size: typing.SupportsInt | typing.SupportsIndex = 256, batches_per_thread: typing.SupportsInt | typing.SupportsIndex = 2, cache_capacity: typing.SupportsInt | typing.SupportsIndex = 262144, record_opponent_views: bool = False, teacher_simulations: typing.SupportsInt | typing.SupportsIndex = 0, teacher_seats: typing.SupportsInt | typing.SupportsIndex = 0, root_value_weight: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> None:
        """
        Every argument is keyword-only; a bad value raises ValueError naming it.
        
        num_players: an int (every game), a list (uniform over its entries) or a dict
            {players: weight} over 3..8.
        hand_sizes: sizes drawn uniformly (those too large for a table are skipped for it); empty means
            1..min(10, 52 // P).
        trump_mode: 'rotation' (trump drawn from C, D, H, S, no trump), 'turn_up', 'none'.
        no_trump_weight: rotation only, the weight of no trump against 1 for each suit (1 = uniform;
            any other value with another trump_mode is a ValueError).
        hook_rule, scoring ('exact', 'oh_hell', 'oh_hell_penalty'): the round's rules.
        search: a PuctConfig; None means 3 worlds x 30 simulations with Dirichlet noise (fraction 0.25,
            alpha 0.3) at the roots. Its temperature is ignored: temperature_schedule applies.
        temperature_schedule: [(first_move, T), ...] from move 0; T = 0 plays the most visited move.
        seed: the run seed; game g is seeded with derive_seed(seed, g).
        num_threads: worker threads, 0 = cores - 1. games_per_thread: 0 = enough to fill the buffers.
        max_batch_size: rows per batch. batches_per_thread: buffers per worker (2+ overlaps packing
            and inference). cache_capacity: entries of the shared evaluation cache (0 = per search).
        record_opponent_views: also record each decision as every other seat sees it (observation,
            encode_actor_mask, the same policy); needs search.information_set_tree.
        teacher_simulations: when > 0, SO-ISMCTS with this many simulations (random playouts, no
            network) plays and labels every decision instead of the network search; the records look
            the same (features as search would encode them, its root visits as the policy) and no batch
            reaches the model.
        teacher_seats: with a teacher, 0 = it plays every seat; k in 1..8 = it plays min(k, P - 1)
            seats drawn for each game from the game's seed, and the network search plays the others.
        root_value_weight: in [0, 1]; the value target of a network-searched decision is
            (1 - w) * the outcome + w * the search's mean root values; with a teacher every decision
            keeps the outcome.
        """
    def temperature_at(self, move_number: typing.SupportsInt | typing.SupportsIndex) -> float:
        ...
    @property
    def batches_per_thread(self) -> int:
        ...
    @property
    def cache_capacity(self) -> int:
        ...
    @property
    def effective_num_threads(self) -> int:
        ...
    @property
    def expected_moves_per_game(self) -> float:
        """
        The mean number of decisions (bids and card plays) of a game this config draws.
        """
    @property
    def games_per_thread(self) -> int:
        ...
    @property
    def hand_sizes(self) -> list[int]:
        ...
    @property
    def hook_rule(self) -> bool:
        ...
    @property
    def max_batch_size(self) -> int:
        ...
    @property
    def no_trump_weight(self) -> float:
        ...
    @property
    def num_players(self) -> dict[int, float]:
        """
        {players: weight} of the player counts drawn.
        """
    @property
    def num_threads(self) -> int:
        ...
    @property
    def record_opponent_views(self) -> bool:
        ...
    @property
    def root_value_weight(self) -> float:
        ...
    @property
    def scoring(self) -> blobzero._core.game.Scoring:
        ...
    @property
    def search(self) -> blobzero._core.search.PuctConfig:
        ...
    @property
    def seed(self) -> int:
        ...
    @property
    def teacher_seats(self) -> int:
        ...
    @property
    def teacher_simulations(self) -> int:
        ...
    @property
    def temperature_schedule(self) -> list[tuple[int, float]]:
        ...
    @property
    def trump_mode(self) -> blobzero._core.game.TrumpMode:
        ...
class SelfPlayStats:
    """
    Counters of the current (or last) run.
    """
    def __repr__(self) -> str:
        ...
    def to_dict(self) -> dict[str, typing.Any]:
        ...
    @property
    def batches(self) -> int:
        ...
    @property
    def cache_entries(self) -> int:
        ...
    @property
    def cache_hit_rate(self) -> float:
        ...
    @property
    def cache_hits(self) -> int:
        """
        Leaves answered without the model (cache, or a duplicate in the batch).
        """
    @property
    def evaluations(self) -> int:
        """
        Rows sent to the model.
        """
    @property
    def forced_moves(self) -> int:
        """
        Moves with one legal action: played without search, not recorded.
        """
    @property
    def games_finished(self) -> int:
        ...
    @property
    def games_per_thread(self) -> int:
        ...
    @property
    def games_total(self) -> int:
        ...
    @property
    def mean_batch_size(self) -> float:
        ...
    @property
    def num_threads(self) -> int:
        ...
    @property
    def positions(self) -> int:
        """
        Records written.
        """
class Batch:
    """
    Positions to evaluate. features/masks are zero-copy views of the engine's buffer, valid until the batch is submitted (the engine never reads them back).
    """
    def __len__(self) -> int:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def features(self) -> numpy.ndarray:
        """
        uint8 [size, 61, 8]: one leaf per row, encoded as the search's PuctConfig says.
        """
    @property
    def id(self) -> int:
        ...
    @property
    def masks(self) -> numpy.ndarray:
        """
        uint8 [size, 70]: legal actions of each row.
        """
    @property
    def model(self) -> int:
        """
        The model that must evaluate these rows.
        """
    @property
    def size(self) -> int:
        ...
class SelfPlayEngine:
    """
    The C++ self-play engine. Use blobzero.selfplay.SelfPlayEngine, which drives it with a model; this class is the raw protocol: start, next_batch/submit until done, take_records.
    """
    def __init__(self, config: SelfPlayConfig) -> None:
        ...
    def cancel(self) -> None:
        """
        Stops the run in progress (joins its threads, drops its games). The engine stays usable. Idempotent.
        """
    def done(self) -> bool:
        """
        True when every game of the run has finished.
        """
    def generate_with(self, evaluator: blobzero._core.search.Evaluator, num_games: typing.SupportsInt | typing.SupportsIndex, first_game_id: typing.SupportsInt | typing.SupportsIndex | None = None) -> dict[str, typing.Any]:
        """
        A whole run evaluated by a C++ Evaluator on this thread (GIL released): the engine's own speed, without Python in the loop.
        """
    def next_batch(self, timeout_s: typing.SupportsFloat | typing.SupportsIndex = 0.05) -> Batch | None:
        """
        The next batch to evaluate, or None after timeout_s seconds or once done() (GIL released while waiting). Raises RuntimeError if a worker failed or the run was cancelled.
        """
    def shutdown(self) -> None:
        """
        cancel(), then refuse further runs. Idempotent; also done when the engine is freed.
        """
    def start(self, num_games: typing.SupportsInt | typing.SupportsIndex, first_game_id: typing.SupportsInt | typing.SupportsIndex | None = None) -> None:
        """
        Starts a run on fresh worker threads and returns at once. Game ids continue from the previous run unless first_game_id is given. Clears the cache and the stats.
        """
    def submit(self, batch: Batch, logits: typing.Any, values: typing.Any) -> None:
        """
        Hands back the model's output for a batch: float arrays [size, 70] and [size, 8]. Raises ValueError naming a wrong type, dtype, shape or a non-finite number.
        """
    def take_records(self) -> dict[str, typing.Any]:
        """
        The records of a finished run as numpy arrays, sorted by game id and move number; ends the run and joins its threads.
        """
    @property
    def config(self) -> SelfPlayConfig:
        ...
    @property
    def running(self) -> bool:
        ...
    @property
    def stats(self) -> SelfPlayStats:
        ...
class ArenaAgent:
    """
    A player of arena games (see ArenaEngine).
    """
    def __init__(self, kind: str, *, puct: blobzero._core.search.PuctConfig | None = None, ismcts: blobzero._core.search.IsmctsConfig | None = None, model: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        """
        kind: 'network' (a PUCT search, `puct`, whose leaves model `model` evaluates), 'random', 'heuristic', 'ismcts' (SO-ISMCTS, `ismcts`) or 'puct_rollout' (a PUCT search, `puct`, over random playouts). Raises ValueError naming a bad field.
        """
    def __repr__(self) -> str:
        ...
    @property
    def ismcts(self) -> blobzero._core.search.IsmctsConfig:
        ...
    @property
    def kind(self) -> str:
        ...
    @property
    def model(self) -> int:
        ...
    @property
    def puct(self) -> blobzero._core.search.PuctConfig:
        ...
class ArenaEngine:
    """
    Arena games of network agents and bots on the self-play engine's worker threads and batches. Use blobzero.evaluation.arena.play_match; this class is the raw protocol: start, next_batch/submit until done (each batch to the model it names), take_results.
    """
    def __init__(self, agents: collections.abc.Sequence[ArenaAgent], *, num_threads: typing.SupportsInt | typing.SupportsIndex = 0, games_per_thread: typing.SupportsInt | typing.SupportsIndex = 0, max_batch_size: typing.SupportsInt | typing.SupportsIndex = 256, batches_per_thread: typing.SupportsInt | typing.SupportsIndex = 0, cache_capacity: typing.SupportsInt | typing.SupportsIndex = 262144) -> None:
        """
        num_threads: worker threads (0: cores - 1); games_per_thread: 0 fills the buffers; batches_per_thread: 0 = two per model; cache_capacity: entries per model's cache.
        """
    def cancel(self) -> list[tuple[list[int], list[int], list[int]] | None]:
        """
        Stops the run (joins its threads) and returns the results not yet taken, None for the games it did not finish. Idempotent.
        """
    def done(self) -> bool:
        """
        True when every game of the run has finished.
        """
    def next_batch(self, timeout_s: typing.SupportsFloat | typing.SupportsIndex = 0.05) -> Batch | None:
        """
        The next batch to evaluate (by model batch.model), or None after timeout_s seconds or once done() (GIL released while waiting).
        """
    def shutdown(self) -> None:
        """
        Cancels and refuses further runs. Idempotent; also done when the engine is freed.
        """
    def start(self, starts: collections.abc.Sequence[blobzero._core.game.State], seatings: collections.abc.Sequence[collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex]], agent_seeds: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex]) -> None:
        """
        Starts game i from starts[i] (a deal before any action) with agent seatings[i][seat] in each seat, every agent reseeded with agent_seeds[i]; returns at once.
        """
    def submit(self, batch: Batch, logits: typing.Any, values: typing.Any) -> None:
        """
        Hands back the model's output for a batch: float arrays [size, 70] and [size, 8].
        """
    def take_results(self) -> list[tuple[list[int], list[int], list[int]] | None]:
        """
        [(scores, bids, tricks)] per game in order, each a list per seat; ends the run.
        """
    @property
    def games_finished(self) -> int:
        """
        Games of the current (or last) run that have finished.
        """
    @property
    def num_models(self) -> int:
        ...
def derive_seed(seed: typing.SupportsInt | typing.SupportsIndex, stream: typing.SupportsInt | typing.SupportsIndex) -> int:
    """
    The child seed of stream `stream` of `seed`: game g of a run is seeded with derive_seed(config.seed, g).
    """
def draw_game(seed: typing.SupportsInt | typing.SupportsIndex, *, num_players: typing.SupportsInt | typing.SupportsIndex | collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex] | collections.abc.Mapping[typing.SupportsInt | typing.SupportsIndex, typing.SupportsFloat | typing.SupportsIndex], hand_sizes: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], trump_mode: blobzero._core.game.TrumpMode | str = 'rotation', no_trump_weight: typing.SupportsFloat | typing.SupportsIndex = 1.0, hook_rule: bool = True, scoring: blobzero._core.game.Scoring | str = 'exact') -> blobzero._core.game.State:
    """
    The start of a game drawn from `seed` exactly as self-play draws game g from
    derive_seed(config.seed, g): a table size (num_players as in SelfPlayConfig), a hand size
    uniformly from hand_sizes ([] = 1..min(10, 52 div P)), a trump per trump_mode and
    no_trump_weight, a dealer, the cards. Unlike self-play, which skips a hand size that does not
    fit a table, every size must fit every table drawn: ValueError names the first that does not.
    """
def make_bot(agent: ArenaAgent, seed: typing.SupportsInt | typing.SupportsIndex = 0) -> blobzero._core.search.Bot:
    """
    The bot an agent that is not a network plays as, seeded `seed`.
    """
