"""The pipeline's per-document cache, its engines (local processes, Dask) and streamed output:
every way of running gives the same rows as a plain run."""
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from stance import pipeline
from stance.cache import cache_dir

from .conftest import DATA, SEEDS, UNGDC

CORPUS = DATA / "corpus"


def same(a: pipeline.RunResult, b: pipeline.RunResult) -> None:
    for name in ("documents", "statements", "labels"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_dtype=True)


@pytest.fixture()
def own_cache(tmp_path, monkeypatch):
    """A cache of this test's own for per-document results; the trained model is shared."""
    shared = cache_dir()
    tmp_path = tmp_path / "cache"
    tmp_path.mkdir()
    (tmp_path / "models").symlink_to(shared / "models", target_is_directory=True)
    monkeypatch.setenv("STANCE_CACHE", str(tmp_path))
    (shared / "models").mkdir(parents=True, exist_ok=True)
    return tmp_path


@pytest.fixture(scope="module")
def uncached_bundled():
    return pipeline.run([CORPUS], labeler="hybrid", cache=False)


def test_second_run_reads_every_document_from_the_cache(own_cache):
    cold = pipeline.run([SEEDS, UNGDC], labeler="hybrid")
    assert cold.stats["documents_from_cache"] == 0 and cold.stats["labels"] > 0
    warm = pipeline.run([SEEDS, UNGDC], labeler="hybrid")
    same(cold, warm)
    assert warm.stats["documents_from_cache"] == warm.stats["documents"] == cold.stats["documents"]
    assert warm.stats["statements_from_cache"] == cold.stats["statements"]
    assert warm.stats["labels_from_cache"] == cold.stats["labels"]
    assert warm.stats["seconds"]["extract"] == 0 and warm.stats["seconds"]["label"] == 0
    # far fewer files than documents: one segment per chunk
    segments = list((own_cache / "statements").rglob("seg-*.parquet"))
    assert 0 < len(segments) < cold.stats["documents"] / 10


