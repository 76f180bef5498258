# Task runner of the Lasso SDK. On a fresh machine run it through ./just,
# which installs `just` itself. `./just --list` shows every recipe.

set shell := ["bash", "-euo", "pipefail", "-c"]

# One target directory for cargo, maturin and napi builds (TOOLCHAIN.md, trap 1).
export CARGO_BUILD_TARGET := `rustc -vV | sed -n 's/^host: //p'`
# Tests import the package from its source tree; no bytecode there, so the
# wheels they build contain only what the package ships.
export PYTHONDONTWRITEBYTECODE := "1"
venv := justfile_directory() / ".venv"
py := venv / "bin" / "python"
# The formatter of the generated Kotlin (crates/lasso-codegen/src/format.rs, KTFMT_VERSION).
ktfmt_version := "0.61"
# Maven without its download chatter; the local repository stays ~/.m2.
mvn := "--batch-mode --no-transfer-progress --quiet"
ktfmt := env_var("HOME") / ".m2/repository/com/facebook/ktfmt" / ktfmt_version / "ktfmt-" + ktfmt_version + "-with-dependencies.jar"

# List the recipes.
default:
    @just --list

# The crates of Cargo.lock for every platform, a Python virtualenv with the build and test tools, the Node dev dependencies, JDK 17 and Maven when missing (Debian), and ktfmt (Kotlin codegen's formatter) in ~/.m2 through Maven.
setup:
    # Every platform's crates of Cargo.lock, so offline steps (`cargo tree --target`, the dependents crates) find them on a fresh machine.
    cargo fetch --locked --quiet
    [ -x "{{py}}" ] || python3 -m venv "{{venv}}"
    "{{py}}" -m pip install --quiet --disable-pip-version-check -r python/requirements-dev.txt
    cd node && npm ci --no-audit --no-fund --loglevel=error
    command -v mvn >/dev/null && command -v javac >/dev/null || apt-get install -y --no-install-recommends maven openjdk-17-jdk-headless
    [ -f "{{ktfmt}}" ] || mvn {{mvn}} dependency:get -Dartifact=com.facebook:ktfmt:{{ktfmt_version}}:jar:with-dependencies
    # tmux: the command line's progress bars are tested in a real pseudo-terminal.
    command -v tmux >/dev/null || { [ "$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq tmux >/dev/null; } || echo "setup: install tmux for the terminal tests of lasso-cli" >&2

# Debug builds of everything: the core, the emulator, the Python, Node and Kotlin packages (the last installed into ~/.m2 as ai.lasso:lasso-sdk).
build: setup
    # The package selection of `test`'s `cargo test`: cargo unifies features per
    # invocation, so the same selection shares one build of the core and its crates.
    cargo build --workspace --exclude lasso-napi --examples --bins
    cd python && VIRTUAL_ENV="{{venv}}" "{{venv}}/bin/maturin" develop --quiet
    node node/scripts/build-native.mjs
    cd node && npm run --silent build
    cd kotlin && mvn {{mvn}} install -DskipTests && mvn {{mvn}} dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime

# Every suite of every language (Rust, Python, Node, Kotlin), offline against local servers; then `cli-front-doors`, `peer`, `dist-check` and `dependents`.
test: build && cli-front-doors peer dist-check dependents
    cargo test --workspace --exclude lasso-napi
    # The second TLS backend next to rustls (alone: `dependents`).
    cargo test -q -p lasso-ai --features native-tls --test tls_backends --test system_trust
    cd python && "{{py}}" -m pytest -q
    cd node && npm test
    cd kotlin && mvn --batch-mode --no-transfer-progress surefire:test

# Crates outside the workspace that depend on lasso-ai as users' do: key-order (its own JSON keeps serde_json's sorted maps) and native-tls (the core's TLS and proxy tests with native-tls as the only backend).
dependents:
    cp Cargo.lock tests/dependents/key-order/Cargo.lock
    cargo run --quiet --offline --manifest-path tests/dependents/key-order/Cargo.toml --target-dir target
    cp Cargo.lock tests/dependents/native-tls/Cargo.lock
    cargo test --quiet --offline --manifest-path tests/dependents/native-tls/Cargo.toml --target-dir target

# The command line's suite (crates/lasso-cli/tests/cli) through the `lasso` of `cargo install --path crates/lasso-cli` (into target/cli-install), of the Python wheel and of the npm package.
cli-front-doors:
    cargo install --quiet --path crates/lasso-cli --root target/cli-install --debug --locked --offline --target-dir target --force
    # The suite as `test` builds it (its selection, so no second build); lasso-mock has a `cli` test of its own.
    LASSO_CLI="{{justfile_directory()}}/target/cli-install/bin/lasso" cargo test -q --workspace --exclude lasso-napi --exclude lasso-mock --test cli
    LASSO_CLI="{{venv}}/bin/lasso" cargo test -q --workspace --exclude lasso-napi --exclude lasso-mock --test cli
    LASSO_CLI="node {{justfile_directory()}}/node/bin/lasso.js" cargo test -q --workspace --exclude lasso-napi --exclude lasso-mock --test cli

# Every artifact a release publishes, in release, into target/dist (scripts/dist/build.sh): abi3 wheels (manylinux2014 and musllinux_1_2, x86_64 and aarch64) and the sdist, the npm main and platform packages, the crates, the Maven jar; their tags, architectures and linkage (inspect_artifacts.py), the sdist built from source, licence reports and `cargo deny`.
dist: setup
    bash scripts/dist/build.sh all
    "{{py}}" scripts/dist/inspect_artifacts.py
    bash scripts/dist/sdist-builds.sh
    bash scripts/dist/licenses.sh

# The x86_64 artifacts, built in release into target/dist, installed into clean environments, quick starts against the distributed emulator, the wheel's tests on every CPython ≥ 3.9 found (scripts/dist/check.sh).
dist-check: setup
    bash scripts/dist/build.sh host
    bash scripts/dist/check.sh

# The conformance scenarios (tests/conformance/*.json) in Rust, Python, Node and Kotlin: one table, scenario × language.
conformance: build
    rm -rf target/conformance && mkdir -p target/conformance
    -cargo test -q -p lasso-ai --test conformance > target/conformance/rust.log 2>&1
    -cd python && "{{py}}" -m pytest -q tests/test_conformance.py > ../target/conformance/python.log 2>&1
    -cd node && node --test test/conformance.test.mjs > ../target/conformance/node.log 2>&1
    -cd kotlin && mvn --batch-mode --no-transfer-progress surefire:test -Dtest=ConformanceTest > ../target/conformance/kotlin.log 2>&1
    "{{py}}" tests/conformance/report.py

# A client we did not write: the README examples of the official lasso-ai 0.1.2 (PyPI), in a cached venv under target/, against lasso-mock.
peer:
    bash crates/lasso-mock/peer/run.sh

# lasso-mock's responses checked against the vendor's OpenAPI spec (../shared/lasso-openapi.yaml) with a pinned schemathesis.
contract:
    bash crates/lasso-mock/contract/run.sh

# The quick start in Rust, Python, Node and Kotlin, and one `lasso extract`, against lasso-mock (or the real API when LASSO_API_KEY is set).
demo: build
    bash scripts/demo.sh

# Regenerate every file that restates crates/lasso-spec (methods, response types, error classes in Rust, Python, TypeScript and Kotlin; the emulator's endpoint list; tests/manifest.json), through rustfmt, ruff, prettier and ktfmt (installed by `setup`).
codegen:
    [ -x "{{venv}}/bin/ruff" ] && [ -x node/node_modules/.bin/prettier ] && [ -f "{{ktfmt}}" ] || "{{just_executable()}}" --justfile "{{justfile()}}" setup
    cargo run -q -p lasso-codegen
    node node/scripts/build-native.mjs --write-types

# Lints: rustfmt and clippy; ruff (check and format) on the Python package and tests; the TypeScript type check, eslint and prettier.
lint: setup
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings
    cargo clippy --quiet -p lasso-ai --lib --no-default-features -- -D warnings
    cargo clippy --quiet -p lasso-ai --lib --no-default-features --features webhooks -- -D warnings
    cargo clippy --quiet -p lasso-ai --all-targets --features native-tls -- -D warnings
    cargo clippy --quiet -p lasso-ai --lib --no-default-features --features native-tls -- -D warnings
    cd python && "{{py}}" -m ruff check . && "{{py}}" -m ruff format --check lasso tests
    cd node && npm run --silent lint

# Benchmarks of issue 8 with release builds against lasso-mock; writes bench/RESULTS.md (`just bench quick`: smoke run into bench/tmp/).
bench mode="full":
    bash bench/build.sh
    python3 bench/run.py {{ if mode == "quick" { "--quick" } else { "" } }}

# Property tests of the core (crates/lasso-ai/tests/properties.rs) as time-budgeted fuzzing: each target runs `secs` seconds (default 600); case counts go to target/fuzz/*.json and bench/FUZZ.md records runs.
fuzz secs="600":
    rm -rf target/fuzz
    LASSO_FUZZ_SECS={{secs}} cargo test -p lasso-ai --test properties -- --test-threads 1 --nocapture
    cat target/fuzz/*.json && echo

# 100,000 requests (or `requests`) through Rust, Python (sync) and Node against lasso-mock with 5% seeded random faults: crashes, error types, RSS and sockets; figures in target/soak/ (recorded in bench/SOAK.md).
soak requests="100000": build
    cargo test -q -p lasso-ai --test soak --no-run
    "{{py}}" tests/soak/run.py --requests {{requests}}
