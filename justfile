# Task runner of the Lasso SDK. On a fresh machine run it through ./just,
# which installs `just` itself. `./just --list` shows every recipe.

set shell := ["bash", "-euo", "pipefail", "-c"]

# One target directory for cargo, maturin and napi builds (TOOLCHAIN.md, trap 1).
export CARGO_BUILD_TARGET := `rustc -vV | sed -n 's/^host: //p'`
venv := justfile_directory() / ".venv"
py := venv / "bin" / "python"

# List the recipes.
default:
    @just --list

# Python virtualenv with the build and test tools, and the Node dev dependencies.
setup:
    [ -x "{{py}}" ] || python3 -m venv "{{venv}}"
    "{{py}}" -m pip install --quiet --disable-pip-version-check -r python/requirements-dev.txt
    cd node && npm ci --no-audit --no-fund --loglevel=error

# Debug builds of everything: the core, the emulator, the Python and Node packages.
build: setup
    cargo build -p lasso-ai -p lasso-mock --examples --bins
    cd python && VIRTUAL_ENV="{{venv}}" "{{venv}}/bin/maturin" develop --quiet
    cargo build -p lasso-napi
    node node/scripts/build-native.mjs
    cd node && npm run --silent build

# Every suite of every language (Rust, Python, Node), offline against local servers.
test: build
    cargo test --workspace --exclude lasso-napi
    cd python && "{{py}}" -m pytest -q
    cd node && npm test

# The quick start in Rust, Python and Node, against lasso-mock (or the real API when LASSO_API_KEY is set).
demo: build
    bash scripts/demo.sh

# Regenerate the Python and TypeScript resource methods from the core's operation table.
codegen:
    cargo run -q -p lasso-codegen

# Lints: rustfmt and clippy.
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings
