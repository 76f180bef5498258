#!/usr/bin/env bash
# Builds, in release, the artifacts a release publishes into target/dist:
#   python/  the abi3 wheels (manylinux2014 / musllinux_1_2, x86_64 / aarch64) and the sdist
#   node/    @lasso-ai/sdk (no binary) and @lasso-ai/sdk-<platform> tarballs
#   crates/  lasso-spec, lasso-mock, lasso-ai, lasso-cli .crate files (cargo package)
#   maven/   ai.lasso:lasso-sdk jar (with linux-x86-64/liblasso_uniffi.so) and its pom
#
#   build.sh all    every platform (`./just dist`); cargo package verifies each crate
#   build.sh host   x86_64 glibc only (`./just dist-check`); crates packaged without the
#                   verify build, which dist-check's consumer project does instead
#
# Linking goes through zig (ziglang from PyPI, via maturin --zig and cargo-zigbuild),
# with glibc 2.17 for the gnu targets: the manylinux2014 baseline, which the npm
# packages for glibc share. Each cross target's build directory is deleted once its
# artifacts are out (disk).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mode="${1:-all}"
case "$mode" in all | host) ;; *) echo "usage: build.sh all|host" >&2; exit 2 ;; esac
venv="$root/.venv"
py="$venv/bin/python"
out="$root/target/dist"
# zig, cargo-zigbuild and `python3 -m ziglang` from the virtualenv.
export PATH="$venv/bin:$PATH"
export CARGO_INCREMENTAL=0
"$py" -m pip install --quiet --disable-pip-version-check -r python/requirements-dist.txt

if [ "$mode" = all ]; then
  targets=(x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl)
else
  targets=(x86_64-unknown-linux-gnu)
fi
installed="$(rustup target list --installed 2>/dev/null || true)"
for t in "${targets[@]}"; do
  grep -qx "$t" <<<"$installed" || rustup target add "$t"
done
# A cdylib for musl links the C library dynamically (Node and CPython on Alpine load
# it into their own process); the targets default to a static one.
export CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="-C target-feature=-crt-static"
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="-C target-feature=-crt-static"

rm -rf "$out"
mkdir -p "$out/python" "$out/node/addons" "$out/crates" "$out/maven"
timing() { echo "dist: $1 in $(( SECONDS - $2 )) s" | tee -a "$out/timings.txt"; }

node_key() {
  case "$1" in
    x86_64-unknown-linux-gnu) echo linux-x64-gnu ;;
    aarch64-unknown-linux-gnu) echo linux-arm64-gnu ;;
    x86_64-unknown-linux-musl) echo linux-x64-musl ;;
    aarch64-unknown-linux-musl) echo linux-arm64-musl ;;
  esac
}

for t in "${targets[@]}"; do
  start=$SECONDS
  case "$t" in
    *-gnu) compat=manylinux2014; zig_target="$t.2.17" ;;
    *-musl) compat=musllinux_1_2; zig_target="$t" ;;
  esac
  # The wheel (maturin picks zig as linker and C compiler for the target).
  (cd python && maturin build --quiet --release --zig --target "$t" --compatibility "$compat" --out "$out/python")
  # The addon: the same core with the napi bindings.
  cargo zigbuild --quiet --release -p lasso-napi --target "$zig_target"
  cp "target/$t/release/liblasso_napi.so" "$out/node/addons/$(node_key "$t").node"
  timing "$t (wheel, addon)" "$start"
  # Cross targets are not needed after this (the host's release dir serves dist-check).
  [ "$t" = x86_64-unknown-linux-gnu ] || rm -rf "target/$t/release"
done

start=$SECONDS
(cd python && maturin sdist --out "$out/python" >/dev/null)
twine check --strict "$out"/python/*
timing "sdist, twine check" "$start"

start=$SECONDS
(cd node && npm run --silent build >/dev/null)
addons=()
for t in "${targets[@]}"; do
  key="$(node_key "$t")"
  addons+=("$key=$out/node/addons/$key.node")
done
node node/scripts/pack.mjs --out "$out/node" "${addons[@]}"
rm -rf "$out/node/addons"
timing "npm packages" "$start"

start=$SECONDS
crates=(-p lasso-spec -p lasso-mock -p lasso-ai -p lasso-cli)
if [ "$mode" = all ]; then
  cargo package --quiet --allow-dirty --offline "${crates[@]}"
else
  cargo package --quiet --allow-dirty --offline --no-verify "${crates[@]}"
fi
# What crates.io would refuse (metadata, dependencies it cannot resolve), short of uploading.
cargo publish --quiet --dry-run --allow-dirty --no-verify "${crates[@]}"
cp target/package/*.crate "$out/crates/"
timing "crates (cargo package$([ "$mode" = all ] || echo ' --no-verify'), cargo publish --dry-run)" "$start"

start=$SECONDS
# The jar with the release native library, and the pom, as Maven Central would get them.
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
# kotlin/build-native.sh reads the interface from a host-linked library (uniffi-bindgen
# needs the metadata symbols that a zig-linked one does not keep), then links the
# library the jar carries with zig for glibc 2.17, like the wheels and addons.
(cd kotlin && LASSO_NATIVE_ZIG_TARGET=x86_64-unknown-linux-gnu.2.17 \
  mvn --batch-mode --no-transfer-progress --quiet package -DskipTests -Dlasso.profile=release)
cp "kotlin/target/lasso-sdk-$version.jar" "$out/maven/"
cp kotlin/pom.xml "$out/maven/lasso-sdk-$version.pom"
timing "Maven jar" "$start"
ls -l "$out"/python "$out"/node "$out"/crates "$out"/maven
