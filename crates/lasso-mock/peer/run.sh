#!/usr/bin/env bash
# `just peer`: the official Python SDK (lasso-ai 0.1.2 from PyPI), which we did not
# write, runs its README's examples against lasso-mock (see readme_examples.py).
# Its venv is cached in target/peer-venv and rebuilt only when requirements.txt
# changes; after that the run takes a few seconds.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
here="$root/crates/lasso-mock/peer"
venv="$root/target/peer-venv"
out="$root/target/peer"

if ! cmp -s "$here/requirements.txt" "$venv/.requirements.txt" 2>/dev/null; then
    echo "peer: creating $venv with lasso-ai 0.1.2"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$venv/.requirements.txt"
fi

cargo build --quiet -p lasso-mock --bin lasso-mock
mock="$root/target${CARGO_BUILD_TARGET:+/$CARGO_BUILD_TARGET}/debug/lasso-mock"

mkdir -p "$out"
# Real job timings (extraction takes 1.2 s), so the README's polling loop polls.
"$mock" --port 0 >"$out/mock.out" 2>"$out/mock.err" &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    [ -s "$out/mock.out" ] && break
    sleep 0.1
done
url=$(sed -n '1s/^listening on //p' "$out/mock.out")
if [ -z "$url" ]; then
    echo "peer: lasso-mock did not start" >&2
    cat "$out/mock.err" >&2
    exit 1
fi

"$venv/bin/python" "$here/readme_examples.py" "$url"
