"""Drop-in for the official ``lasso-ai`` 0.1.2: every Python example of its
README runs unchanged against lasso-mock.

Each snippet below is copied verbatim from the README of the ``lasso-ai==0.1.2``
wheel (its METADATA file), in the README's order, and executed with `exec` in
one namespace, as a reader pasting them one after the other would. The only
adaptations, made by `_adapt` and nothing else:

* the placeholder key ``"lasso_..."`` becomes a well-formed test key (the
  mock's base URL comes from ``LASSO_BASE_URL``, as it would for a user);
* the placeholder row ids ``"row-1"``, ``"row-2"`` of the enhancement example
  become the ids of two rows of the extracted table (the API checks that
  rows belong to the table);
* relative file names (``products.pdf`` to upload, ``products.xlsx`` to
  write) are resolved in a temporary working directory where
  ``products.pdf`` exists.

The README's two ``bash`` snippets (``pip install lasso-ai`` and
``pip install lasso-ai[pandas]``) are install commands, not examples of the
API; ours is ``pip install lasso`` / ``pip install "lasso[pandas]"``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
from conftest import KEY, Mock, running_mock

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

# (README section, code), verbatim.
README: List[Tuple[str, str]] = [
    (
        "Usage",
        """from lasso import LassoClient

lasso = LassoClient(api_key="lasso_...")
""",
    ),
    (
        "Schemas",
        """schema = lasso.schemas.create(
    name="Products",
    columns=[
        {"key": "name", "label": "Product Name", "type": "text", "required": True},
        {"key": "price", "label": "Price", "type": "number"},
        {"key": "description", "label": "Description", "type": "richtext"},
    ],
)

schemas = lasso.schemas.list()
detail = lasso.schemas.get(schema["id"])
""",
    ),
    (
        "Files",
        """file = lasso.files.upload("products.pdf")
files = lasso.files.list()
""",
    ),
    (
        "Tables",
        """table = lasso.tables.create(
    schema_id=schema["id"],
    name="My Products",
    file_ids=[file["id"]],
)

# Poll until extraction completes
result = lasso.tables.wait_for_completion(table["id"])

rows = lasso.tables.rows(result["id"])
""",
    ),
    (
        "Enhancement",
        """job = lasso.enhance.cells(
    table["id"],
    row_ids=["row-1", "row-2"],
    column_key="description",
    prompt="Write a product description based on {{Product Name}}",
)

status = lasso.enhance.status(table["id"])
""",
    ),
    (
        "Export",
        """csv_data = lasso.export.csv(table["id"])
json_data = lasso.export.json(table["id"])

# Download xlsx to disk
lasso.export.xlsx(table["id"], path="products.xlsx")
""",
    ),
    (
        "Pandas integration",
        """df = lasso.tables.results_as_dataframe(table["id"])
print(df.head())
""",
    ),
    (
        "Glossary",
        """lasso.glossary.create(term="LCD", type="do_not_translate")
terms = lasso.glossary.list()
""",
    ),
    (
        "Credits",
        """balance = lasso.credits.balance()
usage = lasso.credits.usage(from_="2026-01-01")
""",
    ),
    (
        "Search",
        """results = lasso.search(
    query="wireless noise-cancelling headphones under $200",
    max_results=5,
)

for item in results["results"]:
    print(item["data"]["name"], item["source_url"])

# With a custom schema
results = lasso.search(
    query="ergonomic office chairs",
    columns=[
        {"key": "name", "label": "Name", "type": "text"},
        {"key": "price", "label": "Price", "type": "number"},
        {"key": "rating", "label": "Rating", "type": "number"},
    ],
)
""",
    ),
    (
        "Enrich",
        """enriched = lasso.enrich(
    items=[
        {"data": {"name": "Sony WH-1000XM5"}},
        {"data": {"name": "Apple AirPods Pro 2"}},
    ],
    columns=[
        {"key": "name", "label": "Name", "type": "text"},
        {"key": "price", "label": "Price", "type": "number"},
        {"key": "description", "label": "Description", "type": "richtext"},
    ],
    web_search=True,
    thinking="medium",
)

for item in enriched["items"]:
    print(item["data"]["name"], item["data"]["price"])
    for field in item["basis"]:
        print(f"  {field['field']}: {field['confidence']}", field["citations"])
""",
    ),
    (
        "Context manager",
        """with LassoClient(api_key="lasso_...") as lasso:
    schemas = lasso.schemas.list()
""",
    ),
    (
        "Error handling",
        """from lasso import LassoClient, LassoError

try:
    lasso.schemas.get("non-existent")
except LassoError as e:
    print(e.status_code)   # 404
    print(e.error_type)    # "not_found"
    print(e.request_id)    # "req_..."
