"""Run every benchmark: ``python -m benchmarks [NAME ...]`` (``make bench``).

Each module under benchmarks/ that defines ``main(argv)`` is one benchmark; it measures
openrcm and the named peers in the same run and prints the ratios.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import benchmarks


def main(argv: list[str]) -> int:
    names = argv or sorted(
        m.name for m in pkgutil.iter_modules(benchmarks.__path__) if not m.name.startswith("_")
    )
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name}")
        module.main([])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
