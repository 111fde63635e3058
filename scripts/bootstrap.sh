#!/usr/bin/env bash
# Prepare a fresh machine (Python 3.11+, pip, apt) for openrcm: system packages the test suite
# needs, then a virtual environment with the project and its extras. Safe to run again.
#   scripts/bootstrap.sh        runtime only (what `make run` needs)
#   scripts/bootstrap.sh dev    plus the test, lint and benchmark tools and the PostgreSQL server
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-runtime}"

need_apt=()
# LightGBM (the learned CodiEsp ranker's trees) links the GNU OpenMP runtime
ldconfig -p 2>/dev/null | grep -q 'libgomp\.so\.1' || need_apt+=(libgomp1)
if [ "$mode" = dev ]; then
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need_apt+=(postgresql)
  command -v pdftoppm >/dev/null || need_apt+=(poppler-utils)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bootstrap: please install with your package manager: ${need_apt[*]}" >&2
    exit 1
  fi
  echo "bootstrap: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

python="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$python" -m venv .venv
stamp=".venv/.installed-$mode"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  if [ "$mode" = dev ]; then
    .venv/bin/python -m pip install -q -e '.[dev]'
  else
    .venv/bin/python -m pip install -q -e .
  fi
  touch "$stamp"
fi
