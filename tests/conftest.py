"""Shared fixtures: a fresh workspace per test, and the evaluation data beside the project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import storylens

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


@pytest.fixture
def ws(tmp_path):
    """A workspace on a new store in a temporary folder."""
    with storylens.open(tmp_path / "store.db") as workspace:
        yield workspace


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test when that data is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (the evaluation data sits beside the project root)")
    return path


SEED_TOI = "000_49581dc15134e57e.txt"  # Times of India: a machine rewrite of a wire story
SEED_TELEGRAPH = "003_38ba1ae5451041f6.txt"


@pytest.fixture(scope="session")
def nlp():
    """The English spaCy pipeline, or a skip when the model package is not installed."""
    from storylens.analyze.nlp import ModelMissing, english

    try:
        return english()
    except ModelMissing as exc:
        pytest.skip(str(exc))


def body(path: Path) -> str:
    """A .txt article's body as storylens stores it: the text after its first non-empty line."""
    from storylens.ingest.normalize import clean_text

    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip())
    return clean_text("\n".join(lines[first + 1:]))


def corpus_article(source: str) -> tuple[str, str | None]:
    """(text, published) of a sample-corpus source: a .txt, an .html page or 'file.jsonl#id'."""
    from storylens.ingest.html import read_html
    from storylens.ingest.registry import Payload

    corpus = EXAMPLES / "corpus"
    if "#" in source:
        name, record_id = source.split("#", 1)
        for line in (corpus / name).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["id"] == record_id:
                return record["text"], record.get("published")
        raise KeyError(source)
    if source.endswith(".html"):
        [draft] = read_html(Payload(source, (corpus / source).read_bytes()), None)
        return draft.text, draft.published
    return body(corpus / source), None


def expected() -> dict:
    """The sample corpus's expected results (examples/expected.json)."""
    return json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))


def run_cli(*args: str, env: dict | None = None):
    """Run the storylens command line in-process, wide enough that tables do not wrap."""
    from typer.testing import CliRunner

    from storylens.cli import app

    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200", **(env or {})})


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> str:
    """The sample corpus through every stage, once per test session (tests must not change it)."""
    db = str(tmp_path_factory.mktemp("corpus") / "corpus.db")
    result = run_cli("ingest", str(EXAMPLES / "corpus"), "--db", db, "-w", "1")
    assert result.exit_code == 1, result.output  # one malformed file, on purpose
    return db
