import codecs

import pytest

from stance import Problems, StanceInputError, TableColumns, load_corpus
from stance.corpus import clean_article
from stance.dates import DateError, parse_date_value

from .conftest import FAKES, SEEDS, UNGDC


@pytest.mark.parametrize("doc_id, date, precision, source", [
    ("000_ae4d8e935ad00417", "2014-01-27", "day", "text"),      # "January 27, 2014" date line
    ("001_fa105d570f8d459d", "2014-12-16", "day", "text"),
    ("002_c11c82241de36916", "2013-07-22", "day", "text"),
    ("003_d4e56d22d104214a", "2015-11-04", "day", "manifest"),  # no date in the text
    ("004_a7f86efa9600946f", "2013-05-28", "day", "manifest"),  # dateline "PARIS, May 28" has no year
])
def test_seed_dates(seed_docs, doc_id, date, precision, source):
    doc = seed_docs.loc[doc_id]
    assert (doc["date"], doc["date_precision"], doc["date_source"]) == (date, precision, source)


def test_seed_metadata_and_leftovers_removed(seed_docs):
    d0 = seed_docs.loc["000_ae4d8e935ad00417"]
    assert d0["title"] == "Support for Anti-Islamist Alliance in Syria, Lavrov Says"
    assert d0["source"] == "The Moscow Times"
    assert d0["url"].startswith("https://www.themoscowtimes.com/2014/01/27/")
    assert "margin-bottom" not in d0["text"] and "Original url" not in d0["text"]
    d2 = seed_docs.loc["002_c11c82241de36916"]
    assert "Zemlianichenko" not in d2["text"]  # photo credit
    assert "Two children playing" not in d2["text"]  # caption next to the credit
    assert "greeting Qadri Jamil" not in d2["text"]
    assert "Lavrov issued a new call" in d2["text"]
    d3 = seed_docs.loc["003_d4e56d22d104214a"]
    assert "Available languages" not in d3["text"] and "Privacy policy" not in d3["text"]
    d4 = seed_docs.loc["004_a7f86efa9600946f"]
    assert d4["source"] == "RIA Novosti"
    assert "Leave a comment" not in d4["text"]
    assert d4["text"].startswith("Moscow is hoping")  # the dateline is not content


def test_url_date_when_text_has_none():
    art = clean_article("A headline\n\nSome text that says nothing of its date.\n\nhttps://example.org/2014/01/27/story\n")
    assert (art["date"], art["date_precision"], art["date_source"]) == ("2014-01-27", "day", "url")


def test_undated_document_is_reported_not_invented(tmp_path):
    f = tmp_path / "undated.txt"
    f.write_text("Lavrov said the talks would go on.\n")
    problems = Problems()
    docs = load_corpus(f, problems)
    assert docs.loc[0, "date"] == "" and docs.loc[0, "date_precision"] == "none"
    assert "undated" in problems.frame()["reason"].iloc[0]


def test_fakes_table_recognised_without_options():
    problems = Problems()
    docs = load_corpus(FAKES, problems)
    assert len(docs) > 600
    first = docs.iloc[0]
    assert first["doc_id"] == "FA-KES-dev:1914947532"
    assert (first["date"], first["date_precision"], first["source"]) == ("2017-04-07", "day", "nna")
    assert first["title"].startswith("Homs governor says")
    # duplicate ids are reported, not silently dropped
    assert any("duplicate document id" in r for r in problems.frame()["reason"])


def test_speech_manifest_gives_speaker_and_year():
    docs = load_corpus(UNGDC).set_index("doc_id")
    rus = docs.loc["RUS_70_2015"]
    assert (rus["genre"], rus["actor"], rus["date"], rus["date_precision"]) == ("speech", "russia", "2015", "year")
    assert rus["speaker"]


def test_table_without_text_column_lists_columns_and_options(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("a,b\n1,2\n")
    with pytest.raises(StanceInputError, match=r"no text column.*\['a', 'b'\].*--text-column"):
        load_corpus(f)
    docs = load_corpus(f, columns=TableColumns(text="b"))
    assert docs.loc[0, "doc_id"] == "t:1" and docs.loc[0, "text"] == "2"


def test_encodings_and_bad_files(tmp_path):
    (tmp_path / "legacy.txt").write_bytes("Lavrov said: “café” – 2014".encode("cp1252"))
    (tmp_path / "bom.txt").write_bytes(codecs.BOM_UTF8 + b"Kerry said so.")
    (tmp_path / "u16.txt").write_bytes("Kerry said so in UTF-16.".encode("utf-16"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    problems = Problems()
    docs = load_corpus(tmp_path, problems).set_index("doc_id")
    assert "café" in docs.loc["legacy", "text"]
    assert docs.loc["bom", "text"].startswith("Kerry")
    assert docs.loc["u16", "text"].startswith("Kerry")
    frame = problems.frame()
    names = frame["path"].str.rsplit("/", n=1).str[-1]
    reasons = {n: " | ".join(frame.loc[names == n, "reason"]) for n in set(names)}
    assert "empty file" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "legacy encoding" in reasons["legacy.txt"]
    assert set(frame.loc[frame["action"] == "skipped", "path"].str.rsplit("/", n=1).str[-1]) == {"empty.txt", "binary.txt"}


@pytest.mark.parametrize("value, expected", [
    ("4/7/2017", ("2017-04-07", "day")), ("2014", ("2014", "year")), ("2014-05", ("2014-05", "month")),
    ("January 27, 2014", ("2014-01-27", "day")), ("27/01/2014", ("2014-01-27", "day")), ("", ("", "none")),
])
def test_parse_date_value(value, expected):
    assert parse_date_value(value) == expected


@pytest.mark.parametrize("value", ["31/02/2014", "2/31/2014", "10000", "2014-13-01"])
def test_impossible_dates_raise(value):
    with pytest.raises(DateError):
        parse_date_value(value, dayfirst=value.startswith("31"))


def test_impossible_date_in_table_is_kept_undated_and_reported(tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("id,text,date\n1,Lavrov said yes.,31/02/2014\n2,Kerry said no.,10000\n")
    problems = Problems()
    docs = load_corpus(f, problems, columns=TableColumns(dayfirst=True))
    assert list(docs["date"]) == ["", ""]
    assert problems.frame()["reason"].str.contains("impossible date").sum() == 2


def test_missing_path_is_an_error():
    with pytest.raises(StanceInputError, match="no such file"):
        load_corpus(SEEDS / "nope")
