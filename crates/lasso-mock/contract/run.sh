#!/usr/bin/env bash
# `just contract`: checks lasso-mock's responses against the vendor's OpenAPI spec
# (../shared/lasso-openapi.yaml, next to the repository) with schemathesis.
#
# * schemathesis is pinned and installed into its own venv, target/contract-venv
#   (never the project's .venv);
# * the spec's paths are at the root, so the base URL carries the /api/v1 prefix;
# * the spec is first overlaid with the documented deviations (contract/overlay.py,
#   listed in crates/lasso-mock/README.md, "Contract check");
# * every operation is checked for documented status codes, content types, response
#   schemas and the absence of 5xx, with a fixed seed and a bounded number of examples.
#
# Environment: ST_EXAMPLES (examples per operation, default 25), ST_SEED, ST_MODE
# (positive by default; `all` adds negative tests), LASSO_MOCK_BIN (a lasso-mock binary
# to check instead of building the debug one).
set -euo pipefail

ST_VERSION=4.32.5
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
here="$root/crates/lasso-mock/contract"
spec="$root/../shared/lasso-openapi.yaml"
out="$root/target/contract"
venv="$root/target/contract-venv"

if [ ! -f "$spec" ]; then
    echo "contract: the vendor spec is missing: expected ../shared/lasso-openapi.yaml next to the repository, i.e. $spec" >&2
    exit 1
fi

if ! "$venv/bin/st" --version 2>/dev/null | grep -qx "schemathesis, version $ST_VERSION"; then
    echo "contract: installing schemathesis $ST_VERSION into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi

if [ -n "${LASSO_MOCK_BIN:-}" ]; then
    mock=$LASSO_MOCK_BIN
else
    cargo build --quiet -p lasso-mock --bin lasso-mock
    mock="$root/target${CARGO_BUILD_TARGET:+/$CARGO_BUILD_TARGET}/debug/lasso-mock"
fi

mkdir -p "$out"
"$venv/bin/python" "$here/overlay.py" "$spec" "$out/lasso-openapi.mock.yaml"

# Jobs finish at once, and the balance never runs out, so billed operations reach
# their success paths (402 stays documented through the overlay).
"$mock" --port 0 --time-scale 0 --balance 1000000000 >"$out/mock.out" 2>"$out/mock.err" &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    [ -s "$out/mock.out" ] && break
    sleep 0.1
done
url=$(sed -n '1s/^listening on //p' "$out/mock.out")
if [ -z "$url" ]; then
    echo "contract: lasso-mock did not start" >&2
    cat "$out/mock.err" >&2
    exit 1
fi

# Any well-formed key is its own company.
key="lasso_$(printf 'c0ffee%.0s' $(seq 10))c0ff"
echo "contract: schemathesis $ST_VERSION against $url"
# From target/contract, so nothing schemathesis writes lands in the work tree.
cd "$out"
set -x
"$venv/bin/st" --config-file "$here/schemathesis.toml" run "$out/lasso-openapi.mock.yaml" \
    --url "$url" \
    --header "Authorization: Bearer $key" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --mode "${ST_MODE:-positive}" \
    --max-examples "${ST_EXAMPLES:-25}" \
    --seed "${ST_SEED:-20260701}" \
    --generation-database none \
    --no-color \
    --report junit --report-dir "$out/report"
