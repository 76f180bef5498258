#!/usr/bin/env bash
# Run by `mvn` (generate-sources; see pom.xml): builds the native library of
# the Kotlin package (bindings/uniffi) and the workspace's uniffi-bindgen,
# writes the Kotlin scaffolding of that library into
# target/generated-sources/uniffi (library mode: the interface is read from the
# built debug library, so the two always agree), and copies the library to
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
# The interface is read from the debug library: the generator needs it built with the
# `bindgen` feature in one invocation anyway, and the release library exports the same
# interface. (A host-linked release build next to the zig-linked one would cost two
# full release builds: cargo rebuilds every crate when the linker changes.)
cargo build --quiet -p lasso-uniffi --features bindgen --lib --bin uniffi-bindgen "${manifest[@]}"
gen="$kotlin/target/generated-sources/uniffi"
rm -rf "$gen"
"$debug/uniffi-bindgen" generate --library "$debug/liblasso_uniffi.so" --language kotlin --no-format \
  --config "$root/bindings/uniffi/uniffi.toml" --out-dir "$gen" >/dev/null
lib="$debug/liblasso_uniffi.so"
if [ "$profile" = release ] && [ -n "${LASSO_NATIVE_ZIG_TARGET:-}" ]; then
  # For the release jar (scripts/dist/build.sh): linked by zig against an older glibc
  # (e.g. x86_64-unknown-linux-gnu.2.17), like the wheels and the addons.
  cargo zigbuild --quiet --release -p lasso-uniffi --lib --target "$LASSO_NATIVE_ZIG_TARGET" "${manifest[@]}"
  lib="$root/target/${LASSO_NATIVE_ZIG_TARGET%%.*}/release/liblasso_uniffi.so"
elif [ "$profile" = release ]; then
  cargo build --quiet --release -p lasso-uniffi --lib "${manifest[@]}"
  lib="$root/target/$CARGO_BUILD_TARGET/release/liblasso_uniffi.so"
fi
mkdir -p "$kotlin/target/native/linux-x86-64"
cp "$lib" "$kotlin/target/native/linux-x86-64/liblasso_uniffi.so"
