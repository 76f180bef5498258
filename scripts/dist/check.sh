#!/usr/bin/env bash
# `./just dist-check`: every x86_64 artifact of target/dist (scripts/dist/build.sh)
# installed into a clean environment that has nothing of this checkout but the
# artifact, and its quick start run there against the emulator started from a
# distributed artifact too:
#   Python  a fresh venv per CPython ≥ 3.9 under ~/.pyenv/versions (or python3): the
#           manylinux wheel, `lasso mock` from it, python/examples/quickstart.py, and a
#           subset of python/tests with LASSO_MOCK_BIN pointing at that `lasso mock`
#   Node    a fresh npm project installing only the tarballs (offline), `lasso mock`
#           through @lasso-ai/sdk/testing, node/examples/quickstart.mjs
#   Rust    a fresh cargo project depending on the unpacked lasso-ai and lasso-mock
#           .crate files (their own lasso-spec through [patch]), its emulator binary
#           on lasso_mock, crates/lasso-ai/examples/quickstart.rs
#   Kotlin  the jar installed (install:install-file) into a fresh local Maven
#           repository, a consumer Maven project resolving it, a Java quick start
# The aarch64 and musl artifacts, when `./just dist` built them, are inspected
# (architecture, tags, linkage) by inspect_artifacts.py, which runs first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dist="$root/target/dist"
work="$root/target/dist-check"
venv_py="$root/.venv/bin/python"
key="lasso_$(printf '%064d' 0 | tr 0 d)"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)"
rm -rf "$work" && mkdir -p "$work"
pids=()
pids_rm=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for d in "${pids_rm[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT
timing() { echo "dist-check: $1 in $(( SECONDS - $2 )) s" | tee -a "$work/timings.txt"; }

# Starts "$@" (an emulator printing `listening on URL` first) and sets $url.
start_emulator() {
  local log="$work/emulator-$RANDOM.log"
  "$@" >"$log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 300); do
    url="$(sed -n 's/^listening on //p' "$log" | head -n 1)"
    [ -n "$url" ] && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "dist-check: the emulator ($*) did not start:" >&2
  cat "$log" >&2
  return 1
}
stop_emulator() { kill "${pids[-1]}" 2>/dev/null || true; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; }

"$venv_py" "$root/scripts/dist/inspect_artifacts.py" "$dist"
# DIST_CHECK_ONLY="rust kotlin": only those sections (while working on one).
want() { [ -z "${DIST_CHECK_ONLY:-}" ] || [[ " $DIST_CHECK_ONLY " == *" $1 "* ]]; }
bins="$root/target/${CARGO_BUILD_TARGET:-x86_64-unknown-linux-gnu}/debug"

# --- Python ------------------------------------------------------------------
if want python; then
start=$SECONDS
wheel="$(ls "$dist"/python/lasso-"$version"-cp39-abi3-manylinux*x86_64*.whl)"
pythons=()
for v in "$HOME"/.pyenv/versions/3.*; do
  minor="$(basename "$v" | cut -d. -f2)"
  [ -x "$v/bin/python3" ] && [ "$minor" -ge 9 ] 2>/dev/null && pythons+=("$v/bin/python3")
done
[ "${#pythons[@]}" -gt 0 ] || pythons=("$(command -v python3)")
# The subset: the client over HTTP, asyncio, errors, arguments, webhooks, the
# testing helpers (a user's pytest run with the fixtures from the entry point).
subset=(test_client.py test_async.py test_arguments.py test_webhooks.py test_testing.py)
for python in "${pythons[@]}"; do
  pv="$("$python" -c 'import platform; print(platform.python_version())')"
  env="$work/py-$pv"
  "$python" -m venv "$env"
  "$env/bin/python" -m pip install --quiet --disable-pip-version-check --no-index "$wheel"
  # pytest from PyPI (the wheel itself needs nothing).
  "$env/bin/python" -m pip install --quiet --disable-pip-version-check "pytest>=7,<9"
  # Imported from the venv, not from the checkout.
  (cd "$work" && "$env/bin/python" -c "import lasso, sys; assert lasso.__file__.startswith(sys.prefix), lasso.__file__")
  start_emulator "$env/bin/lasso" mock --port 0
  (cd "$work" && LASSO_API_KEY="$key" LASSO_BASE_URL="$url" "$env/bin/python" "$root/python/examples/quickstart.py" >"$work/py-$pv-quickstart.log")
  stop_emulator
  # The suite's emulator is the wheel's `lasso mock` too.
  printf '#!/bin/sh\nexec "%s" mock "$@"\n' "$env/bin/lasso" >"$env/bin/lasso-mock-from-wheel"
  chmod +x "$env/bin/lasso-mock-from-wheel"
  (cd "$work" && LASSO_MOCK_BIN="$env/bin/lasso-mock-from-wheel" "$env/bin/python" -m pytest -q -p no:cacheprovider \
    "${subset[@]/#/$root/python/tests/}" >"$work/py-$pv-tests.log" 2>&1) || {
    cat "$work/py-$pv-tests.log" >&2
    exit 1
  }
  echo "dist-check: CPython $pv: wheel installed, quick start ok, $(tail -n 1 "$work/py-$pv-tests.log")"
