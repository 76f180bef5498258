"""The typed surface: stubs match the compiled module, the package and the
typed example pass ``mypy --strict``, every public class and method has a
docstring. mypy comes from requirements-dev.txt: without it these tests fail."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, List, Set

from conftest import KEY, Mock

import lasso
import lasso.webhooks

PYTHON = Path(__file__).resolve().parents[1]
EXAMPLE = PYTHON / "examples" / "typed_usage.py"


def run(args: List[str], **kwargs: Any) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([sys.executable, *args], cwd=PYTHON, capture_output=True, text=True, timeout=300, **kwargs)


def test_mypy_is_installed() -> None:
    result = run(["-m", "mypy", "--version"])
    assert result.returncode == 0, "mypy is missing: pip install -r python/requirements-dev.txt\n" + result.stderr


def test_stubs_match_the_compiled_module() -> None:
    result = run(["-m", "mypy.stubtest", "lasso._native"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_and_example_pass_mypy_strict(tmp_path: Path) -> None:
    result = run(["-m", "mypy", "--strict", "--cache-dir", str(tmp_path), "lasso", str(EXAMPLE)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues found in" in result.stdout


def test_mypy_strict_catches_a_misuse(tmp_path: Path) -> None:
    # The check above is only worth something if types are precise enough to fail.
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from lasso import LassoClient\n"
        "client = LassoClient()\n"
        "n: int = client.export.csv('tbl_1')\n"  # str, not int
        "client.tables.get(42)\n"  # the id is a str
        "client.with_options(timeout='soon')\n"
    )
    result = run(["-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), str(bad)])
    assert result.returncode == 1
    assert result.stdout.count("error:") == 3, result.stdout


def test_response_types_need_no_typing_extensions_and_load_lazily() -> None:
    # `NotRequired` is imported only while type checking, and `import lasso` stays fast.
    code = (
        "import sys; sys.modules['typing_extensions'] = None\n"
        "import lasso\n"
        "assert 'lasso.types' not in sys.modules\n"
        "from lasso.types import Table, Period, TableStatus\n"
        "assert Table.__doc__ and Period.__name__ == 'Period'\n"
    )
    result = run(["-c", code])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_typed_example_runs(mock: Mock) -> None:
    env = dict(os.environ, LASSO_BASE_URL=mock.url, LASSO_API_KEY=KEY)
    result = run([str(EXAMPLE)], env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "expected: NotFoundError 404 not_found" in result.stdout
    assert "webhook: webhook.test" in result.stdout


def test_py_typed_marker_is_in_the_package() -> None:
    assert (Path(lasso.__file__).parent / "py.typed").is_file()
    assert (Path(lasso.__file__).parent / "_native.pyi").is_file()


def public_classes() -> Set[type]:
    """Every class a user meets: exported ones, the clients' resource
    namespaces (nested ones too), and the classes of `lasso.webhooks`."""
    found: Set[type] = {obj for name in lasso.__all__ if inspect.isclass(obj := getattr(lasso, name))}
    pending: List[Any] = [lasso.LassoClient(KEY), lasso.AsyncLassoClient(KEY)]
    while pending:
        obj = pending.pop()
        found.add(type(obj))
        pending.extend(v for k, v in vars(obj).items() if not k.startswith("_") and hasattr(v, "_client"))
    return found


def test_every_public_class_and_method_has_a_docstring() -> None:
    missing = []
    classes = public_classes()
    assert len(classes) > 30
    for cls in classes:
        if not (cls.__doc__ or "").strip():
            missing.append(cls.__qualname__)
        for name, member in inspect.getmembers(cls):
            if name.startswith("_") or not (inspect.isfunction(member) or isinstance(member, property)):
                continue
            if not (member.__doc__ or "").strip():
                missing.append(f"{cls.__qualname__}.{name}")
    for module in (lasso, lasso.webhooks):
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj) and not (obj.__doc__ or "").strip():
                missing.append(f"{module.__name__}.{name}")
    assert not missing, missing


def test_the_client_methods_have_typed_signatures() -> None:
    hints = inspect.signature(lasso.LassoClient.with_options)
    assert list(hints.parameters) == ["self", "timeout", "max_retries", "extra_headers", "extra_query", "extra_body"]
    for cls in (lasso.LassoClient, lasso.AsyncLassoClient):
        for name, member in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_"):
                assert "return" in member.__annotations__, f"{cls.__name__}.{name}"


def _quick_starts(tmp_path: Path) -> List[str]:
    """The Python quick start of python/README.md (written to a file) and
    examples/quickstart.py, of which the repository README's is an excerpt."""
    import re

    readme = (PYTHON / "README.md").read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = tmp_path / "readme_quick_start.py"
    block.write_text(re.findall(r"```python\n(.*?)```", readme, re.S)[0])
    return [str(block), str(PYTHON / "examples" / "quickstart.py")]


def test_the_quick_starts_pass_pyright_basic(tmp_path: Path) -> None:
    # Pyright's default mode reports a NotRequired key read with [] (the types
    # must say which keys every answer carries); its own config would not be
    # picked up from tmp_path, so the mode is given explicitly.
    config = tmp_path / "pyrightconfig.json"
    config.write_text('{"typeCheckingMode": "basic", "pythonVersion": "3.9"}')
    pyright = Path(sys.executable).parent / "pyright"
    result = subprocess.run(
        [str(pyright), "--project", str(config), "--pythonpath", sys.executable, *_quick_starts(tmp_path)],
        cwd=PYTHON,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout


def test_the_quick_starts_pass_mypy_strict(tmp_path: Path) -> None:
    result = run(["-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), *_quick_starts(tmp_path)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_helpers_return_the_generated_types() -> None:
    from lasso import _generated

    def returns(fn: Any) -> str:
        return str(fn.__annotations__["return"])  # the annotation as written (postponed)

    assert returns(_generated.Tables.wait_for_completion) == "Table"
    assert returns(_generated.AsyncTables.wait_for_completion) == "Table"
    assert returns(_generated.Enhance.wait_for_completion) == "EnhanceStatus"
    assert returns(_generated.Files.upload) == "FileObject"
    assert returns(_generated.AsyncFiles.upload) == "FileObject"
    assert returns(_generated.Export.xlsx) == "bytes"
    assert str(lasso.JobFailedError.__annotations__["table"]) == "Optional[Table]"
