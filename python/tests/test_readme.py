"""The quick starts in README.md are excerpts of the example files the demo runs:
every line of each code block must appear, in order, in its file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = {
    "python": ROOT / "python/examples/quickstart.py",
    "js": ROOT / "node/examples/quickstart.mjs",
    "rust": ROOT / "crates/lasso-ai/examples/quickstart.rs",
    "kotlin": ROOT / "kotlin/examples/Quickstart.kt",
}


def blocks() -> list[tuple[str, list[str]]]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [(lang, body.strip("\n").splitlines()) for lang, body in re.findall(r"```(\w+)\n(.*?)```", section, re.S)]


@pytest.mark.parametrize("lang", sorted(FILES))
def test_readme_excerpt_is_in_the_example_file(lang: str) -> None:
    found = [lines for block_lang, lines in blocks() if block_lang == lang]
    assert found, f"README has no {lang} quick start"
    source = FILES[lang].read_text().splitlines()
    position = 0
    for line in found[0]:
        indices = [i for i in range(position, len(source)) if source[i] == line]
        assert indices, f"{FILES[lang].name}: line not found (in order): {line!r}"
        position = indices[0] + 1