done
timing "Python (${#pythons[@]} CPythons)" "$start"

fi

# --- Node --------------------------------------------------------------------
if want node; then
start=$SECONDS
project="$work/npm"
mkdir -p "$project"
echo '{ "name": "consumer", "version": "1.0.0", "private": true, "type": "module" }' >"$project/package.json"
(cd "$project" && npm install --offline --no-audit --no-fund --loglevel=error \
  "$dist/node/lasso-ai-sdk-$version.tgz" "$dist/node/lasso-ai-sdk-linux-x64-gnu-$version.tgz" >/dev/null)
cp "$root/node/examples/quickstart.mjs" "$project/quickstart.mjs"
cat >"$project/run.mjs" <<'JS'
// The emulator of the installed package (@lasso-ai/sdk/testing runs its `lasso mock`),
// then the quick start against it.
import { spawnSync } from "node:child_process";
import { startMock } from "@lasso-ai/sdk/testing";
const mock = await startMock();
const run = spawnSync(process.execPath, ["quickstart.mjs"], {
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, LASSO_API_KEY: mock.apiKey, LASSO_BASE_URL: mock.baseUrl },
});
await mock.stop();
process.exit(run.status ?? 1);
JS
(cd "$project" && node run.mjs >"$work/node-quickstart.log")
(cd "$project" && node -e "const p = require.resolve('@lasso-ai/sdk-linux-x64-gnu/lasso.node'); if (!p.startsWith(process.cwd())) process.exit(1)")
echo "dist-check: Node $(node --version): tarballs installed, quick start ok"
timing "Node" "$start"

fi

# --- Rust --------------------------------------------------------------------
if want rust; then
start=$SECONDS
# Outside this checkout, so that no workspace of ours is found above the project.
rust_work="$(mktemp -d)"
pids_rm=("$rust_work")
crates="$rust_work/crates"
mkdir -p "$crates"
for c in lasso-spec lasso-mock lasso-ai; do tar -xzf "$dist/crates/$c-$version.crate" -C "$crates"; done
consumer="$rust_work/cargo"
mkdir -p "$consumer/src/bin"
cat >"$consumer/Cargo.toml" <<TOML
[package]
name = "consumer"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
lasso-ai = "$version"
lasso-mock = "$version"
tokio = { version = "1", features = ["rt-multi-thread", "macros"] }
futures-util = "0.3"
serde_json = "1"
serde = { version = "1", features = ["derive"] }

# The packaged crates, as crates.io would serve them.
[patch.crates-io]
lasso-ai = { path = "$crates/lasso-ai-$version" }
lasso-mock = { path = "$crates/lasso-mock-$version" }
lasso-spec = { path = "$crates/lasso-spec-$version" }

