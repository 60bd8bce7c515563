"""A BlobNet's size and the features it reads (``NetConfig``, the ``SIZES`` presets), and the
search that plays a network of a config. Free of torch, so configs load without it."""

from __future__ import annotations

from dataclasses import dataclass

from blobzero._core.search import PuctConfig

__all__ = [
    "FEATURE_KINDS",
    "SIZES",
    "NetConfig",
    "net_config",
    "search_config",
    "tree_shape",
    "with_search_options",
]

FEATURE_KINDS = ("world", "observation", "observation+world")


# Far above any network that fits a machine, far below sizes that would exhaust its memory.
_SIZE_LIMITS = {"d_model": 8192, "num_layers": 128, "num_heads": 256, "ff_multiplier": 64}


@dataclass(frozen=True)
class NetConfig:
    """Size of a BlobNet and the features it reads. ``SIZES`` holds the named size presets.

    ``features``: "world" (a PIMC-PUCT network: world features of the player to act in each
    sampled world), "observation" (an information-set network: the searcher's observation
    at every node, priors for whoever acts there, the searcher's view of every seat's value)
    or "observation+world" (an information-set network whose values come from a critic that
    sees the node's sampled world: holder features, ``encode(..., holders=True)``). The search
    that plays a network follows from it (``search_config``).

    ``card_relations``: each card token also embeds two relations the network computes from
    its features (``blobzero.nn.network.CardRelations``): where the card stands against the
    current trick (winning it, beaten in it, would win it or lose it if played from the hand
    now) and how many cards that someone else may still hold outrank it in its suit, so that a
    small network need not derive them by attention.

    ``tricks_head``: the network also predicts how many tricks each seat will have taken when
    the round ends (``BlobNet.outputs``), an auxiliary training target (KataGo's ownership and
    score targets are the model) that the search never reads."""

    d_model: int = 64
    num_layers: int = 2
    num_heads: int = 4
    ff_multiplier: int = 2
    dropout: float = 0.0
    features: str = "world"
    card_relations: bool = False
    tricks_head: bool = False

    def __post_init__(self) -> None:
        if self.features not in FEATURE_KINDS:
            raise ValueError(
                f"features = {self.features!r} is not one of: {', '.join(FEATURE_KINDS)}"
            )
        for name, largest in _SIZE_LIMITS.items():
            value = getattr(self, name)
            if not 1 <= value <= largest:
                raise ValueError(f"{name} = {value} is outside 1..{largest}")
        if self.d_model % self.num_heads != 0:
            raise ValueError(
                f"d_model = {self.d_model} is not divisible by num_heads = {self.num_heads}"
            )
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout = {self.dropout} is outside [0, 1)")


SIZES: dict[str, NetConfig] = {
    "tiny": NetConfig(d_model=32, num_layers=1, num_heads=2, ff_multiplier=2),
    "small": NetConfig(d_model=64, num_layers=2, num_heads=4, ff_multiplier=2),
    "base": NetConfig(d_model=256, num_layers=6, num_heads=8, ff_multiplier=4),
}


def tree_shape(features: str) -> dict[str, bool]:
    """The PuctConfig fields that choose the tree a network reading ``features`` is played by:
    PIMC trees for "world", one information-set tree otherwise, with a world critic for
    "observation+world"."""
    if features not in FEATURE_KINDS:
        raise ValueError(f"features = {features!r} is not one of: {', '.join(FEATURE_KINDS)}")
    return {
        "information_set_tree": features != "world",
        "world_critic": features == "observation+world",
    }


def search_config(
    config: NetConfig,
    num_worlds: int,
    simulations_per_world: int,
    **options: float | bool,
) -> PuctConfig:
    """The PuctConfig that plays a network of ``config`` (``tree_shape`` of its features);
    ``options`` are the other PuctConfig fields (c_puct, dirichlet_fraction, temperature, ...)."""
    return PuctConfig(
        num_worlds=num_worlds,
        simulations_per_world=simulations_per_world,
        **tree_shape(config.features),
        **options,  # type: ignore[arg-type]
    )


def with_search_options(config: PuctConfig, **options: float | bool) -> PuctConfig:
    """A copy of ``config`` with the PuctConfig fields named in ``options`` changed (for example
    ``max_evaluations=90, num_worlds=10, simulations_per_world=100``). Raises ValueError naming
    an unknown field or a bad value."""
    fields = {name for name, value in vars(PuctConfig).items() if isinstance(value, property)}
    unknown = sorted(set(options) - fields)
    if unknown:
        raise ValueError(
            f"unknown search option {unknown[0]!r} (PuctConfig fields: {', '.join(sorted(fields))})"
        )
    return PuctConfig(**({name: getattr(config, name) for name in fields} | options))


def net_config(size: str | NetConfig) -> NetConfig:
    """The NetConfig of a preset name ('tiny', 'small', 'base') or the config itself."""
    if isinstance(size, NetConfig):
        return size
    if size not in SIZES:
        raise ValueError(f"unknown network size {size!r} (expected one of: {', '.join(SIZES)})")
    return SIZES[size]
