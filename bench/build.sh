#!/usr/bin/env bash
# Release artefacts for the benchmarks (run by `just bench` before bench/run.py):
#   target/<triple>/release/{lasso-mock,lasso-bench,liblasso_napi.so}
#   bench/.venv          our release wheel (maturin build --release) + httpx, pandas, pyarrow, polars
#   bench/.venv-peer     lasso-ai 0.1.2 (its import name `lasso` clashes with ours) + the same three
#   bench/node_modules/@lasso-ai/sdk   node/ compiled by tsc + the release addon
#   ai.lasso:lasso-sdk in ~/.m2 with the release native library, and
#   bench/kotlin/target/{classes,classpath.txt}   the Kotlin benchmark program
#   wrk (Debian), or oha (crates.io) when apt cannot install wrk
# Nothing outside bench/, target/, kotlin/target/ and ~/.m2 is written; python/ and node/ are only read.
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$bench")"
export CARGO_BUILD_TARGET="${CARGO_BUILD_TARGET:-$(rustc -vV | sed -n 's/^host: //p')}"
release="$root/target/$CARGO_BUILD_TARGET/release"
step() { printf '\n[bench build] %s\n' "$*" >&2; }

# Each built on its own, so that cargo's feature unification cannot change what
# is measured: the addon embeds the emulator (serde_json's `preserve_order`, the
# server features of hyper/axum), which a Rust user's lasso-ai never gets.
for crate in lasso-napi lasso-bench lasso-mock; do
  step "cargo build --release -p $crate"
  cargo build --release -p "$crate" --manifest-path "$root/Cargo.toml"
done

step "bench/.venv: maturin build --release (our wheel) + httpx"
[ -x "$bench/.venv/bin/python" ] || python3 -m venv "$bench/.venv"
"$bench/.venv/bin/python" -m pip install --quiet --disable-pip-version-check maturin==1.16.0 httpx==0.28.1
# Round two (DataFrames, bench/df_bench.py): the same pandas, pyarrow and polars on both sides.
df_libs=(pandas==2.3.3 numpy==2.2.6 pyarrow==26.0.1 polars==2.1.0)
"$bench/.venv/bin/python" -m pip install --quiet --disable-pip-version-check "${df_libs[@]}"
rm -rf "$bench/tmp/wheels"
(cd "$root/python" && "$bench/.venv/bin/maturin" build --release --quiet \
  -i "$bench/.venv/bin/python" -o "$bench/tmp/wheels")
"$bench/.venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps \
  "$bench"/tmp/wheels/lasso-*.whl

step "bench/.venv-peer: lasso-ai 0.1.2"
[ -x "$bench/.venv-peer/bin/python" ] || python3 -m venv "$bench/.venv-peer"
"$bench/.venv-peer/bin/python" -m pip install --quiet --disable-pip-version-check lasso-ai==0.1.2 "${df_libs[@]}"

step "bench/node_modules/@lasso-ai/sdk: tsc + release addon"
pkg="$bench/node_modules/@lasso-ai/sdk"
rm -rf "$pkg"
mkdir -p "$pkg/scripts"
cp "$root/node/package.json" "$pkg/"
cp "$root/node/scripts/build-esm.mjs" "$pkg/scripts/"
[ -x "$root/node/node_modules/.bin/tsc" ] || (cd "$root/node" && npm ci --no-audit --no-fund --loglevel=error)
"$root/node/node_modules/.bin/tsc" -p "$root/node/tsconfig.json" --outDir "$pkg/dist"
node "$pkg/scripts/build-esm.mjs" >/dev/null
cp "$release/liblasso_napi.so" "$pkg/lasso.node"

step "ai.lasso:lasso-sdk (release native library) into ~/.m2, and bench/kotlin"
mvn_flags=(--batch-mode --no-transfer-progress --quiet)
(cd "$root/kotlin" && mvn "${mvn_flags[@]}" install -Dmaven.test.skip=true -Dlasso.profile=release)
(cd "$bench/kotlin" && mvn "${mvn_flags[@]}" compile dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime)
# `java @bench/kotlin/target/java.args BenchKt …`: the class path in an argument file.
printf -- '-cp %s\n' "$bench/kotlin/target/classes:$(cat "$bench/kotlin/target/classpath.txt")" >"$bench/kotlin/target/java.args"

if ! command -v wrk >/dev/null; then
  step "installing wrk (Debian), or oha (crates.io) as the fallback"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  if ! { $sudo_cmd apt-get install -y wrk >/dev/null 2>&1 ||
         { $sudo_cmd apt-get update >/dev/null 2>&1 && $sudo_cmd apt-get install -y wrk >/dev/null 2>&1; }; }; then
    command -v oha >/dev/null || [ -x "$HOME/.cargo/bin/oha" ] || cargo install oha --locked
  fi
fi
step "done"