# As the workspace builds: its compiled dependencies are reused.
[profile.dev]
debug = "line-tables-only"
[profile.dev.package."*"]
opt-level = 1
debug = false
TOML
cp "$root/crates/lasso-ai/examples/quickstart.rs" "$consumer/src/bin/quickstart.rs"
cat >"$consumer/src/bin/emulator.rs" <<'RS'
//! The emulator from the lasso-mock crate, announced as the `lasso-mock` binary does.
fn main() {
    let server = lasso_mock::start_blocking(lasso_mock::MockConfig::default()).expect("lasso-mock starts");
    println!("listening on {}", server.url());
    loop {
        std::thread::park();
    }
}
RS
# The workspace's lock file: the same dependency versions, offline.
cp "$root/Cargo.lock" "$consumer/Cargo.lock"
(cd "$consumer" && cargo build --quiet --offline --target-dir "$root/target" --bins)
start_emulator "$bins/emulator"
LASSO_API_KEY="$key" LASSO_BASE_URL="$url" "$bins/quickstart" >"$work/rust-quickstart.log"
stop_emulator
echo "dist-check: Rust: packaged lasso-ai and lasso-mock built in a fresh project, quick start ok"
timing "Rust" "$start"

fi

# --- Kotlin / Java -----------------------------------------------------------
if want kotlin; then
start=$SECONDS
m2="$work/m2"
# Maven's plugins and the jar's dependencies come from ~/.m2 as a read-only file
# repository (no network); ai.lasso:lasso-sdk only from the jar installed here.
cat >"$work/settings.xml" <<XML
<settings>
  <localRepository>$m2</localRepository>
  <mirrors>
    <mirror><id>cache</id><mirrorOf>*</mirrorOf><url>file://$HOME/.m2/repository</url></mirror>
  </mirrors>
</settings>
XML
mvn_=(mvn --batch-mode --no-transfer-progress --quiet -s "$work/settings.xml")
"${mvn_[@]}" org.apache.maven.plugins:maven-install-plugin:3.2.0:install-file -Dfile="$dist/maven/lasso-sdk-$version.jar" -DpomFile="$dist/maven/lasso-sdk-$version.pom"
jproject="$work/maven"
mkdir -p "$jproject/src/main/java/consumer"
cat >"$jproject/pom.xml" <<XML
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>consumer</groupId>
  <artifactId>consumer</artifactId>
  <version>1.0.0</version>
  <dependencies>
    <dependency>
      <groupId>ai.lasso</groupId>
      <artifactId>lasso-sdk</artifactId>
      <version>$version</version>
    </dependency>
  </dependencies>
</project>
XML
cat >"$jproject/src/main/java/consumer/Quickstart.java" <<'JAVA'
package consumer;

import ai.lasso.LassoClient;

/** The jar from a separate project: the client against the emulator, one call, one typed error. */
public final class Quickstart {
  public static void main(String[] args) throws Exception {
    try (LassoClient client = LassoClient.builder().apiKey(System.getenv("LASSO_API_KEY")).baseUrl(System.getenv("LASSO_BASE_URL")).build()) {
      System.out.println("balance: " + client.getCredits().balanceAsync().get().getBalance());
      try {
        client.getTables().getAsync("tbl_missing").get();
        throw new AssertionError("tbl_missing was found");
      } catch (java.util.concurrent.ExecutionException e) {
        System.out.println("missing table: " + e.getCause().getClass().getSimpleName());
        if (!e.getCause().getClass().getSimpleName().equals("NotFoundException")) throw e;
      }
    }
  }
}
JAVA
(cd "$jproject" && "${mvn_[@]}" org.apache.maven.plugins:maven-dependency-plugin:2.8:build-classpath -Dmdep.outputFile=classpath.txt >/dev/null)
grep -q "$m2/ai/lasso/lasso-sdk/$version/lasso-sdk-$version.jar" "$jproject/classpath.txt" || {
  echo "dist-check: the consumer did not resolve the installed jar: $(cat "$jproject/classpath.txt")" >&2
  exit 1
}
mkdir -p "$jproject/classes"
javac -d "$jproject/classes" -cp "$(cat "$jproject/classpath.txt")" "$jproject/src/main/java/consumer/Quickstart.java"
start_emulator "$bins/emulator"
LASSO_API_KEY="$key" LASSO_BASE_URL="$url" java -cp "$jproject/classes:$(cat "$jproject/classpath.txt")" consumer.Quickstart >"$work/java-quickstart.log"
stop_emulator
echo "dist-check: Java $(java -version 2>&1 | head -n 1 | cut -d'"' -f2): jar installed into a fresh Maven repository, quick start ok"
timing "Kotlin/Java" "$start"
fi
cat "$work/timings.txt"
