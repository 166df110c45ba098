"""A warm run does not read or hash an input file whose size and modification time are those
recorded (stance.cache.FileRecords); every change that matters still reaches the output, which
is the output of a run without any cache."""
import os
import shutil

import pandas as pd
import pytest

from stance import pipeline
from stance.cache import cache_dir

from .conftest import FAKES, SEEDS


@pytest.fixture()
def own_cache(tmp_path, monkeypatch):
    """A cache of this test's own; the trained model is shared."""
    shared = cache_dir()
    (shared / "models").mkdir(parents=True, exist_ok=True)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "models").symlink_to(shared / "models", target_is_directory=True)
    monkeypatch.setenv("STANCE_CACHE", str(cache))
    return cache


@pytest.fixture()
def reads(monkeypatch, tmp_path):
    """The files of the test's corpus (under tmp_path/corpus) that the pipeline reads, in order
    (not those the actor model reads as it trains)."""
    from stance import corpus

    seen: list[str] = []
    real = corpus._documents_of

    def spy(f, *args, **kwargs):
        if tmp_path / "corpus" in f.parents:
            seen.append(f.name)
        return real(f, *args, **kwargs)

    monkeypatch.setattr(corpus, "_documents_of", spy)
    return seen


@pytest.fixture()
def corpus_copy(tmp_path):
    """The seed articles (with their manifest) and a table of FA-KES articles, copied."""
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    shutil.copy(FAKES, folder / "fakes.csv")
    return folder


def run(folder, **kw) -> pipeline.RunResult:
    return pipeline.run([folder], labeler="rule", **kw)


def same_as_uncached(result: pipeline.RunResult, folder) -> None:
    fresh = run(folder, cache=False)
    for name in ("documents", "statements", "labels"):
        pd.testing.assert_frame_equal(getattr(result, name), getattr(fresh, name))
    assert result.problems.rows == fresh.problems.rows


def articles(folder):
    return sorted(f for f in folder.iterdir() if f.suffix == ".txt")


def test_unchanged_files_are_not_read_again_and_give_the_same_tables(own_cache, corpus_copy, reads):
    cold = run(corpus_copy)
    assert len(reads) == 6 and cold.stats["documents"] > 100
    reads.clear()
    warm = run(corpus_copy)
    assert reads == []
    assert warm.stats["documents_from_cache"] == warm.stats["documents"] == cold.stats["documents"]
    assert warm.stats["characters"] == cold.stats["characters"]
    same_as_uncached(warm, corpus_copy)


def test_problems_of_an_unread_file_are_raised_again(own_cache, tmp_path, reads):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "undated.txt").write_text("Talks\n\nThe minister said: \"We will not accept this plan.\"\n",
                                        encoding="utf-8")
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    cold = run(folder)
    assert {(r["path"].rsplit("/", 1)[-1], r["action"]) for r in cold.problems.rows} == {
        ("undated.txt", "kept"), ("empty.txt", "skipped")}
    reads.clear()
    warm = run(folder)
    assert reads == []
    assert warm.problems.rows == cold.problems.rows
    with pytest.raises(pipeline.StanceInputError, match="empty.txt"):  # --strict fails as it did
        pipeline.run([folder], labeler="rule", problems=pipeline.Problems(strict=True))


