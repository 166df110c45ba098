"""Bad input: each case of issue 9 with what stance does and the message the user sees.

Every message names the file (and the row, line or entry) and says what is wrong; skipped
documents are reported, never dropped silently, and the rest of the corpus is read.
"""
import codecs
import re
from pathlib import Path

import pandas as pd
import pytest

from stance import Problems, StanceInputError, TableColumns, load_corpus
from stance.cli import main as cli
from stance.codebook import load_codebook
from stance.report import render, require_statements, validate_parameters
from stance.resources import load_actor_book, load_lexicon
from stance.statements import default_extractor

from .conftest import DATA, SEEDS

SEED = (SEEDS / "000_ae4d8e935ad00417.txt").read_text(encoding="utf-8")


def reasons(problems: Problems, name: str) -> list[tuple[str, str, str]]:
    """(row, action, reason) of the problems recorded for the file called ``name``."""
    return [(r["row"], r["action"], r["reason"]) for r in problems.rows if Path(r["path"]).name == name]


def doc_of(text: str, genre: str = "news") -> dict:
    return {"doc_id": "d", "text": text, "date": "2014-01-27", "date_precision": "day", "genre": genre,
            "speaker": "", "actor": "", "source": "", "url": ""}


# ---------------------------------------------------------------------------------------------
# Files

def test_empty_and_binary_files_are_skipped_and_named(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n \t\n")
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20)
    (tmp_path / "ok.txt").write_text("Lavrov said the talks would go on.\n")
    problems = Problems()
    docs = load_corpus(tmp_path, problems)
    assert list(docs["doc_id"]) == ["ok"]  # the rest of the corpus is read
    assert reasons(problems, "empty.txt") == [("", "skipped", "empty file")]
    assert reasons(problems, "blank.txt") == [("", "skipped", "empty file")]
    [(_, action, reason)] = reasons(problems, "photo.txt")
    assert action == "skipped" and reason.startswith("binary file") and "not a text document" in reason


@pytest.mark.parametrize("encoding, name", [("cp1252", "cp1252"), ("latin-1", "latin-1")])
def test_legacy_encodings_are_decoded_and_reported(tmp_path, encoding, name):
    # The UN Security Council's speech files are Windows-1252: curly quotes, dashes, accents
    text = "Mr. Churkin (Russian Federation) said: “We reject the resolution – it is a pretext.” Café, naïve."
    if encoding == "latin-1":
        text = "Le ministre a déclaré: «Nous refusons.» Señor Muñoz said the talks were über."
    f = tmp_path / f"{name}.txt"
    f.write_bytes(text.encode(encoding))
    problems = Problems()
    docs = load_corpus(f, problems)
    assert docs.loc[0, "text"] == text
    [(_, action, reason)] = [r for r in reasons(problems, f.name) if "UTF-8" in r[2]]
    assert action == "kept" and reason.startswith("not UTF-8; decoded as legacy encoding")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_byte_order_marks(tmp_path, codec):
    body = "Kerry said: “Assad must go.” Lavrov said the Syrian people alone must decide."
    text = "Geneva talks\n\n" + body
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    f = tmp_path / "bom.txt"
    f.write_bytes(data)
    problems = Problems()
    docs = load_corpus(f, problems)
    assert (docs.loc[0, "title"], docs.loc[0, "text"]) == ("Geneva talks", body)
    assert not [r for r in problems.rows if r["action"] == "skipped"]


