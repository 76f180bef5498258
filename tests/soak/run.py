#!/usr/bin/env python3
"""`just soak`: N requests (default 100,000) through each language's driver
(crates/lasso-ai/tests/soak.rs, tests/soak/soak.py, tests/soak/soak.mjs) against a
fresh lasso-mock with seeded random faults on every request (`--faults-probability`),
checking: no crash, no unexpected error type, RSS growth after warm-up, open sockets,
and that the billed search ran exactly once per successful call. Writes
target/soak/results.json, and bench/SOAK.md for a full-size run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
TRIPLE = os.environ.get("CARGO_BUILD_TARGET", "x86_64-unknown-linux-gnu")
CLASSES: Dict[str, str] = json.loads((ROOT / "tests" / "conformance" / "error_classes.json").read_text())["classes"]
# What 429, 500, 502 (HTML), 503 and a reset may legitimately end in once retries
# are exhausted (idempotent calls) or not allowed (billed POST after 500/502/reset).
ALLOWED = {"RateLimitError", "InternalServerError", "ServiceUnavailableError", "APIConnectionError"}
RSS_LIMIT_MB = 20.0
SOCKET_ALLOWANCE = 16


def mock_binary(explicit: Optional[str]) -> Path:
    if explicit:
        return Path(explicit)
    for profile in ("release", "debug"):
        p = ROOT / "target" / TRIPLE / profile / "lasso-mock"
        if p.exists():
            return p
    sys.exit("lasso-mock is not built: run `just build`")


def rust_driver() -> List[str]:
    out = subprocess.run(
        ["cargo", "test", "-q", "-p", "lasso-ai", "--test", "soak", "--no-run", "--message-format=json"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "soak" and msg.get("executable"):
            return [msg["executable"], "--ignored", "--nocapture", "--exact", "soak"]
    sys.exit("cannot find the soak test binary")


def proc_resources(pid: int) -> Optional[Dict[str, int]]:
    try:
        with open(f"/proc/{pid}/status") as f:
            rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        fds = sockets = 0
        for name in os.listdir(f"/proc/{pid}/fd"):
            fds += 1
            try:
                if os.readlink(f"/proc/{pid}/fd/{name}").startswith("socket:"):
                    sockets += 1
            except OSError:
                pass
        return {"rss_kb": rss, "fds": fds, "sockets": sockets}
    except (OSError, StopIteration):
        return None


def control(root: str, path: str) -> Any:
    with urllib.request.urlopen(root + path, timeout=10) as r:
        return json.loads(r.read())


def run_language(name: str, command: List[str], args: argparse.Namespace, mock_bin: Path, concurrency: int) -> Dict[str, Any]:
    mock = subprocess.Popen(
        [str(mock_bin), "--port", "0", "--time-scale", "0", "--balance", "1000000000",
         "--faults-probability", str(args.probability), "--faults-seed", str(args.seed)],
        stdout=subprocess.PIPE, text=True,
    )
    assert mock.stdout is not None
    url = mock.stdout.readline().split()[-1]
    root = url.rsplit("/api/v1", 1)[0]
    env = {**os.environ, "LASSO_SOAK_URL": url, "LASSO_SOAK_REQUESTS": str(args.requests),
           "LASSO_SOAK_CONCURRENCY": str(concurrency), "LASSO_SOAK_REPORT_EVERY": str(max(1, args.requests // 20))}
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    events: List[Dict[str, Any]] = []
    stderr: List[str] = []

    def read_stdout() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("{"):
                events.append(json.loads(line))

    def read_stderr() -> None:
        assert child.stderr is not None
        stderr.extend(child.stderr)

    readers = [threading.Thread(target=read_stdout), threading.Thread(target=read_stderr)]
    for t in readers:
        t.start()
    peak = {"rss_kb": 0, "fds": 0, "sockets": 0}
    mock_peak_rss = 0
    while child.poll() is None:
        sample = proc_resources(child.pid)
        if sample:
            for k in peak:
                peak[k] = max(peak[k], sample[k])
        mock_sample = proc_resources(mock.pid)
        if mock_sample:
            mock_peak_rss = max(mock_peak_rss, mock_sample["rss_kb"])
        time.sleep(0.25)
    for t in readers:
        t.join()
    wall = time.monotonic() - started
    stats = control(root, "/__mock/stats")
    mock.terminate()
    mock.wait(timeout=10)

    end = next((e for e in events if e["event"] == "end"), None)
    progress = [e for e in events if e["event"] == "progress"]
    warm = next((e for e in progress if e["done"] >= args.requests // 10), None)
    outcomes: Dict[str, int] = {}
    for key, count in (end or {}).get("outcomes", {}).items():
        op, _, what = key.partition(" ")
        what = CLASSES.get(what, what)  # Rust reports error codes; map them to the class names
        outcomes[f"{op} {what}"] = outcomes.get(f"{op} {what}", 0) + count
    errors: Dict[str, int] = {}
    unexpected: Dict[str, int] = {}
    for key, count in outcomes.items():
        what = key.partition(" ")[2]
        if what != "ok":
            errors[what] = errors.get(what, 0) + count
            if what not in ALLOWED:
                unexpected[key] = count
    received = sum(stats["received"].values())
    faulted = sum(stats["faulted"].values())
    search_ok = outcomes.get("search ok", 0)
    result = {
        "language": name,
        "requests": args.requests,
        "concurrency": concurrency,
        "exit_code": child.returncode,
        "completed": end["done"] if end else 0,
        "seconds": round(end["seconds"], 1) if end else None,
        "wall_seconds": round(wall, 1),
        "requests_per_second": round(end["done"] / end["seconds"]) if end else None,
        "outcomes": outcomes,
        "errors": errors,
        "unexpected_errors": unexpected,
        "rss_start_mb": round(events[0]["rss_kb"] / 1024, 1) if events else None,
        "rss_warm_mb": round(warm["rss_kb"] / 1024, 1) if warm else None,
        "rss_end_mb": round(end["rss_kb"] / 1024, 1) if end else None,
        "rss_peak_mb": round(peak["rss_kb"] / 1024, 1),
        "fds_end": end["fds"] if end else None,
        "sockets_peak": peak["sockets"],
        "sockets_end": end["sockets"] if end else None,
        "mock_attempts": received,
        "mock_faulted": faulted,
        "fault_rate": round(faulted / received, 4) if received else None,
        "search_ok": search_ok,
        "search_executed": stats["executed"]["search"],
        "mock_peak_rss_mb": round(mock_peak_rss / 1024, 1),
        "stderr_tail": "".join(stderr)[-2000:] if child.returncode else "",
    }
    growth = (result["rss_end_mb"] or 0) - (result["rss_warm_mb"] or 0)
    result["rss_growth_after_warmup_mb"] = round(growth, 1)
    checks = {
        "no crash (exit 0, every request answered)": child.returncode == 0 and result["completed"] == args.requests,
        "no unexpected error type": not unexpected,
        f"RSS growth after warm-up < {RSS_LIMIT_MB:.0f} MB": warm is not None and growth < RSS_LIMIT_MB,
        f"sockets bounded (peak <= concurrency + {SOCKET_ALLOWANCE})": peak["sockets"] <= concurrency + SOCKET_ALLOWANCE,
        "billed search executed exactly once per successful call": stats["executed"]["search"] == search_ok,
    }
    result["checks"] = checks
    result["ok"] = all(checks.values())
    return result


def markdown(results: List[Dict[str, Any]], args: argparse.Namespace, mock_bin: Path) -> str:
    rows = [
        ("requests (completed)", lambda r: f"{r['completed']:,}"),
        ("concurrency", lambda r: r["concurrency"]),
        ("time (s) / requests per s", lambda r: f"{r['seconds']} / {r['requests_per_second']:,}"),
        ("attempts the mock saw / faulted (rate)", lambda r: f"{r['mock_attempts']:,} / {r['mock_faulted']:,} ({r['fault_rate']:.2%})"),
        ("errors returned, by class", lambda r: ", ".join(f"{k} {v}" for k, v in sorted(r["errors"].items())) or "none"),
        ("unexpected error types", lambda r: ", ".join(f"{k} {v}" for k, v in r["unexpected_errors"].items()) or "none"),
        ("RSS start / after 10 % (warm-up) / end / peak (MB)", lambda r: f"{r['rss_start_mb']} / {r['rss_warm_mb']} / {r['rss_end_mb']} / {r['rss_peak_mb']}"),
        ("RSS growth after warm-up (MB)", lambda r: r["rss_growth_after_warmup_mb"]),
        ("sockets peak / at end (fds at end)", lambda r: f"{r['sockets_peak']} / {r['sockets_end']} ({r['fds_end']})"),
        ("billed search: successful calls / executions", lambda r: f"{r['search_ok']:,} / {r['search_executed']:,}"),
        ("checks", lambda r: "pass" if r["ok"] else "FAIL: " + ", ".join(k for k, v in r["checks"].items() if not v)),
    ]
    names = {"rust": "Rust", "python": "Python (sync)", "node": "Node"}
    out = ["| | " + " | ".join(names[r["language"]] for r in results) + " |", "|---|" + "---|" * len(results)]
    for label, fn in rows:
        out.append(f"| {label} | " + " | ".join(str(fn(r)) for r in results) + " |")
    return "\n".join(out)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--requests", type=int, default=100_000)
    p.add_argument("--probability", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--languages", default="rust,python,node")
    p.add_argument("--mock", help="lasso-mock binary (default: the release build if present, else debug)")
    args = p.parse_args()
    mock_bin = mock_binary(args.mock)
    commands = {
        "rust": (rust_driver(), 64),
        "python": ([str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "tests" / "soak" / "soak.py")], 32),
        "node": (["node", str(ROOT / "tests" / "soak" / "soak.mjs")], 64),
    }
    results = []
    for name in args.languages.split(","):
        command, concurrency = commands[name]
        print(f"soak: {name}: {args.requests:,} requests, concurrency {concurrency} …", flush=True)
        r = run_language(name, command, args, mock_bin, concurrency)
        print(json.dumps({k: v for k, v in r.items() if k != "stderr_tail"}, indent=1), flush=True)
        if r["stderr_tail"]:
            print(r["stderr_tail"], file=sys.stderr)
        results.append(r)
    out = ROOT / "target" / "soak"
    out.mkdir(parents=True, exist_ok=True)
    meta = {
        "mock": str(mock_bin.relative_to(ROOT)),
        "probability": args.probability,
        "seed": args.seed,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    (out / "results.json").write_text(json.dumps({"meta": meta, "results": results}, indent=1))
    table = markdown(results, args, mock_bin)
    (out / "table.md").write_text(table + "\n")
    print(table)
    if not all(r["ok"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
