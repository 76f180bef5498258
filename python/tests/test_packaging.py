"""Packaging: an abi3 wheel (CPython 3.9 and newer) with the stubs and the
``py.typed`` marker, its version taken from Cargo, and a quick ``import lasso``."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import KEY, Mock

import lasso

PYTHON = Path(__file__).resolve().parents[1]
ROOT = PYTHON.parent


def cargo_version() -> str:
    """The version of crates/lasso-ai (the workspace's, when it inherits it)."""
    crate = (ROOT / "crates" / "lasso-ai" / "Cargo.toml").read_text()
    if re.search(r"^version\.workspace\s*=\s*true", crate, re.M):
        workspace = (ROOT / "Cargo.toml").read_text()
        section = workspace.split("[workspace.package]", 1)[1].split("\n[", 1)[0]
        match = re.search(r'^version\s*=\s*"([^"]+)"', section, re.M)
    else:
        match = re.search(r'^version\s*=\s*"([^"]+)"', crate, re.M)
    assert match, "no version in Cargo.toml"
    return match.group(1)


def test_version_comes_from_cargo() -> None:
    assert lasso.__version__ == cargo_version()
    assert importlib.metadata.version("lasso") == cargo_version()


def test_import_is_quick() -> None:
    # `import lasso` (native module included) in a fresh interpreter; the best
    # of three, so a busy machine does not fail it. The target is 100 ms.
    best = float("inf")
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import lasso"], capture_output=True, text=True, check=True
        ).stderr
        line = next(line for line in out.splitlines() if line.rstrip().endswith("| lasso"))
        best = min(best, int(line.split("|")[1]) / 1e6)
    assert best < 0.1, f"import lasso took {best * 1000:.0f} ms"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    maturin = shutil.which("maturin", path=str(Path(sys.executable).parent)) or shutil.which("maturin")
    assert maturin, "maturin is missing: pip install -r python/requirements-dev.txt"
    out = tmp_path_factory.mktemp("wheel")
    env = dict(os.environ)
    if "CARGO_BUILD_TARGET" not in env:  # share target/ with `just build` (TOOLCHAIN.md, trap 1)
        host = subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout
        env["CARGO_BUILD_TARGET"] = re.search(r"^host: (\S+)", host, re.M).group(1)  # type: ignore[union-attr]
    subprocess.run(
        [maturin, "build", "--quiet", "--out", str(out), "--interpreter", sys.executable],
        cwd=PYTHON,
        env=env,
        check=True,
        timeout=900,
    )
    (built,) = out.glob("*.whl")
    return built


def test_the_wheel_is_abi3_for_cpython_39_and_newer(wheel: Path) -> None:
    name, version, python_tag, abi_tag, platform_tag = wheel.stem.split("-")
    assert (name, version) == ("lasso", cargo_version())
    assert (python_tag, abi_tag) == ("cp39", "abi3")
    with zipfile.ZipFile(wheel) as zf:
        tags = zf.read(f"lasso-{version}.dist-info/WHEEL").decode()
        metadata = zf.read(f"lasso-{version}.dist-info/METADATA").decode()
    assert f"Tag: cp39-abi3-{platform_tag}" in tags
    assert "Requires-Python: >=3.9" in metadata
    assert "Provides-Extra: pandas" in metadata


def test_the_wheel_ships_types_and_every_module(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    sources = {f"lasso/{p.name}" for p in (PYTHON / "lasso").iterdir() if p.suffix in (".py", ".pyi", ".typed")}
    assert sources <= names
    assert {"lasso/py.typed", "lasso/_native.pyi"} <= names
    assert any(re.fullmatch(r"lasso/_native\.abi3\.(so|pyd)", n) for n in names), names
    assert not any("tests/" in n or "__pycache__" in n for n in names)


def test_the_wheel_declares_the_lasso_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        entry_points = zf.read(f"lasso-{cargo_version()}.dist-info/entry_points.txt").decode()
    assert "[console_scripts]" in entry_points
    assert "lasso=lasso._cli:main" in entry_points.replace(" ", "")


def test_pip_install_gives_a_working_lasso_in_a_fresh_environment(
    wheel: Path, tmp_path: Path, mock_server: Mock
) -> None:
    # A new virtualenv with nothing but the wheel: `lasso` is on its PATH and
    # runs the command line through the native module (no other binary).
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = venv / "bin" / "pip"
    subprocess.run(
        [str(pip), "install", "--quiet", "--no-index", "--no-deps", "--disable-pip-version-check", str(wheel)],
        check=True,
        timeout=300,
    )
    script = venv / "bin" / "lasso"
    assert script.exists()
    env = {
        "PATH": f"{venv / 'bin'}:{os.environ.get('PATH', '')}",
        "LASSO_API_KEY": KEY,
        "LASSO_BASE_URL": mock_server.url,
        "LASSO_CONFIG": str(tmp_path / "none.toml"),
    }
    done = subprocess.run(["lasso", "auth", "status"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["valid"] is True
    missing = subprocess.run(["lasso", "tables", "get", "tbl_x"], env=env, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 4
    assert shutil.which("lasso", path=env["PATH"]) == str(script)


def test_both_lasso_and_lasso_ai_installed_behave_as_the_readme_says(wheel: Path, tmp_path: Path) -> None:
    """Both install the import name `lasso` (python/README.md, Install): the one
    installed last owns `lasso/__init__.py`; uninstalling either deletes it;
    `pip install --force-reinstall` repairs it."""
    peer = tmp_path / "peer"
    fetched = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--disable-pip-version-check",
            "-d",
            str(peer),
            "lasso-ai==0.1.2",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if fetched.returncode != 0:
        pytest.skip(f"PyPI is unreachable, lasso-ai 0.1.2 cannot be fetched: {fetched.stderr[-300:]}")
    (lasso_ai,) = peer.glob("*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = str(venv / "bin" / "python")

    def pip(*args: str) -> None:
        extra = ["--no-deps", "--no-index"] if args[0] == "install" else []
        subprocess.run(
            [python, "-m", "pip", "--disable-pip-version-check", "--quiet", *args, *extra], check=True, timeout=300
        )

    def which() -> str:
        # Which package's `lasso/__init__.py` is installed (0.1.2's needs httpx to import,
        # which this venv lacks, so its file is read instead); "broken" when there is none.
        code = (
            "import importlib.util as u\n"
            "s = u.find_spec('lasso')\n"
            "o = s.origin if s else None\n"
            "if not o or not o.endswith('__init__.py'):\n"
            "    print('broken')\n"
            "elif 'from .client import' in open(o).read():\n"
            "    print('lasso-ai')\n"
            "else:\n"
            "    from lasso import AsyncLassoClient, LassoClient\n"
            "    print('ours')\n"
        )
        return subprocess.run([python, "-c", code], capture_output=True, text=True, cwd=str(tmp_path)).stdout.strip()

    pip("install", str(lasso_ai))
    pip("install", str(wheel))
    assert which() == "ours"
    pip("install", "--force-reinstall", str(lasso_ai))
    assert which() == "lasso-ai"
    pip("uninstall", "--yes", "lasso-ai")
    assert which() == "broken"
    pip("install", "--force-reinstall", str(wheel))
    assert which() == "ours"