def test_a_changed_document_is_the_only_one_recomputed(own_cache, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    first = pipeline.run([corpus], labeler="hybrid")
    victim = sorted(f for f in corpus.iterdir() if f.suffix in (".md", ".txt", ".html"))[0]
    victim.write_text(victim.read_text(encoding="utf-8") + "\n\nLavrov said Russia would never accept it.\n",
                      encoding="utf-8")
    second = pipeline.run([corpus], labeler="hybrid")
    assert second.stats["documents_from_cache"] == first.stats["documents"] - 1
    fresh = pipeline.run([corpus], labeler="hybrid", cache=False)
    same(second, fresh)
    assert "Russia would never accept it" in " ".join(second.statements["text"])


def test_a_changed_labeler_relabels_cached_statements(own_cache, monkeypatch):
    first = pipeline.run([SEEDS], labeler="hybrid")
    # a new codebook or annotations change the labeler's key: statements stay, labels are redone
    monkeypatch.setattr(pipeline, "labeler_key", lambda name: f"{name}-edited-codebook")
    second = pipeline.run([SEEDS], labeler="hybrid")
    assert second.stats["statements_from_cache"] == first.stats["statements"]
    assert second.stats["labels_from_cache"] == 0
    assert second.stats["seconds"]["extract"] == 0 and second.stats["seconds"]["label"] > 0
    same(first, second)


def test_a_corrupt_cache_segment_is_rebuilt_not_trusted(own_cache):
    first = pipeline.run([SEEDS], labeler="hybrid")
    for seg in (own_cache / "statements").rglob("seg-*.parquet"):
        data = bytearray(seg.read_bytes())
        data[len(data) // 2] ^= 0xFF
        seg.write_bytes(bytes(data))
    for seg in (own_cache / "labels").rglob("seg-*.parquet"):
        seg.write_bytes(seg.read_bytes()[:40])  # truncated
    second = pipeline.run([SEEDS], labeler="hybrid")
    assert second.stats["documents_from_cache"] == 0
    same(first, second)
    third = pipeline.run([SEEDS], labeler="hybrid")  # the rebuilt entries are good again
    assert third.stats["documents_from_cache"] == third.stats["documents"]


def test_dask_engine_gives_the_local_rows_on_the_bundled_corpus(uncached_bundled):
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        dasked = pipeline.run([CORPUS], labeler="hybrid", cache=False, engine="dask", scheduler=client)
    assert len(uncached_bundled.labels) > 500
    same(uncached_bundled, dasked)
    assert dasked.stats["engine"] == "dask"


def test_worker_processes_give_the_same_rows(own_cache):
    one = pipeline.run([SEEDS, UNGDC], labeler="rule", cache=False)
    two = pipeline.run([SEEDS, UNGDC], labeler="rule", cache=False, jobs=2, chunk_docs=4)
    same(one, two)


def test_written_tables_and_keep_nothing_hold_no_rows_in_memory(tmp_path):
    from stance.io import TableWriter
    from stance.schema import LABELS

    full = pipeline.run([SEEDS], labeler="rule", cache=False)
    with TableWriter(tmp_path / "labels.parquet", LABELS) as lw:
        lean = pipeline.run([SEEDS], labeler="rule", cache=False, jobs=2, chunk_docs=3,
                            writers={"labels": lw}, keep=())
    assert len(lean.documents) == len(lean.statements) == len(lean.labels) == 0
    assert (lean.stats["documents"], lean.stats["statements"], lean.stats["labels"]) == \
        (len(full.documents), len(full.statements), len(full.labels))
    written = pd.read_parquet(tmp_path / "labels.parquet")
    assert written["statement_id"].tolist() == full.labels["statement_id"].tolist()
    assert written["stance"].tolist() == full.labels["stance"].tolist()


def test_unknown_engine_is_refused():
    from stance import StanceInputError

    with pytest.raises(StanceInputError, match="unknown engine 'spark'"):
        pipeline.run([SEEDS], engine="spark")


@pytest.mark.slow
def test_cli_streams_statements_to_parquet_and_reports_the_cache(own_cache, tmp_path):
    out = tmp_path / "statements.parquet"
    cmd = [sys.executable, "-m", "stance.cli", "extract", str(SEEDS), "--out", str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    streamed = pd.read_parquet(out)
    direct = pipeline.run([SEEDS], labeler=None, cache=False).statements
    assert streamed["statement_id"].tolist() == direct["statement_id"].tolist()
    assert streamed["text"].tolist() == direct["text"].tolist()
    r = subprocess.run([sys.executable, "-m", "stance.cli", "stats", str(SEEDS), "--labeler", "rule"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    docs_line = next(line for line in r.stdout.splitlines() if line.startswith("documents"))
    total, cached = docs_line.split()[1:3]
    # the extract run stored the statements; stats labels them and reads them back
    assert total == cached and int(total) >= direct["doc_id"].nunique()


# ------------------------------------------------------------------------------------------
# Fast paths give exactly the answers of the plain ones

def test_word_trie_matches_what_the_plain_alternation_matches(seed_docs):
    import re

    from stance.resources import load_actor_book, load_lexicon, word_pattern

    book, lex = load_actor_book(), load_lexicon()
    cases = [(list(book.aliases), r"(?:'s|’s)?(?![\w-])"), (list(book.terms), r"(?![\w-])"),
             ([v for vs in lex["reporting_verbs"].values() for v in vs], r"(?![\w-])"),
             (["minister", "Minister of State", "ministry", "min", "UN", "u.n.", "al-Assad"], r"(?![\w-])")]
    texts = seed_docs["text"].tolist() + ["The Ministry said; the ministers' min. U.N. envoy, al-Assad's"]
    for words, after in cases:
        plain = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
                           + ")" + after, re.I)
        trie = word_pattern(words, after)
        for text in texts:
            assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_sentence_end_pattern_finds_what_the_two_branch_pattern_found():
    """_SENT_END starts both branches with the mark (so the regex engine can scan for it); it must
    find the spans of the former pattern, whose second branch began with a lookbehind."""
    import re

    from stance import load_corpus
    from stance.statements import _SENT_END

    odd = _SENT_END.pattern.split("|")[1].split(")*")[0]  # the two-character quote the FA-KES text has
    plain = re.compile(r"[.!?]+(?:[\"”’'\)\]]|" + odd + r")*(?=\s+|$)|(?<=[a-z]{3})[.!?](?=[A-Z][a-z])")
    texts = load_corpus([CORPUS])["text"].tolist() + [
        "Hi..Yes", "end.\") Next", "abc.Def", "ab.Cd", "x?!” y", "...", "word.’", "U.S. said.", "talks.Then!"]
    found = 0
    for text in texts:
        spans = [m.span() for m in _SENT_END.finditer(text)]
        assert spans == [m.span() for m in plain.finditer(text)]
        found += len(spans)
    assert found > 5000


def test_cue_scan_skips_only_patterns_that_cannot_match(seed_statements):
    from stance.labelers import RuleLabeler

    texts = seed_statements["text"].tolist() + ["Moscow will never SUPPORT the ouſter of Assad", "İNTERVENTİON"]
    fast = RuleLabeler().fit()
    plain = RuleLabeler().fit()
    for iid in plain.issues_:
        topic, cues, targets = plain._plan(iid)
        plain.plan_[iid] = ([(p, None) for p, _ in topic], [(s, c, p, None) for s, c, p, _ in cues],
                            [(s, p, None) for s, p, _ in targets])
    assert fast.all_hits(texts) == plain.all_hits(texts)
    assert sum(len(h[0]) for per in fast.all_hits(texts).values() for h in per) > 0


def test_labels_cache_key_follows_every_file_the_labeler_learns_from(tmp_path, monkeypatch):
    """The labels cache and the model cache hash the same training files: editing the written
    training statements (synthetic.csv) changes both keys, as editing the annotations does."""
    import shutil

    from stance import labelers, pipeline
    from stance.resources import LABELER_DATA, data_dir

    for name in LABELER_DATA:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(data_dir() / name, tmp_path / name)
    monkeypatch.setenv("STANCE_DATA", str(tmp_path))
    before = pipeline.labeler_key("hybrid"), labelers.training_digest()
    with open(tmp_path / "annotations" / "synthetic.csv", "a", encoding="utf-8") as f:
        f.write("X-0001,We will never accept a ceasefire with them,ceasefire,against,never accept,direct,,,2016,X\n")
    after = pipeline.labeler_key("hybrid"), labelers.training_digest()
    assert before[0] != after[0] and before[1] != after[1]
