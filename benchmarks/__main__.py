"""Run benchmarks: ``python -m benchmarks`` runs them all, ``python -m benchmarks NAME [ARGS]``
runs one with its own arguments (``make bench``).

Each module under benchmarks/ that defines ``main(argv)`` is one benchmark; it measures
openrcm and the named peers in the same run and prints the ratios.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import benchmarks


def main(argv: list[str]) -> int:
    if argv:
        runs = [(argv[0], argv[1:])]
    else:
        runs = [(m.name, []) for m in pkgutil.iter_modules(benchmarks.__path__)
                if not m.name.startswith("_")]
    for name, args in sorted(runs):
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name}")
        module.main(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
