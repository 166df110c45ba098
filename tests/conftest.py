import os
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEEDS = DATA / "corpus" / "seeds"
FAKES = DATA / "corpus" / "fakes" / "FA-KES-dev.csv"
UNGDC = DATA / "corpus" / "ungdc"


@pytest.fixture(autouse=True)
def _quiet_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.fixture(scope="session", autouse=True)
def _cache(tmp_path_factory):
    # tests share one cache so that the model is trained once per session
    os.environ.setdefault("STANCE_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def seed_docs():
    from stance import load_corpus

    return load_corpus(SEEDS).set_index("doc_id", drop=False)


@pytest.fixture(scope="session")
def seed_statements(seed_docs):
    from stance import extract_statements

    return extract_statements(seed_docs.reset_index(drop=True))
