"""
Evaluators, PIMC-PUCT, IS-MCTS and bots.
"""
from __future__ import annotations
import blobzero._core.game
import numpy
import numpy.typing
import typing
__all__: list[str] = ['Bot', 'ConstantEvaluator', 'Evaluator', 'HeuristicBot', 'IsmctsBot', 'IsmctsConfig', 'IsmctsResult', 'IsmctsSearch', 'PimcBot', 'PimcSearch', 'PuctConfig', 'PythonEvaluator', 'RandomBot', 'RolloutEvaluator', 'SearchResult', 'uct_c_from_raw_scores']
class Evaluator:
    """
    Scores batches of positions for search: policy logits [B, 70] and values [B, 8] per relative seat. Any callable fn(features, masks) -> (logits, values) may stand in for one.
    """
    @property
    def needs_features(self) -> bool:
        ...
class RolloutEvaluator(Evaluator):
    """
    Uniform priors; values from random playouts of the leaf position.
    """
    def __init__(self, seed: typing.SupportsInt | typing.SupportsIndex = 0, num_rollouts: typing.SupportsInt | typing.SupportsIndex = 1, relative_values: bool = False) -> None:
        ...
class ConstantEvaluator(Evaluator):
    """
    Uniform priors and one constant value: measures the search alone.
    """
    def __init__(self, value: typing.SupportsFloat | typing.SupportsIndex = 0.0, needs_features: bool = True) -> None:
        ...
class PythonEvaluator(Evaluator):
    """
    Calls fn(features uint8 [B,61,8], masks uint8 [B,70]) -> (logits [B,70], values [B,8]) once per batch. Bad output (shape, dtype, NaN) raises ValueError.
    """
    def __init__(self, fn: typing.Any) -> None:
        ...
    @property
    def num_calls(self) -> int:
        ...
    @property
    def num_positions(self) -> int:
        ...
