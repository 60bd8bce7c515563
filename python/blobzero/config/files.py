"""Config files: the configs that ship with blobzero, and reading one with overrides."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path

from blobzero.config.schema import ConfigError
from blobzero.config.sections import Config, apply_overrides, config_from_dict


def _config_directories() -> list[Path]:
    """Where the shipped configs are: inside the installed package, or in the source tree."""
    package = Path(__file__).resolve().parents[1]  # blobzero/
    return [package / "configs", package.parents[1] / "configs"]


def shipped_configs() -> dict[str, Path]:
    """Name -> file of the configs that ship with blobzero ("default", "tiny", "cpu_1h", ...)."""
    for directory in _config_directories():
        found = {path.stem: path for path in sorted(directory.glob("*.toml"))}
        if found:
            return found
    return {}


def resolve_config_path(text: str | Path) -> Path:
    """The config file ``text`` names: a path, or the name of a shipped config ("default" or
    "default.toml"). Raises ConfigError listing the shipped names for a bare name that is
    neither a file here nor shipped."""
    path = Path(text)
    if path.exists() or path.parent != Path("."):  # a path: reading it names any problem
        return path
    shipped = shipped_configs()
    name = path.name.removesuffix(".toml")
    if path.parent == Path(".") and name in shipped:
        return shipped[name]
    raise ConfigError(
        f"{str(text)!r} is neither a config file nor a shipped config "
        f"({', '.join(shipped) or 'none found'})"
    )


def load_config(path: str | Path, overrides: Sequence[str] = ()) -> Config:
    """Reads the TOML config file ``path`` (or the shipped config of that name,
    ``resolve_config_path``), applies ``overrides`` (see ``apply_overrides``) and validates it.
    Raises ConfigError naming the file if it cannot be read or is not valid TOML,
    and naming the file and the dotted key for a bad key or value."""
    path = resolve_config_path(path)
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read config file: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not a valid TOML file: {error}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not a config: its values are nested too deeply") from None
    where = f"{path} with overrides" if overrides else str(path)
    try:
        apply_overrides(data, overrides)
        return config_from_dict(data)
    except ConfigError as error:
        raise ConfigError(f"{where}: {error}", error.key) from None