""",
    ),
]

SECTIONS = [section for section, _ in README]


class Readme:
    """The namespace the snippets share, and the mock behind it."""

    def __init__(self, mock: Mock) -> None:
        self.mock = mock
        self.ns: Dict[str, Any] = {"__name__": "readme"}

    def run(self, section: str) -> None:
        code = dict(README)[section]
        exec(compile(self._adapt(code), f"<README: {section}>", "exec"), self.ns)

    def _adapt(self, code: str) -> str:
        code = code.replace('"lasso_..."', repr(KEY))
        if '"row-1"' in code:
            rows = self.ns["rows"]["data"]
            code = code.replace('"row-1"', repr(rows[0]["id"])).replace('"row-2"', repr(rows[1]["id"]))
        return code


@pytest.fixture(scope="module")
def readme(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Readme]:
    # A mock of its own, where extraction and enhancement finish at once
    # (so `wait_for_completion`, 3 s between polls, returns on its first poll).
    workdir = tmp_path_factory.mktemp("readme")
    (workdir / "products.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    saved_cwd, saved_env = os.getcwd(), {k: os.environ.get(k) for k in ("LASSO_BASE_URL", "LASSO_API_KEY")}
    with running_mock("--time-scale", "0") as mock:
        os.environ["LASSO_BASE_URL"] = mock.url
        os.environ.pop("LASSO_API_KEY", None)
        os.chdir(workdir)
        try:
            yield Readme(mock)
        finally:
            os.chdir(saved_cwd)
            for k, v in saved_env.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def test_the_readme_is_copied_in_order() -> None:
    assert SECTIONS == [
        "Usage",
        "Schemas",
        "Files",
        "Tables",
        "Enhancement",
        "Export",
        "Pandas integration",
        "Glossary",
        "Credits",
        "Search",
        "Enrich",
        "Context manager",
        "Error handling",
    ]


# The tests below run in this file's order, each one README section; the
# checks after `run` are ours, not the README's.


def test_usage(readme: Readme) -> None:
    readme.run("Usage")
    client = readme.ns["lasso"]
    assert type(client).__name__ == "LassoClient"
    assert client.base_url == readme.mock.url


def test_schemas(readme: Readme) -> None:
    readme.run("Schemas")
    ns = readme.ns
    assert [c["key"] for c in ns["schema"]["columns"]] == ["name", "price", "description"]
    assert ns["schema"]["id"] in [s["id"] for s in ns["schemas"]["data"]]
    assert ns["detail"]["name"] == "Products"


def test_files(readme: Readme) -> None:
    readme.run("Files")
    ns = readme.ns
    assert ns["file"]["filename"] == "products.pdf"
    assert ns["file"]["size"] == Path("products.pdf").stat().st_size
    assert ns["file"]["id"] in [f["id"] for f in ns["files"]["data"]]


def test_tables_wait_for_completion(readme: Readme) -> None:
    readme.run("Tables")
    ns = readme.ns
    assert ns["result"]["id"] == ns["table"]["id"]
    assert ns["result"]["status"] == "completed"
    assert len(ns["rows"]["data"]) >= 2
    assert set(ns["rows"]["data"][0]["data"]) >= {"name", "price", "description"}


def test_enhancement(readme: Readme) -> None:
    readme.run("Enhancement")
    ns = readme.ns
    assert isinstance(ns["job"], dict)
    assert isinstance(ns["status"], dict)
    assert "description" in str(ns["status"])


def test_export_to_a_path(readme: Readme) -> None:
    readme.run("Export")
    ns = readme.ns
    assert ns["csv_data"].splitlines()[0].split(";")[:3] == ["name", "price", "description"]
    assert len(ns["json_data"]) == len(ns["rows"]["data"])
    assert Path("products.xlsx").read_bytes()[:2] == b"PK"


def test_pandas_integration(readme: Readme, capsys: pytest.CaptureFixture[str]) -> None:
    readme.run("Pandas integration")
    df = readme.ns["df"]
    assert set(df.columns) == {"name", "price", "description"}
    assert len(df) == len(readme.ns["rows"]["data"])
    assert "name" in capsys.readouterr().out  # df.head() was printed (wide columns may be elided)


def test_glossary(readme: Readme) -> None:
    readme.run("Glossary")
    assert "LCD" in [t["term"] for t in readme.ns["terms"]["data"]]


def test_credits(readme: Readme) -> None:
    readme.run("Credits")
    ns = readme.ns
    assert ns["balance"]["currency"] == "credits"
    assert ns["usage"]["data"], "the extraction and enhancement were charged"
    # `from_` is sent as `from` (lasso-ai 0.1.2 sent `from_`, which the API ignores).
    assert any(
        "from=2026-01-01" in (r["query"] or "") for r in readme.mock.requests() if r["operation"] == "credits.usage"
    )


def test_search(readme: Readme, capsys: pytest.CaptureFixture[str]) -> None:
    readme.run("Search")
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 5  # max_results=5
    assert all(" http" in line for line in printed)
    assert set(readme.ns["results"]["results"][0]["data"]) >= {"name", "price", "rating"}


def test_enrich(readme: Readme, capsys: pytest.CaptureFixture[str]) -> None:
    readme.run("Enrich")
    out = capsys.readouterr().out
    assert "Sony WH-1000XM5" in out and "Apple AirPods Pro 2" in out
    assert "  price: " in out


def test_context_manager(readme: Readme) -> None:
    readme.run("Context manager")
    assert "data" in readme.ns["schemas"]


def test_error_handling(readme: Readme, capsys: pytest.CaptureFixture[str]) -> None:
    # The context-manager example just before closed `lasso` (as it closes the
    # official SDK's httpx client); the README's snippets assume an open one.
    readme.ns["lasso"] = readme.ns["LassoClient"](api_key=KEY)
    readme.run("Error handling")
    status, error_type, request_id = capsys.readouterr().out.splitlines()
    assert status == "404"
    assert error_type == "not_found"
    assert UUID.fullmatch(request_id), request_id  # the API's ids are UUIDs, not "req_..."