def test_a_touched_file_with_the_same_text_is_read_and_its_results_come_from_the_cache(own_cache, corpus_copy,
                                                                                          reads):
    run(corpus_copy)
    victim = articles(corpus_copy)[1]
    st = victim.stat()
    os.utime(victim, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    reads.clear()
    warm = run(corpus_copy)
    assert reads == [victim.name]
    assert warm.stats["documents_from_cache"] == warm.stats["documents"]
    same_as_uncached(warm, corpus_copy)
    reads.clear()
    run(corpus_copy)  # recorded again with its new time
    assert reads == []


def test_a_changed_article_and_a_changed_table_row_are_recomputed(own_cache, corpus_copy, reads):
    first = run(corpus_copy)
    victim = articles(corpus_copy)[0]
    victim.write_text(victim.read_text(encoding="utf-8") + "\n\nLavrov said Russia would never accept it.\n",
                      encoding="utf-8")
    table = pd.read_csv(corpus_copy / "fakes.csv", dtype=str, keep_default_na=False)
    table.loc[3, "article_content"] += ' The mayor said: "The siege must end now."'
    table.to_csv(corpus_copy / "fakes.csv", index=False)
    reads.clear()
    second = run(corpus_copy)
    assert sorted(reads) == sorted([victim.name, "fakes.csv"])
    assert second.stats["documents_from_cache"] == first.stats["documents"] - 2
    joined = " ".join(second.statements["text"])
    assert "Russia would never accept it" in joined and "The siege must end now" in joined
    same_as_uncached(second, corpus_copy)


def test_added_removed_and_clashing_files(own_cache, corpus_copy, reads):
    run(corpus_copy)
    first, second = articles(corpus_copy)[:2]
    second.unlink()
    # a file read before the recorded one and with the same document id: the recorded file's
    # document must now be renamed, as a run without the cache renames it
    sub = corpus_copy / "0-early"
    sub.mkdir()
    shutil.copy(first, sub / first.name)
    reads.clear()
    again = run(corpus_copy)
    assert first.name in reads and second.name not in reads
    assert any("already used by another file" in r["reason"] for r in again.problems.rows)
    same_as_uncached(again, corpus_copy)


def test_a_changed_folder_manifest_rereads_its_articles(own_cache, corpus_copy, reads):
    run(corpus_copy)
    manifest = corpus_copy / "manifest.csv"
    frame = pd.read_csv(manifest, dtype=str, keep_default_na=False)
    assert "source" in frame.columns
    frame.loc[0, "source"] = "Edited Wire"
    frame.to_csv(manifest, index=False)
    reads.clear()
    again = run(corpus_copy)
    assert sorted(reads) == sorted(f.name for f in articles(corpus_copy))
    assert "Edited Wire" in set(again.documents["source"])
    same_as_uncached(again, corpus_copy)


def test_a_changed_extractor_reads_the_files_again(own_cache, corpus_copy, reads, monkeypatch):
    run(corpus_copy)
    monkeypatch.setattr(pipeline, "extractor_key", lambda: "edited-lexicon")
    reads.clear()
    again = run(corpus_copy)
    assert len(reads) == 6 and again.stats["statements_from_cache"] == 0
    same_as_uncached(again, corpus_copy)


def test_damaged_cached_statements_of_an_unread_file_are_rebuilt_from_its_text(own_cache, corpus_copy):
    first = run(corpus_copy)
    for seg in (own_cache / "statements").rglob("seg-*.parquet"):
        data = bytearray(seg.read_bytes())
        data[len(data) // 2] ^= 0xFF
        seg.write_bytes(bytes(data))
    second = run(corpus_copy)
    assert second.stats["documents_from_cache"] < first.stats["documents"]
    same_as_uncached(second, corpus_copy)


def test_same_size_same_time_is_the_known_limit_and_rehash_sees_it(own_cache, corpus_copy):
    run(corpus_copy)
    victim = articles(corpus_copy)[0]
    text = victim.read_text(encoding="utf-8")
    st = victim.stat()
    # the same number of bytes, other words, and the old modification time put back
    changed = text.replace("said", "says", 1)
    assert changed != text and len(changed.encode()) == len(text.encode())
    victim.write_text(changed, encoding="utf-8")
    os.utime(victim, ns=(st.st_atime_ns, st.st_mtime_ns))
    stale = run(corpus_copy)
    assert stale.stats["documents_from_cache"] == stale.stats["documents"]  # not seen: documented limit
    fresh = run(corpus_copy, rehash=True)
    assert fresh.stats["documents_from_cache"] == fresh.stats["documents"] - 1
    same_as_uncached(fresh, corpus_copy)


def test_cli_rehash_and_no_cache_read_every_file(own_cache, corpus_copy, reads, tmp_path):
    from stance.cli import main

    assert main(["label", str(corpus_copy), "--labeler", "rule", "--quiet", "--out", str(tmp_path / "a.parquet")]) == 0
    reads.clear()
    assert main(["label", str(corpus_copy), "--labeler", "rule", "--quiet", "--out", str(tmp_path / "b.parquet")]) == 0
    assert reads == []
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    for flag in ("--rehash", "--no-cache"):
        reads.clear()
        assert main(["label", str(corpus_copy), "--labeler", "rule", "--quiet", flag,
                     "--out", str(tmp_path / "c.parquet")]) == 0
        assert len(reads) == 6
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "a.parquet"), pd.read_parquet(tmp_path / "c.parquet"))
