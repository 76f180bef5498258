#!/usr/bin/env python3
"""Merges target/conformance/{rust,python,node,kotlin}.json (written by the four
runners) into one table: scenario × language. Exits 1 when a scenario failed
or did not run in some language, so `just conformance` fails too."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("rust", "python", "node", "kotlin")


def main() -> int:
    here = Path(__file__).parent
    ids = [
        s["id"]
        for path in sorted(here.glob("*.json"))
        if path.name != "error_classes.json"
        for s in json.loads(path.read_text())["scenarios"]
    ]
    results = {}
    missing = []
    for lang in LANGUAGES:
        path = ROOT / "target" / "conformance" / f"{lang}.json"
        if not path.exists():
            missing.append(lang)
        rows = json.loads(path.read_text())["results"] if path.exists() else []
        results[lang] = {r["id"]: r for r in rows}

    width = max(len(i) for i in ids)
    print(f"{'scenario':<{width}}  " + "  ".join(f"{lang:<6}" for lang in LANGUAGES))
    print("-" * (width + 2 + 8 * len(LANGUAGES)))
    failures = []
    for sid in ids:
        cells = []
        for lang in LANGUAGES:
            row = results[lang].get(sid)
            cell = "-" if row is None else "pass" if row["ok"] else "FAIL"
            if cell != "pass" and lang not in missing:
                failures.append((sid, lang, "did not run" if row is None else row["error"]))
            cells.append(f"{cell:<6}")
        print(f"{sid:<{width}}  " + "  ".join(cells))
    passed = {lang: sum(1 for s in ids if results[lang].get(s, {}).get("ok")) for lang in LANGUAGES}
    print("-" * (width + 2 + 8 * len(LANGUAGES)))
    print(f"{f'{len(ids)} scenarios':<{width}}  " + "  ".join(f"{passed[lang]:<6}" for lang in LANGUAGES))
    for lang in missing:
        failures.append(("(every scenario)", lang, "the runner wrote no results"))
    if failures:
        print("\nFailures:")
        for sid, lang, why in failures:
            print(f"  {lang:<6} {sid}: {why}")
        print("Each runner's output: target/conformance/<language>.log")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