def test_twenty_megabyte_file_on_one_line(tmp_path):
    # a real article with its line breaks lost, repeated to 20 MB: read whole, quickly (a
    # quadratic regex over one 20 MB line would not finish)
    line = " ".join(SEED.split())
    f = tmp_path / "one_line.txt"
    f.write_text((line + " ") * (20_000_000 // (len(line) + 1)))
    problems = Problems()
    docs = load_corpus(f, problems)
    assert len(docs) == 1 and len(docs.loc[0, "text"]) > 19_000_000
    assert not [r for r in problems.rows if r["action"] == "skipped"]


@pytest.mark.parametrize("unit, size", [
    (" ".join(SEED.split()) + " ", 1_000_000),                            # news text on one line
    ('Lavrov said "the talks will go on" and Kerry said no. ', 100_000),  # "no." never ends a sentence
    ("Lavrov said ", 100_000),                                             # one clause, never ending
    ('"a" “b, said Lavrov. «x ', 100_000),                                 # quotation marks everywhere
])
def test_extraction_of_one_long_line_is_linear(unit, size):
    # the extractor's work per sentence is bounded: these took minutes to hours before (the
    # work grew with the square of the line's length), a few seconds now
    text = (unit * (size // len(unit) + 1))[:size]
    rows, _ = default_extractor().extract_document(doc_of(text))
    assert {r["speaker"] for r in rows} >= {"Sergei Lavrov"}
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)
    assert max(r["end"] - r["start"] for r in rows) <= 5000


def test_html_scripts_and_styles_are_not_text(tmp_path):
    f = tmp_path / "page.html"
    f.write_text("""<!doctype html><html><head><title>Lavrov on talks</title>
<style>p { color: red } .x::after { content: "said" }</style>
<script>var quote = "Lavrov said the talks are over"; document.write(quote);</script></head>
<body><nav>Home | World</nav><h1>Lavrov speaks</h1><p>January 27, 2014</p>
<p>Russian Foreign Minister Sergei Lavrov said &ldquo;the talks will go on.&rdquo;</p>
<script type="text/javascript">alert("x")</script><noscript>Enable JavaScript</noscript>
<p onclick="alert(1)">Kerry said the opposite.</p></body></html>""")
    docs = load_corpus(f)
    doc = docs.iloc[0]
    assert doc["title"] == "Lavrov speaks" and doc["date"] == "2014-01-27"
    assert doc["text"] == "Russian Foreign Minister Sergei Lavrov said “the talks will go on.”\n\nKerry said the opposite."
    for leftover in ("color", "document.write", "alert", "Enable JavaScript", "Home | World", "<"):
        assert leftover not in doc["text"]


@pytest.mark.parametrize("text", [
    'Lavrov said: "The talks will go on.\n\nKerry said the opposite.',         # opened, never closed
    "Lavrov said: The talks will go on.” Kerry said “no",                      # closed before opened
    "Lavrov said: «The talks will go on» and “never ”stop”.",                  # mixed marks
    "Lavrov said: ''The talks will go on,'' and Kerry said ``no''.",           # typewriter quotes
    'Lavrov said ""the talks will go on"" and ""never stop.',              # doubled, as in CSV
])
def test_unbalanced_and_curly_quotes(text):
    rows, unbalanced = default_extractor().extract_document(doc_of(text))
    assert any(r["speaker"] == "Sergei Lavrov" for r in rows)
    assert all(text[r["start"]:r["end"]] == r["text"] and r["text"].strip() for r in rows)
    assert unbalanced >= 0


def test_unbalanced_quotes_are_counted():
    _, unbalanced = default_extractor().extract_document(doc_of("Lavrov said: the talks” will go on. He said “no."))
    assert unbalanced >= 1


# ---------------------------------------------------------------------------------------------
# Tables

def test_table_without_text_column_lists_columns_and_options(tmp_path):
    f = tmp_path / "articles.csv"
    f.write_text("headline,when\nLavrov speaks,2014-01-27\n")
    with pytest.raises(StanceInputError) as err:
        load_corpus(f)
    message = str(err.value)
    assert message.startswith(str(f)) and "no text column found among ['headline', 'when']" in message
    for option in ("--text-column", "--title-column", "--date-column", "--id-column"):
        assert option in message
    with pytest.raises(StanceInputError, match=r"column 'body' given for text is not in the table; columns: \['headline', 'when'\]"):
        load_corpus(f, columns=TableColumns(text="body"))


def test_malformed_csv_rows_are_reported_with_row_and_line(tmp_path):
    f = tmp_path / "wire.csv"
    f.write_text('id,text,date\n'
                 'a1,"Lavrov said the talks would go on.",2014-01-27\n'
                 'a2,Kerry said no, and then, more,2014-01-28\n'          # unquoted commas: 5 fields
                 'a3,"Churkin said, on two lines,\nthat Russia would veto.",2014-01-29\n'
                 'a4,Ban said nothing\n'                                  # a field short
                 'a5,"Assad said ""never"" and left\n')                   # quotation never closed
    problems = Problems()
    docs = load_corpus(f, problems).set_index("doc_id")
    assert list(docs.index) == ["wire:a1", "wire:a3", "wire:a4"]
    assert docs.loc["wire:a3", "text"] == "Churkin said, on two lines,\nthat Russia would veto."
    assert docs.loc["wire:a4", "date"] == ""
    got = reasons(problems, "wire.csv")
    assert ("2", "skipped", "line 3 has 5 fields, the header has 3 ('a2,Kerry said no, and then, more,2014-01-28'); "
                            "row skipped. Quote fields that contain ','") in got
    assert ("4", "kept", "line 6 has 2 fields, the header has 3; the missing ones (date) are left empty") in got
    [unclosed] = [g for g in got if g[0] == "5"]
    assert unclosed[1] == "skipped" and unclosed[2].startswith("line 7: a quotation mark opened in this row is never closed")


def test_jsonl_with_broken_lines(tmp_path):
    f = tmp_path / "feed.jsonl"
    f.write_text('{"id": 1, "text": "Lavrov said the talks would go on."}\n'
                 '{"id": 2, "text": "Kerry said\n'                          # cut in the middle
                 '\n'
                 '["not", "an", "object"]\n'
                 '{"id": 4, "text": "Churkin said Russia would veto it."}\n')
    problems = Problems()
    docs = load_corpus(f, problems)
    assert list(docs["doc_id"]) == ["feed:1", "feed:4"]
    got = reasons(problems, "feed.jsonl")
    assert [(row, action) for row, action, _ in got] == [("2", "skipped"), ("4", "skipped")]
    assert got[0][2].startswith("broken JSON line: Invalid control character at: line 1 column 30")
    assert got[1][2] == "broken JSON line: a line must hold a JSON object"


def test_parquet_with_another_schema(tmp_path):
    f = tmp_path / "other.parquet"
    pd.DataFrame({"user": ["a"], "likes": [3]}).to_parquet(f)
    with pytest.raises(StanceInputError, match=r"other.parquet: no text column found among \['user', 'likes'\]"):
        load_corpus(f)
    f = tmp_path / "numbers.parquet"
    pd.DataFrame({"id": [1, 2], "text": [10, 20]}).to_parquet(f)
    with pytest.raises(StanceInputError, match=r"numbers.parquet: column 'text' holds int64 values, not text; "
                                               r"name the text column with --text-column NAME"):
        load_corpus(f)
    f = tmp_path / "typed.parquet"
    pd.DataFrame({"id": [1.0, 2.0], "text": ["Lavrov said yes.", "Kerry said no."],
                  "date": pd.to_datetime(["2014-01-27", None])}).to_parquet(f)
    problems = Problems()
    docs = load_corpus(f, problems)
    assert list(docs["doc_id"]) == ["typed:1", "typed:2"] and list(docs["date"]) == ["2014-01-27", ""]
    assert problems.skipped() == 0
    f = tmp_path / "broken.parquet"
    f.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(StanceInputError, match=r"broken.parquet: not a readable Parquet file"):
        load_corpus(f)


def test_header_only_table_is_reported(tmp_path):
    f = tmp_path / "nothing.csv"
    f.write_text("id,text,date\n")
    problems = Problems()
    assert load_corpus(f, problems).empty
    assert reasons(problems, "nothing.csv") == [("", "skipped", "the table has no rows (a header at most); nothing to read")]


def test_duplicate_ids(tmp_path):
    f = tmp_path / "dups.csv"
    f.write_text("id,text\n7,Lavrov said yes.\n7,Lavrov said yes.\n7,Kerry said no.\n")
    (tmp_path / "dups.txt").write_text("Churkin said Russia would veto it.\n")
    problems = Problems()
    docs = load_corpus([f, tmp_path / "dups.txt", tmp_path / "dups.txt"], problems)
    assert list(docs["doc_id"]) == ["dups:7", "dups:7#row3", "dups", "dups~2"]
    got = reasons(problems, "dups.csv")
    assert ("2", "skipped", "duplicate document id 'dups:7' with the same text as an earlier row") in got
    assert ("3", "kept", "duplicate document id 'dups:7' with a different text; kept as 'dups:7#row3'") in got
    assert ("", "kept", "document id 'dups' already used by another file; renamed 'dups~2'") in reasons(problems, "dups.txt")


def test_impossible_dates(tmp_path):
    f = tmp_path / "dated.csv"
    f.write_text("id,text,date\n1,Lavrov said yes.,31/02/2014\n2,Kerry said no.,10000\n3,Ban said so.,27/01/2014\n")
    problems = Problems()
    docs = load_corpus(f, problems, columns=TableColumns(dayfirst=True))
    assert list(docs["date"]) == ["", "", "2014-01-27"]  # kept undated, never invented
    got = reasons(problems, "dated.csv")
    assert ("1", "kept", "impossible date in column 'date': 2014-02-31 is not a real day (day is out of range "
                         "for month); document kept undated") in got
    assert ("2", "kept", "impossible date in column 'date': year 10000 is out of range; document kept undated") in got


def test_manifest_naming_missing_files_and_files_missing_from_it(tmp_path):
    (tmp_path / "manifest.csv").write_text("file,date,source\nlisted.txt,2014-01-27,TASS\nghost.txt,2014-01-28,AP\n"
                                           "baddate.txt,31/02/2014,AP\n")
    (tmp_path / "listed.txt").write_text("Lavrov said the talks would go on.\n")
    (tmp_path / "baddate.txt").write_text("Kerry said no.\n")
    (tmp_path / "unlisted.txt").write_text("Churkin said Russia would veto it.\n")
    problems = Problems()
    docs = load_corpus(tmp_path, problems).set_index("doc_id")
    assert sorted(docs.index) == ["baddate", "listed", "unlisted"]
    assert (docs.loc["listed", "date"], docs.loc["listed", "source"]) == ("2014-01-27", "TASS")
    manifest = reasons(problems, "manifest.csv")
    assert ("3", "skipped", f"manifest names 'ghost.txt', which does not exist in {tmp_path}") in manifest
    assert any(action == "kept" and reason.startswith("date of baddate.txt: 2014-02-31 is not a real day")
               for _, action, reason in manifest)
    assert ("", "kept", f"not listed in {tmp_path / 'manifest.csv'}; metadata read from the text") in reasons(problems, "unlisted.txt")


def test_manifest_without_file_column(tmp_path):
    (tmp_path / "manifest.csv").write_text("name,date\na.txt,2014\n")
    (tmp_path / "a.txt").write_text("Lavrov said yes.\n")
    with pytest.raises(StanceInputError, match=r"manifest.csv: the manifest has no 'file' column \(columns: \['name', 'date'\]\)"):
        load_corpus(tmp_path)


def test_unsupported_file_type_is_reported(tmp_path):
    (tmp_path / "slides.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "a.txt").write_text("Lavrov said yes.\n")
    problems = Problems()
    assert list(load_corpus(tmp_path, problems)["doc_id"]) == ["a"]
    [(_, action, reason)] = reasons(problems, "slides.pdf")
    assert action == "skipped" and reason.startswith("unsupported file type .pdf; stance reads")


# ---------------------------------------------------------------------------------------------
# Data files: codebook, lexicon, actors, people (loaders take a path: broken copies in tmp_path)

CODEBOOK = (DATA / "codebook.toml").read_text(encoding="utf-8")
LEXICON = (DATA / "lexicon.toml").read_text(encoding="utf-8")
ACTORS = (DATA / "actors.csv").read_text(encoding="utf-8")
PEOPLE = (DATA / "people.csv").read_text(encoding="utf-8")
WEATHER = '\n[issues.weather]\nlabel = "Weather"\ntopic = ["rain"]\n'


def _line_of(text: str, fragment: str) -> int:
    return text[:text.index(fragment)].count("\n") + 1


@pytest.mark.parametrize("broken, message", [
    (CODEBOOK.replace('label = "Assad\'s future"', 'label = "Assad\'s future'),
     rf"codebook.toml: TOML syntax error: .*\(at line {_line_of(CODEBOOK, 'label = ')}, column \d+\)\. Fix the line it names"),
    (CODEBOOK.replace('stances = ["favor", "against", "neutral"]', 'stances = ["favor", "against", "support"]'),
     r"codebook.toml: unknown stance values \['support'\] in 'stances'; stance knows \['favor', 'against', 'neutral'\]"),
    (CODEBOOK + WEATHER + 'favour = ["sunny"]\n',
     r"codebook.toml, issue 'weather': unknown key 'favour' \(stance values are \['favor', 'against', 'neutral'\]\)"),
    (CODEBOOK + WEATHER,
     r"codebook.toml, issue 'weather': no cues; give at least one 'favor' or 'against' cue phrase"),
    (CODEBOOK + '\n[issues.weather]\nfavor = ["sun"]\n',
     r"codebook.toml, issue 'weather': no 'topic' words; list the words"),
    (CODEBOOK + WEATHER + 'favor = "sunny"\n',
     r"codebook.toml, issue 'weather', 'favor': must be a list of phrases in brackets"),
    (CODEBOOK + WEATHER + 'favor = ["sun", ""]\n',
     r"codebook.toml, issue 'weather', 'favor': item 2 \(''\) must be a non-empty phrase"),
    (CODEBOOK + WEATHER + 'favor = ["(sun"]\n',
     r"codebook.toml, issue 'weather' favor: cue '\(sun' is not a valid pattern \(.*\); fix or quote it"),
    (CODEBOOK + '\n[issues.Bad-Id]\ntopic = ["x"]\nfavor = ["y"]\n',
     r"codebook.toml, issue 'Bad-Id': issue ids must be lower-case words with underscores"),
    (CODEBOOK.replace("version = ", "edition = ", 1), r"codebook.toml: missing top-level key 'version'"),
])
def test_codebook_errors_name_file_entry_and_fix(tmp_path, broken, message):
    f = tmp_path / "codebook.toml"
    f.write_text(broken, encoding="utf-8")
    with pytest.raises(StanceInputError, match=message) as err:
        load_codebook(str(f))
    assert str(err.value).startswith(str(f))


@pytest.mark.parametrize("broken, message", [
    (LEXICON.replace("negators = [", "negators = [[", 1), r"lexicon.toml: TOML syntax error: Unclosed array \(at line \d+"),
    (LEXICON.replace("negators = [", "negatorz = [", 1), r"lexicon.toml: missing section or key 'negators'"),
    (LEXICON.replace("hedges = [", 'hedges = "may"\nunused = [', 1),
     r"lexicon.toml: hedges must be a list of non-empty words in quotes, \[\"...\", \"...\"\], not 'may'"),
    (LEXICON.replace('speech = ["said",', 'speech = ["", "said",', 1),
     r"lexicon.toml: reporting_verbs.speech must be a list of non-empty words"),
])
def test_lexicon_errors(tmp_path, broken, message):
    f = tmp_path / "lexicon.toml"
    f.write_text(broken, encoding="utf-8")
    with pytest.raises(StanceInputError, match=message):
        load_lexicon(str(f))


ACTOR_LINES = ACTORS.rstrip("\n").split("\n")
PEOPLE_LINES = PEOPLE.rstrip("\n").split("\n")
NEXT_ACTOR, NEXT_PERSON = len(ACTOR_LINES) + 1, len(PEOPLE_LINES) + 1


@pytest.mark.parametrize("actors, people, message", [
    (ACTORS + ",Nobody,Nobody,,,\n", PEOPLE,
     rf"actors.csv, line {NEXT_ACTOR}: empty actor id; give each row an id like 'russia'"),
    (ACTORS + ACTOR_LINES[1] + "\n", PEOPLE,
     rf"actors.csv, line {NEXT_ACTOR}: actor 'russia' is already defined on line 2; keep one row per actor"),
    (ACTORS.replace("actor,", "id,", 1), PEOPLE, r"actors.csv: needs columns \['actor', 'names'\], has \['id', "),
    (ACTORS + 'narnia,Narnia,"Narnia,,,\n', PEOPLE,
     rf"actors.csv, line {NEXT_ACTOR}: a quotation mark opened on this line is not closed on it"),
    (ACTORS + "narnia,Narnia,Narnia,,,,extra,fields\n", PEOPLE,
     rf"actors.csv, line {NEXT_ACTOR}: more fields than the header's 6; quote fields that contain commas"),
    (ACTORS, PEOPLE + "Vladimir Putin,Putin,russia,president,2013-01-01,2014-01-01\n",
     rf"people.csv, line {NEXT_PERSON}: Vladimir Putin's office 'president' \(2013-01-01..2014-01-01\) overlaps "
     r"'president' \(2012-05-07..None\); make the dates consecutive"),
    (ACTORS, PEOPLE + "Ivan Petrov,Petrov,narnia,king,2013-01-01,\n",
     rf"people.csv, line {NEXT_PERSON}: actor 'narnia' of Ivan Petrov is not in actors.csv; use one of \['arab_league'"),
    (ACTORS, PEOPLE + "Ivan Petrov,Petrov,russia,envoy,2013-02-30,\n",
     rf"people.csv, line {NEXT_PERSON}: start '2013-02-30' is not a YYYY-MM-DD date"),
    (ACTORS, PEOPLE + "Ivan Petrov,Petrov,russia,envoy,2014-01-01,2013-01-01\n",
     rf"people.csv, line {NEXT_PERSON}: Ivan Petrov's office 'envoy' ends before it starts"),
    (ACTORS, PEOPLE + "Ivan Petrov,Putin,russia,envoy,2013-01-01,\n",
     rf"people.csv, line {NEXT_PERSON}: alias 'Putin' of Ivan Petrov is already used by Vladimir Putin"),
])
def test_actor_and_people_file_errors(tmp_path, actors, people, message):
    (tmp_path / "actors.csv").write_text(actors, encoding="utf-8")
    (tmp_path / "people.csv").write_text(people, encoding="utf-8")
    with pytest.raises(StanceInputError, match=message) as err:
        load_actor_book(str(tmp_path / "actors.csv"), str(tmp_path / "people.csv"))
    assert str(err.value).startswith(str(tmp_path))


def test_data_file_not_utf8(tmp_path):
    (tmp_path / "actors.csv").write_bytes(ACTORS.encode() + "narnia,Narnia,Narnia of Caspián,,,\n".encode("cp1252"))
    with pytest.raises(StanceInputError, match=rf"actors.csv, line {NEXT_ACTOR}: not UTF-8 .*; save the file as UTF-8"):
        load_actor_book(str(tmp_path / "actors.csv"), str(DATA / "people.csv"))


# ---------------------------------------------------------------------------------------------
# Report parameters: refused before any notebook runs

@pytest.mark.parametrize("params, message", [
    ({"actor": "narnia"}, r"unknown actor 'narnia'; valid actors: russia, usa, "),
    ({"compare": ["usa", "atlantis"]}, r"unknown comparison actors \['atlantis'\]; valid actors: russia"),
    ({"issues": ["weather"]}, r"unknown issues \['weather'\]; valid issues: assad_future"),
    ({"start": "2015-01-01", "end": "2014-01-01"}, r"start 2015-01-01 is after end 2014-01-01"),
    ({"start": "31/02/2014"}, r"start '31/02/2014' is not a date \(use YYYY-MM-DD\)"),
    ({"period": "decade"}, r"period must be one of year, quarter, month, windows, not 'decade'"),
    ({"labeler": "oracle"}, r"unknown labeler 'oracle'; valid: rule, model, hybrid"),
    ({"colour": "red"}, r"unknown parameters \['colour'\] for notebook report.ipynb; valid: corpus \(list\), actor \(str\)"),
    ({"corpus": ["no/such/folder"]}, r"corpus path 'no/such/folder' does not exist"),
])
def test_bad_report_parameters(params, message):
    with pytest.raises(StanceInputError, match=message):
        validate_parameters(params)


def test_corpus_without_statements_fails_before_the_notebook(tmp_path):
    (tmp_path / "weather.txt").write_text("It rained in Geneva on Monday. The sun came out later.\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "reports"
    with pytest.raises(StanceInputError, match=r"corpus \[.*\] yields no statements \(1 documents read, 1 skipped: "
                                               r"empty.txt: empty file\); nothing to report"):
        render({"corpus": [str(tmp_path)]}, out_dir=out)
    assert not out.exists()  # no notebook ran, nothing was written
    require_statements([str(SEEDS)])  # a usable corpus passes


def test_cli_report_parameter_errors_exit_2(capsys, tmp_path):
    assert cli(["report", "-p", "actor", "narnia"]) == 2
    assert "stance: error: unknown actor 'narnia'; valid actors: russia" in capsys.readouterr().err
    params = tmp_path / "params.yaml"
    params.write_text("actor: [russia\n")
    assert cli(["report", "-f", str(params)]) == 2
    assert f"stance: error: {params}: YAML syntax error" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# The skipped-documents table in the CLI: summary, --problems FILE, --strict

@pytest.fixture
def dirty_corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text("January 27, 2014\n\nLavrov said the talks would go on.\n")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "rows.csv").write_text("id,text,date\n1,Kerry said no.,2014-01-28\n2,a,b,c,d\n")
    return folder


def test_cli_prints_summary_and_writes_problems(dirty_corpus, tmp_path, capsys):
    problems_file = tmp_path / "out" / "problems.csv"
    out = tmp_path / "out" / "statements.csv"
    assert cli(["extract", str(dirty_corpus), "--out", str(out), "--problems", str(problems_file)]) == 0
    err = capsys.readouterr().err
    assert re.search(r"stance: 2 documents, \d+ statements, 0 labels; 3 skipped, \d+ kept with a problem", err)
    assert f"skipped: {dirty_corpus / 'empty.txt'}: empty file" in err
    assert f"skipped: {dirty_corpus / 'rows.csv'} row 2: line 3 has 5 fields" in err
    table = pd.read_csv(problems_file, dtype=str, keep_default_na=False)
    assert list(table.columns) == ["path", "row", "doc_id", "action", "reason"]
    skipped = table[table["action"] == "skipped"]
    assert sorted(Path(p).name for p in skipped["path"]) == ["binary.txt", "empty.txt", "rows.csv"]
    assert set(pd.read_csv(out)["doc_id"]) <= {"good", "rows:1"}


def test_cli_strict_fails_on_a_skip(dirty_corpus, tmp_path, capsys):
    out, problems_file = tmp_path / "statements.csv", tmp_path / "problems.csv"
    assert cli(["extract", str(dirty_corpus), "--strict", "--out", str(out), "--problems", str(problems_file)]) == 2
    err = capsys.readouterr().err
    assert f"stance: error: {dirty_corpus / 'binary.txt'}: binary file" in err
    assert err.rstrip().endswith("(document skipped) [--strict turns skips into failures]")
    assert not out.exists()
    table = pd.read_csv(problems_file, dtype=str, keep_default_na=False)
    assert table["path"].iloc[-1] == str(dirty_corpus / "binary.txt") and table["action"].iloc[-1] == "skipped"
    assert cli(["extract", str(dirty_corpus / "good.txt"), "--strict", "--out", str(out)]) == 0


def test_cli_missing_path(capsys):
    assert cli(["extract", "no/such/corpus"]) == 2
    assert "stance: error: no/such/corpus: no such file or folder" in capsys.readouterr().err
