import pytest

from stance.statements import Extractor, default_extractor


def one(text, **doc):
    d = {"doc_id": "t", "text": text, "date": doc.pop("date", "2015-11-04"), "date_precision": "day", **doc}
    rows, _ = default_extractor().extract_document(d)
    return rows


def test_lavrov_quotes_in_seed_000(seed_statements):
    s = seed_statements[seed_statements["doc_id"] == "000_ae4d8e935ad00417"]
    goal = s[s["text"].str.contains("Our goal is to facilitate")]
    assert len(goal) == 1
    row = goal.iloc[0]
    assert (row["speaker"], row["actor"], row["kind"]) == ("Sergei Lavrov", "russia", "direct")
    place = s[s["text"].str.contains("have no place in negotiations")].iloc[0]
    assert (place["speaker"], place["actor"], place["kind"]) == ("Sergei Lavrov", "russia", "direct")


def test_he_said_resolved(seed_statements):
    s = seed_statements[seed_statements["text"].str.contains("To our regret")].iloc[0]
    assert (s["speaker"], s["actor"], s["speaker_method"]) == ("Sergei Lavrov", "russia", "pronoun")
    s = seed_statements[seed_statements["text"].str.contains("They need to do what we saw in Vienna")].iloc[0]
    assert s["speaker"] == "Staffan de Mistura" and s["actor"] == "un"


def test_foreign_ministry_statement_in_seed_003(seed_statements):
    s = seed_statements[(seed_statements["doc_id"] == "003_d4e56d22d104214a")
                        & seed_statements["cue"].eq("said") & seed_statements["speaker"].str.contains("Foreign Ministry")]
    assert len(s) == 1
    assert s.iloc[0]["actor"] == "russia" and s.iloc[0]["speaker_method"] == "metonym"


def test_role_nouns_resolved(seed_statements):
    s = seed_statements[seed_statements["text"].str.contains("key regional players")].iloc[0]
    assert (s["speaker"], s["actor"], s["speaker_method"]) == ("Sergei Lavrov", "russia", "role")


def test_offsets_match_text(seed_docs, seed_statements):
    for _, s in seed_statements.iterrows():
        assert seed_docs.loc[s["doc_id"], "text"][s["start"]:s["end"]] == s["text"]


@pytest.mark.parametrize("text, speaker, actor, kind", [
    # FA-KES text has no commas
    ('"We will not allow this" Lavrov said.', "Sergei Lavrov", "russia", "direct"),
    ("Moscow has criticized the U.S. plan, saying there should be no military solution to the crisis.",
     "Moscow", "russia", "reported"),
    ("According to Russia's Foreign Ministry, the talks will resume next week.", "Russia's Foreign Ministry", "russia", "reported"),
    ("Washington said it would keep working with its partners on a political settlement.", "Washington", "usa", "reported"),
    ("The Kremlin said it was ready to help the talks in Geneva.", "the Kremlin", "russia", "reported"),
])
def test_attribution_table(text, speaker, actor, kind):
    rows = one(text)
    assert rows, text
    assert (rows[0]["speaker"].lower(), rows[0]["actor"], rows[0]["kind"]) == (speaker.lower(), actor, kind)


def test_scare_quotes_are_not_statements():
    assert one('The so-called "moderate" rebels advanced on the town on Friday.') == []


def test_the_two_ministers_said_gives_both_actors():
    rows = one("Lavrov met John Kerry in Paris on Monday. The two ministers said the conference must go ahead.",
               date="2013-05-28")
    assert {r["actor"] for r in rows} == {"russia", "usa"}


def test_unknown_speaker_keeps_name():
    rows = one("Ahmed Khalil Mansour said the town had been shelled for a week.")
    assert rows[0]["speaker"] == "Ahmed Khalil Mansour" and rows[0]["actor"] == "unknown"


def test_speech_sentences_belong_to_the_speaker():
    text = ("We support the efforts of the envoy. As the Secretary-General said, there is no military solution. "
            "Terrorists must be defeated.")
    rows, _ = Extractor().extract_document({"doc_id": "RUS", "text": text, "date": "2015", "date_precision": "year",
                                            "genre": "speech", "speaker": "Sergey Lavrov", "actor": "russia"})
    kinds = [(r["kind"], r["actor"]) for r in rows]
    assert kinds[0] == ("speech", "russia") and kinds[-1] == ("speech", "russia")
    assert len(rows) == 3


def test_unbalanced_quotes_do_not_crash():
    rows, unbalanced = default_extractor().extract_document(
        {"doc_id": "t", "text": 'He said "this will never end. Lavrov said “no” and left.', "date": ""})
    assert unbalanced >= 1
