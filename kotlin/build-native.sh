#!/usr/bin/env bash
# Run by `mvn` (generate-sources; see pom.xml): builds the native library of
# the Kotlin package (bindings/uniffi) and the workspace's uniffi-bindgen,
# writes the Kotlin scaffolding of that library into
# target/generated-sources/uniffi (library mode: the interface is read from the
# built library, so the two always agree), and copies the library to
# target/native/linux-x86-64/, which the jar carries as a JNA resource.
#   build-native.sh [debug|release]
set -euo pipefail
kotlin="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$kotlin")"
profile="${1:-debug}"
export CARGO_BUILD_TARGET="${CARGO_BUILD_TARGET:-$(rustc -vV | sed -n 's/^host: //p')}"
flags=()
[ "$profile" = release ] && flags=(--release)
# One invocation: the library and the generator share one feature set (and one build).
cargo build --quiet "${flags[@]}" -p lasso-uniffi --features bindgen --lib --bin uniffi-bindgen \
  --manifest-path "$root/Cargo.toml"
out="$root/target/$CARGO_BUILD_TARGET/$profile"
lib="$out/liblasso_uniffi.so"
gen="$kotlin/target/generated-sources/uniffi"
rm -rf "$gen"
"$out/uniffi-bindgen" generate --library "$lib" --language kotlin --no-format \
  --config "$root/bindings/uniffi/uniffi.toml" --out-dir "$gen" >/dev/null
mkdir -p "$kotlin/target/native/linux-x86-64"
cp "$lib" "$kotlin/target/native/linux-x86-64/liblasso_uniffi.so"
