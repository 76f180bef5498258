#!/usr/bin/env bash
# The demo behind `./just demo`: the same quick start in Rust, Python, Node and Kotlin,
# then in one command of `lasso` (the README's first command-line example).
# Without LASSO_API_KEY it starts lasso-mock and points every language at it;
# with LASSO_API_KEY (and optionally LASSO_BASE_URL) it uses that server.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
triple="${CARGO_BUILD_TARGET:-$(rustc -vV | sed -n 's/^host: //p')}"
bin="$root/target/$triple/debug"

if [ -z "${LASSO_API_KEY:-}" ]; then
  log="$(mktemp)"
  "$bin/lasso-mock" --port 0 >"$log" &
  mock_pid=$!
  trap 'kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; rm -f "$log"' EXIT
  for _ in $(seq 100); do
    grep -q '^listening on ' "$log" && break
    kill -0 "$mock_pid" 2>/dev/null || { echo "lasso-mock failed to start" >&2; exit 1; }
    sleep 0.05
  done
  url="$(sed -n 's/^listening on //p' "$log" | head -n 1)"
  [ -n "$url" ] || { echo "lasso-mock did not print its URL" >&2; exit 1; }
  export LASSO_BASE_URL="$url"
  # A well-formed demo key: lasso-mock treats every such key as its own company.
  LASSO_API_KEY="lasso_$(printf '%064d' 0 | tr 0 d)"
  export LASSO_API_KEY
  echo "Using lasso-mock at $url (no LASSO_API_KEY set)"
else
  echo "Using the Lasso API at ${LASSO_BASE_URL:-https://hub.banditshq.com/api/v1}"
fi

echo; echo "== Rust (crates/lasso-ai/examples/quickstart.rs)"
"$bin/examples/quickstart"
echo; echo "== Python (python/examples/quickstart.py)"
"$root/.venv/bin/python" "$root/python/examples/quickstart.py"
echo; echo "== Node (node/examples/quickstart.mjs)"
node "$root/node/examples/quickstart.mjs"
echo; echo "== Kotlin (kotlin/examples/Quickstart.kt)"
# The jar `./just build` installed into ~/.m2 (it carries the native library), its
# runtime dependencies, and the compiled example.
jar="${HOME}/.m2/repository/ai/lasso/lasso-sdk/0.1.0/lasso-sdk-0.1.0.jar"
java -cp "$jar:$root/kotlin/target/test-classes:$(cat "$root/kotlin/target/classpath.txt")" ai.lasso.examples.QuickstartKt
echo; echo "== Command line (README: Command line), files of crates/lasso-cli/examples"
work="$(mktemp -d)"
cp "$root/crates/lasso-cli/examples/bottles.txt" "$root/crates/lasso-cli/examples/schema.json" "$work/"
(
  cd "$work"
  PATH="$bin:$PATH"
  lasso extract bottles.txt --schema schema.json --export bottles.csv
  echo "bottles.csv:"; cat bottles.csv
)
rm -rf "$work"
