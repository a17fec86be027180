import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"


def _rows(name: str) -> list[dict]:
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="session")
def corpus_blocks() -> list[dict]:
    return _rows("blocks.jsonl")


@pytest.fixture(scope="session")
def corpus_documents() -> list[dict]:
    return _rows("documents.jsonl")