class PuctConfig:
    """
    Settings of a PUCT search: PIMC trees over num_worlds sampled worlds (world features), or with information_set_tree one tree over the searcher's information sets of num_worlds * simulations_per_world simulations, each in its own sampled world (observation features; with world_critic holder features, for a network whose value reads the leaf's world). inference_candidates > 0 draws the worlds in proportion to how likely the opponents' bids are in them (a bid model of spread bid_spread tricks). improved_policy_scale > 0 plays and reports Gumbel AlphaZero's completed-Q improved policy instead of the visits.
    """
    def __init__(self, num_worlds: typing.SupportsInt | typing.SupportsIndex = 3, simulations_per_world: typing.SupportsInt | typing.SupportsIndex = 30, c_puct: typing.SupportsFloat | typing.SupportsIndex = 1.5, leaves_per_tree: typing.SupportsInt | typing.SupportsIndex = 1, virtual_loss: typing.SupportsFloat | typing.SupportsIndex = 1.0, fpu_reduction: typing.SupportsFloat | typing.SupportsIndex = 0.2, dirichlet_alpha: typing.SupportsFloat | typing.SupportsIndex = 0.3, dirichlet_fraction: typing.SupportsFloat | typing.SupportsIndex = 0.0, temperature: typing.SupportsFloat | typing.SupportsIndex = 0.0, relative_values: bool = False, perfect_information: bool = False, use_cache: bool = True, information_set_tree: bool = False, world_critic: bool = False, rollout_weight: typing.SupportsFloat | typing.SupportsIndex = 0.0, inference_candidates: typing.SupportsInt | typing.SupportsIndex = 0, bid_spread: typing.SupportsFloat | typing.SupportsIndex = 1.0, max_evaluations: typing.SupportsInt | typing.SupportsIndex = 0, improved_policy_scale: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> None:
        ...
    @property
    def bid_spread(self) -> float:
        ...
    @property
    def c_puct(self) -> float:
        ...
    @property
    def dirichlet_alpha(self) -> float:
        ...
    @property
    def dirichlet_fraction(self) -> float:
        ...
    @property
    def fpu_reduction(self) -> float:
        ...
    @property
    def improved_policy_scale(self) -> float:
        ...
    @property
    def inference_candidates(self) -> int:
        ...
    @property
    def information_set_tree(self) -> bool:
        ...
    @property
    def leaves_per_tree(self) -> int:
        ...
    @property
    def max_evaluations(self) -> int:
        ...
    @property
    def num_worlds(self) -> int:
        ...
    @property
    def perfect_information(self) -> bool:
        ...
    @property
    def relative_values(self) -> bool:
        ...
    @property
    def rollout_weight(self) -> float:
        ...
    @property
    def simulations_per_world(self) -> int:
        ...
    @property
    def temperature(self) -> float:
        ...
    @property
    def use_cache(self) -> bool:
        ...
    @property
    def virtual_loss(self) -> float:
        ...
    @property
    def world_critic(self) -> bool:
        ...
class SearchResult:
    """
    What a search found at its root.
    """
    def __repr__(self) -> str:
        ...
    @property
    def action(self) -> int:
        ...
    @property
    def action_values(self) -> numpy.typing.NDArray[numpy.float32]:
        """
        float32 [70]: the searcher's mean value through each root action (0 where unvisited).
        """
    @property
    def cache_hits(self) -> int:
        ...
    @property
    def num_batches(self) -> int:
        ...
    @property
    def num_evaluations(self) -> int:
        ...
    @property
    def policy(self) -> numpy.typing.NDArray[numpy.float32]:
        """
        float32 [70]: the policy target: the visits normalised, or the completed-Q improved policy when improved_policy_scale > 0.
        """
    @property
    def root_values(self) -> list[float]:
        """
        Mean root value per absolute seat.
        """
    @property
    def terminal_leaves(self) -> int:
        ...
    @property
    def visits(self) -> numpy.typing.NDArray[numpy.int32]:
        """
        int32 [70]: root visits per action, summed over worlds.
        """
class PimcSearch:
    """
    PIMC-PUCT: D determinizations of the searcher's information set, S PUCT simulations each, leaves of all trees evaluated in one batch, root visits summed over worlds.
    """
    def __init__(self, config: PuctConfig, evaluator: typing.Any) -> None:
        ...
    def run(self, state: blobzero._core.game.State, seed: typing.SupportsInt | typing.SupportsIndex = 0) -> SearchResult:
        """
        Searches the decision of the player to act in `state`.
        """
    @property
    def config(self) -> PuctConfig:
        ...
class IsmctsConfig:
    """
    Settings of an SO-ISMCTS search.
    """
    def __init__(self, simulations: typing.SupportsInt | typing.SupportsIndex = 1000, uct_c: typing.SupportsFloat | typing.SupportsIndex = 0.67, relative_values: bool = False, final_policy: str = 'max_visit_count') -> None:
        """
        uct_c is on the [-1, 1] value scale; uct_c_from_raw_scores converts OpenSpiel's.
        """
    @property
    def relative_values(self) -> bool:
        ...
    @property
    def simulations(self) -> int:
        ...
    @property
    def uct_c(self) -> float:
        ...
class IsmctsResult:
    """
    What an IS-MCTS search found.
    """
    @property
    def action(self) -> int:
        ...
    @property
    def mean_values(self) -> numpy.typing.NDArray[numpy.float32]:
        ...
    @property
    def num_nodes(self) -> int:
        ...
    @property
    def policy(self) -> numpy.typing.NDArray[numpy.float32]:
        ...
    @property
    def simulations(self) -> int:
        ...
    @property
    def visits(self) -> numpy.typing.NDArray[numpy.int32]:
        ...
class IsmctsSearch:
    """
    SO-ISMCTS: one tree over the searcher's information sets, a fresh uniform determinization per simulation, UCB1 with availability counts, random rollouts.
    """
    def __init__(self, config: IsmctsConfig) -> None:
        ...
    def run(self, state: blobzero._core.game.State, seed: typing.SupportsInt | typing.SupportsIndex = 0) -> IsmctsResult:
        ...
class Bot:
    """
    A player: act(state, observer) returns a legal action for `observer`, the player to act, reading only what that player may know.
    """
    def __repr__(self) -> str:
        ...
    def act(self, state: blobzero._core.game.State, observer: typing.SupportsInt | typing.SupportsIndex) -> int:
        ...
    def reseed(self, seed: typing.SupportsInt | typing.SupportsIndex) -> None:
        """
        Restarts the bot's random stream.
        """
    @property
    def name(self) -> str:
        ...
class RandomBot(Bot):
    """
    Uniformly random legal moves.
    """
    def __init__(self, seed: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        ...
class HeuristicBot(Bot):
    """
    Rule-based: bids from high cards, trumps and short suits; plays to make exactly its bid.
    """
    def __init__(self, seed: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        ...
class IsmctsBot(Bot):
    """
    Plays the move of an SO-ISMCTS search.
    """
    def __init__(self, config: IsmctsConfig = ..., seed: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        ...
    @property
    def last_result(self) -> IsmctsResult:
        ...
class PimcBot(Bot):
    """
    Plays the move of a PUCT search (PuctConfig) with any evaluator.
    """
    def __init__(self, config: PuctConfig, evaluator: typing.Any, seed: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        ...
    @property
    def config(self) -> PuctConfig:
        ...
    @property
    def last_result(self) -> SearchResult:
        ...
def uct_c_from_raw_scores(raw_uct_c: typing.SupportsFloat | typing.SupportsIndex, rules: blobzero._core.game.RoundRules) -> float:
    """
    Our exploration constant equivalent to one on raw round scores.
    """
