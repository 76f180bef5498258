#!/usr/bin/env bash
# Run by `mvn` (generate-sources; see pom.xml): builds the native library of
# the Kotlin package (bindings/uniffi) and the workspace's uniffi-bindgen,
# writes the Kotlin scaffolding of that library into
# target/generated-sources/uniffi (library mode: the interface is read from the
# built library, so the two always agree), and copies the library to
# target/native/linux-x86-64/, which the jar carries as a JNA resource.
#   build-native.sh [debug|release]
# With LASSO_NATIVE_ZIG_TARGET set (release only), the library the jar carries
# is linked by cargo-zigbuild for that target.
set -euo pipefail
kotlin="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$kotlin")"
profile="${1:-debug}"
export CARGO_BUILD_TARGET="${CARGO_BUILD_TARGET:-$(rustc -vV | sed -n 's/^host: //p')}"
manifest=(--manifest-path "$root/Cargo.toml")
debug="$root/target/$CARGO_BUILD_TARGET/debug"
if [ "$profile" = release ]; then
  # The release library; the generator stays a debug build (it only reads the library).
  cargo build --quiet --release -p lasso-uniffi --lib "${manifest[@]}"
  cargo build --quiet -p lasso-uniffi --features bindgen --bin uniffi-bindgen "${manifest[@]}"
else
  # One invocation: the library and the generator share one feature set (and one build).
  cargo build --quiet -p lasso-uniffi --features bindgen --lib --bin uniffi-bindgen "${manifest[@]}"
fi
lib="$root/target/$CARGO_BUILD_TARGET/$profile/liblasso_uniffi.so"
gen="$kotlin/target/generated-sources/uniffi"
rm -rf "$gen"
"$debug/uniffi-bindgen" generate --library "$lib" --language kotlin --no-format \
  --config "$root/bindings/uniffi/uniffi.toml" --out-dir "$gen" >/dev/null
if [ -n "${LASSO_NATIVE_ZIG_TARGET:-}" ]; then
  # For the release jar (scripts/dist/build.sh): the same library linked by zig
  # against an older glibc (e.g. x86_64-unknown-linux-gnu.2.17). The interface is
  # read above from the host-linked library, which keeps uniffi's metadata
  # symbols; the functions the Kotlin code calls are the same in both.
  cargo zigbuild --quiet --release -p lasso-uniffi --lib --target "$LASSO_NATIVE_ZIG_TARGET" "${manifest[@]}"
  lib="$root/target/${LASSO_NATIVE_ZIG_TARGET%%.*}/release/liblasso_uniffi.so"
fi
mkdir -p "$kotlin/target/native/linux-x86-64"
cp "$lib" "$kotlin/target/native/linux-x86-64/liblasso_uniffi.so"
