#!/usr/bin/env bash
# The third-party licence report of every binary artifact (target/dist/licenses/*.md,
# published beside the artifacts), by cargo-about from the crates each one compiles
# in, and the dependency policy (deny.toml) by cargo-deny. Both tools are installed
# with `cargo install --locked` on first use (several minutes each: `./just dist` only,
# not CI).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="$root/target/dist/licenses"
mkdir -p "$out"
# Installed outside the workspace's target directory (their own lock files).
command -v cargo-about >/dev/null || (cd /tmp && CARGO_BUILD_TARGET= cargo install --locked cargo-about@0.9.3 --features cli)
command -v cargo-deny >/dev/null || (cd /tmp && CARGO_BUILD_TARGET= cargo install --locked cargo-deny@0.20.2)

# artifact: the crate whose build is that binary
report() {
  cargo about generate --offline --config scripts/dist/about.toml --manifest-path "$2" \
    --output-file "$out/$1.md" scripts/dist/about.hbs
  echo "licenses: $out/$1.md ($(grep -c '^- \[' "$out/$1.md") crates)"
}
report "python-wheel-lasso" bindings/pyo3/Cargo.toml
report "npm-lasso-ai-sdk-platform-packages" bindings/napi/Cargo.toml
report "maven-lasso-sdk-jar" bindings/uniffi/Cargo.toml
report "crate-lasso-cli-binary" crates/lasso-cli/Cargo.toml
report "crate-lasso-mock-binary" crates/lasso-mock/Cargo.toml

cargo deny --offline check licenses bans sources
