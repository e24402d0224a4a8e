#!/usr/bin/env bash
# Sets up arsip on Debian/Ubuntu: system packages (tesseract with ind+eng), a virtual
# environment in .venv, and the package. `--test` also installs what the tests need.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[[ "${1:-}" == "--test" ]] && want_tests=1

say() { printf 'arsip setup: %s\n' "$*" >&2; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@";
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@";
  else return 1; fi
}

packages=()
command -v tesseract >/dev/null || packages+=(tesseract-ocr)
langs=$(tesseract --list-langs 2>/dev/null || true)
for lang in ind eng osd; do
  grep -qx "$lang" <<<"$langs" || packages+=("tesseract-ocr-$lang")
done
python3 -c 'import venv, ensurepip' 2>/dev/null || packages+=(python3-venv)
if [[ $want_tests -eq 1 ]]; then
  command -v redis-server >/dev/null || packages+=(redis-server)
fi

if [[ ${#packages[@]} -gt 0 ]]; then
  say "installing ${packages[*]}"
  if ! { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null; }; then
    say "could not install ${packages[*]} (no root or sudo, or not Debian/Ubuntu)."
    say "Install them yourself, e.g.: sudo apt-get install ${packages[*]}"
    say "(on macOS: brew install tesseract tesseract-lang redis), then run this again."
    exit 4
  fi
fi

python3 - <<'PY' || { say "arsip needs Python 3.11 or newer (found $(python3 --version))"; exit 4; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

[[ -x .venv/bin/python ]] || python3 -m venv .venv
extra=""
[[ $want_tests -eq 1 ]] && extra="[test]"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".${extra}"
# arsip's own modules compiled once: where PYTHONDONTWRITEBYTECODE is set, every command would
# otherwise compile them again at each start (0.2 s of CPU per process: 3 for `arsip run`).
PYTHONDONTWRITEBYTECODE= .venv/bin/python -m compileall -q -j 0 arsip cli config index intake workers >/dev/null
say "ready: $(.venv/bin/arsip --version), tesseract $(tesseract --version 2>&1 | head -1 | cut -d' ' -f2)"
