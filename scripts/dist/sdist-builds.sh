#!/usr/bin/env bash
# The sdist builds from source: pip builds a wheel from target/dist/python/lasso-*.tar.gz
# alone (maturin from the virtualenv; a debug build, into the workspace's target
# directory so that the dependencies compiled already are reused), and that wheel
# imports and answers on CPython.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/.venv"
# maturin (the build backend, without build isolation) from the virtualenv.
export PATH="$venv/bin:$PATH"
sdist="$(ls "$root"/target/dist/python/lasso-*.tar.gz)"
work="$root/target/dist-sdist"
rm -rf "$work" && mkdir -p "$work"
start=$SECONDS
CARGO_TARGET_DIR="$root/target" MATURIN_PEP517_ARGS="--profile dev" \
  "$venv/bin/python" -m pip wheel --quiet --disable-pip-version-check --no-deps --no-build-isolation \
  --wheel-dir "$work" "$sdist"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index "$work"/lasso-*.whl
(cd "$work" && "$work/venv/bin/python" -c "import lasso; print('sdist: built and imported', lasso.__version__)")
"$work/venv/bin/lasso" --version
echo "sdist: built from source in $(( SECONDS - start )) s"
rm -rf "$work"
