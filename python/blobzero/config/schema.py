"""The machinery of the config schema: ``ConfigError``, type checking and coercion of TOML
values against dataclass type hints, "did you mean" suggestions, the ``_Section`` base every
section derives from, and TOML value reading and writing."""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import json
import math
import tomllib
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Union

from blobzero._core.game import MAX_HAND_SIZE, MAX_PLAYERS, MIN_PLAYERS, NUM_CARDS

MAX_SEED = 2**64 - 1


class ConfigError(ValueError):
    """A bad configuration: the message names the dotted key (or the file) at fault.

    ``key`` holds the dotted key when one is at fault, else None.
    """

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


# -- type checking ----------------------------------------------------------------------------


def _show(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def _describe(hint: Any) -> str:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (Union, types.UnionType):
        return " | ".join(_describe(arg) for arg in args)
    if origin is list:
        return f"list[{_describe(args[0])}]"
    if origin is tuple:
        return "[" + ", ".join(_describe(arg) for arg in args) + "]"
    if origin is dict:
        return f"table {{{_describe(args[0])} = {_describe(args[1])}}}"
    if isinstance(hint, type):
        return hint.__name__
    return str(hint)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _kind_matches(value: object, hint: Any) -> bool:
    """Whether ``value`` has the outer shape of ``hint`` (to pick a member of a union)."""
    origin = typing.get_origin(hint)
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return _is_int(value)
    if hint is float:
        return _is_int(value) or isinstance(value, float)
    if hint is str:
        return isinstance(value, str)
    if origin in (list, tuple):
        return isinstance(value, (list, tuple))
    if origin is dict:
        return isinstance(value, Mapping)
    return isinstance(hint, type) and isinstance(value, hint)


def _type_error(key: str, hint: Any, value: object) -> ConfigError:
    return ConfigError(f"{key}: expected {_describe(hint)}, got {_show(value)}", key)


def _coerce(value: object, hint: Any, key: str) -> Any:
    """``value`` checked against the type ``hint`` and normalised: ints to floats where a float
    is expected, sequences to lists (tuples for tuple types), dict keys to strings."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (Union, types.UnionType):
        for arg in args:
            if _kind_matches(value, arg):
                return _coerce(value, arg, key)
        raise _type_error(key, hint, value)
    if not _kind_matches(value, hint):
        raise _type_error(key, hint, value)
    if hint is float:
        number = float(value)  # type: ignore[arg-type]
        if not math.isfinite(number):
            raise ConfigError(f"{key}: must be a finite number, got {value!r}", key)
        return number
    if origin is list:
        assert isinstance(value, (list, tuple))
        return [_coerce(item, args[0], f"{key}[{i}]") for i, item in enumerate(value)]
    if origin is tuple:
        assert isinstance(value, (list, tuple))
        if len(value) != len(args):
            raise ConfigError(
                f"{key}: expected {len(args)} entries {_describe(hint)}, got {_show(value)}", key
            )
        return tuple(
            _coerce(item, arg, f"{key}[{i}]")
            for i, (item, arg) in enumerate(zip(value, args, strict=True))
        )
    if origin is dict:
        assert isinstance(value, Mapping)
        result: dict[Any, Any] = {}
        for raw_key, item in value.items():
            # TOML table keys are strings; int keys from Python are accepted as their digits.
            name = str(raw_key) if args[0] is str and _is_int(raw_key) else raw_key
            name = _coerce(name, args[0], f"{key} key")
            result[name] = _coerce(item, args[1], f"{key}.{name}")
        return result
    return value


def _suggest(name: str, candidates: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return close[0] if close else ""


# -- sections ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Section:
    """Base of the settings dataclasses: checks and normalises every field's type in
    ``__post_init__`` (raising ConfigError naming ``<section>.<field>``), then ``_validate``."""

    SECTION: ClassVar[str] = ""

    def __post_init__(self) -> None:
        hints = _type_hints(type(self))
        for f in dataclasses.fields(self):
            value = _coerce(getattr(self, f.name), hints[f.name], self._key(f.name))
            object.__setattr__(self, f.name, value)
        self._validate()

    def _validate(self) -> None:
        """Range checks; overridden per section."""

    def _key(self, name: str) -> str:
        return f"{self.SECTION}.{name}" if self.SECTION else name

    def _fail(self, name: str, message: str) -> ConfigError:
        key = self._key(name)
        return ConfigError(f"{key}: {message}", key)

    def _at_least(self, name: str, minimum: int | float) -> None:
        value = getattr(self, name)
        if value < minimum:
            raise self._fail(name, f"must be >= {minimum}, got {value!r}")

    def _positive(self, *names: str) -> None:
        for name in names:
            value = getattr(self, name)
            if not value > 0:
                raise self._fail(name, f"must be positive, got {value!r}")

    def _non_negative(self, *names: str) -> None:
        for name in names:
            self._at_least(name, 0)

    def _fraction(self, *names: str) -> None:
        for name in names:
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise self._fail(name, f"must be in [0, 1], got {value!r}")

    def _choice(self, name: str, choices: Sequence[str]) -> None:
        value = getattr(self, name)
        if value not in choices:
            suggestion = _suggest(value, choices)
            hint = f"; did you mean {suggestion!r}?" if suggestion else ""
            raise self._fail(name, f"{value!r} is not one of {', '.join(map(repr, choices))}{hint}")

    def _hand_sizes(self, name: str, allowed_players: Sequence[int]) -> None:
        """Hand sizes in 1..17, and some size fits a table of each of ``allowed_players``."""
        sizes: list[int] = getattr(self, name)
        for i, size in enumerate(sizes):
            if not 1 <= size <= MAX_HAND_SIZE:
                raise self._fail(f"{name}[{i}]", f"{size} is outside 1..{MAX_HAND_SIZE}")
        if not sizes:
            return
        for players in allowed_players:
            if min(sizes) > NUM_CARDS // players:
                raise self._fail(
                    name,
                    f"no hand size in {sizes} fits a table of {players} players "
                    f"(at most {NUM_CARDS // players} cards each)",
                )

    def _players(self, name: str, value: int, where: str | None = None) -> None:
        if not MIN_PLAYERS <= value <= MAX_PLAYERS:
            raise self._fail(where or name, f"{value} is outside {MIN_PLAYERS}..{MAX_PLAYERS}")


_HINTS: dict[type, dict[str, Any]] = {}


def _type_hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = typing.get_type_hints(cls)
        _HINTS[cls] = hints
    return hints


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{_toml_value(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    raise TypeError(f"cannot write {_show(value)} as TOML")


def _parse_value(text: str) -> Any:
    """``text`` as a TOML value, or the bare string when it is not one."""
    try:
        parsed = tomllib.loads(f"value = {text}")
    except tomllib.TOMLDecodeError:
        return text.strip()
    value = parsed.get("value")
    # A TOML date or time (run_dir=2024-01-01) is meant as the string.
    if list(parsed) != ["value"] or isinstance(value, (datetime.date, datetime.time)):
        return text.strip()
    return value
