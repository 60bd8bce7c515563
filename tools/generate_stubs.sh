#!/usr/bin/env bash
# Regenerates the type stubs of blobzero._core (python/blobzero/_core/*.pyi) from the built
# extension. Needs `pip install pybind11-stubgen` and an installed blobzero.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
pybind11-stubgen blobzero._core -o "$out"
for stub in "$out"/blobzero/_core/*.pyi; do
  # Comparison operators accept any object, unhashable classes set __hash__ to None, bare
  # dicts are str-keyed.
  sed -e 's/def __eq__(self, other: typing.Any)/def __eq__(self, other: object)/' \
      -e 's/def __ne__(self, other: typing.Any)/def __ne__(self, other: object)/' \
      -e 's/def __eq__(self, arg0: [A-Za-z]*)/def __eq__(self, arg0: object)/' \
      -e 's/^\(    __hash__: typing.ClassVar\[None\] = None\)$/\1  # type: ignore[assignment]/' \
      -e 's/-> dict:/-> dict[str, typing.Any]:/' \
      -e 's/: dict\([,)]\)/: dict[str, typing.Any]\1/g' \
      "$stub" > "python/blobzero/_core/$(basename "$stub")"
done
rm -rf "$out"
