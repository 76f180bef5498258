"""Every ``python`` code block of python/README.md runs, in order, in one
namespace (as a reader pasting them one after the other), against lasso-mock.

They run in a child interpreter (the logging block configures logging, the
async ones run event loops) from a script made of the blocks and of what the
README leaves to the reader, set up before the first block (``PRELUDE``):

* the key placeholder ``"lasso_..."`` is a test key, and ``LASSO_BASE_URL``
  points at the emulator, as it would for a user;
* ``table_id`` and ``schema_id`` name the emulator's sample table and schema;
  the files the blocks upload exist in the working directory;
* the webhook block's Flask ``app`` and ``request`` are stand-ins that record
  the route; after the blocks, the route is called with a delivery signed by
  ``lasso.webhooks.sign`` and with a forged one (``EPILOGUE``);
* the proxy block builds its client without ``LASSO_BASE_URL`` (a loopback
  URL takes no proxy) and with the system's CA file for the company root: the
  client is built, which sends nothing;
* the testing block's pytest tests are called with what its fixtures give
  (an emulator from ``lasso.testing.start_mock`` and a client of it).

``sh`` blocks are commands, not Python, and are not run.
"""

from __future__ import annotations

import os
import re
import ssl
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import List, Tuple

from conftest import KEY, ROOT, Mock

README = ROOT / "python" / "README.md"

PRELUDE = """
import os, sys
table_id = "tbl_sample"
schema_id = "schema_sample"
for name in ("products.pdf", "catalogue.pdf"):
    with open(name, "wb") as f:
        f.write(b"%PDF-1.4\\n1 0 obj << /Type /Catalog >> endobj\\ntrailer << /Root 1 0 R >>\\n%%EOF\\n")
with open("sheet.xlsx", "wb") as f:
    f.write(b"PK\\x03\\x04 not really a workbook")

class _App:
    routes = {}
    def post(self, path):
        def register(fn):
            self.routes[path] = fn
            return fn
        return register

class _Request:
    body = b""
    headers = {}
    def get_data(self):
        return self.body

app, request = _App(), _Request()
SECRET = "whsec_readme"
handled = []
def handle(event, data):
    handled.append(event)
"""

EPILOGUE = """
import json
import lasso
body = json.dumps({"event": "table.completed", "data": {"id": "tbl_1"}}).encode()
request.body, request.headers = body, {"X-Lasso-Signature": lasso.webhooks.sign(body, SECRET)}
assert app.routes["/lasso/webhook"]() == ("", 204), "a signed delivery is accepted"
request.headers = {"X-Lasso-Signature": "sha256=" + "0" * 64}
answer = app.routes["/lasso/webhook"]()
assert answer[1] == 400 and answer[0]["error"], answer
assert handled == ["table.completed"], handled
from lasso.testing import start_mock
with start_mock() as _mock:
    test_balance(_mock.client())
    test_control(_mock, _mock.client())
assert os.path.getsize("q3.xlsx") > 0 and os.path.getsize("big.xlsx") > 0
print("README: every block ran")
"""


def blocks() -> List[Tuple[str, str]]:
    """(section, code) of each ``python`` block, in order."""
    found = []
    section = ""
    for part in re.split(r"(^## [^\n]*$|^ *```python\n.*?^ *```$)", README.read_text(), flags=re.M | re.S):
        if part.startswith("## "):
            section = part[3:].strip()
        elif part.lstrip().startswith("```python"):
            # A block inside a list item is indented like the item's text.
            found.append((section, textwrap.dedent(part.split("\n", 1)[1].rsplit("\n", 1)[0] + "\n")))
    return found


def adapt(section: str, code: str) -> str:
    code = code.replace('"lasso_..."', repr(KEY))
    if "proxy=" in code and "LassoClient(" in code:
        cafile = ssl.get_default_verify_paths().cafile or "/etc/ssl/certs/ca-certificates.crt"
        code = code.replace('"/etc/ssl/corp-root.pem"', repr(cafile))
        code = '_url = os.environ.pop("LASSO_BASE_URL")\n' + code + '\nos.environ["LASSO_BASE_URL"] = _url\n'
    return code


def script() -> str:
    parts = [PRELUDE]
    for i, (section, code) in enumerate(blocks()):
        source = adapt(section, code)
        parts.append(
            f"exec(compile({source!r}, {f'README.md block {i + 1} ({section})'!r}, 'exec'))\n"
            f"print('block {i + 1} ran', file=sys.stderr)\n"
        )
    parts.append(EPILOGUE)
    return "\n".join(parts)


def test_the_readme_has_python_blocks_in_every_section_that_shows_code() -> None:
    sections = {section for section, _ in blocks()}
    assert {
        "Quick start",
        "Arguments: not given, `None` and `null`",
        "Errors",
        "Retries and timeouts",
        "Async client",
        "Logging",
        "Webhooks",
    } <= sections


def test_every_python_block_of_the_readme_runs_against_lasso_mock(mock: Mock, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LASSO_")}
    env.update(LASSO_BASE_URL=mock.url, LASSO_API_KEY=KEY)
    # The testing block's fixture starts `lasso-mock` from PATH.
    mock_bin = Path(
        subprocess.check_output(
            [sys.executable, "-c", "import conftest; print(conftest._mock_binary())"],
            cwd=Path(__file__).parent,
            text=True,
        ).strip()
    )
    env["PATH"] = f"{mock_bin.parent}{os.pathsep}{env.get('PATH', '')}"
    (tmp_path / "readme_blocks.py").write_text(script())
    out = subprocess.run(
        [sys.executable, "readme_blocks.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    ran = out.stderr.count(" ran\n")
    assert out.returncode == 0, f"after {ran} of {len(blocks())} blocks:\n{out.stderr[-3000:]}"
    assert ran == len(blocks())
    assert "README: every block ran" in out.stdout
