"""Property tests: the extractor and the labelers on arbitrary text never crash, keep offsets
inside the document with ``text[start:end]`` equal to the statement, and label only with the
codebook's issues and stances."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stance.codebook import load_codebook
from stance.labelers import RuleLabeler, get_labeler, label_records
from stance.schema import KINDS, SPEAKER_METHODS, SPEAKER_METHODS_GUESSED, STANCES
from stance.statements import default_extractor, statements_of

# Pieces that exercise the extractor: names, roles, reporting verbs, every quotation mark, line
# and paragraph breaks, sentence ends, abbreviations, cues of the codebook; plus arbitrary text.
PIECES = [
    "Lavrov", "Sergei Lavrov", "Kerry", "Putin's", "he", "they", "the Russian minister", "Moscow", "Russia's Foreign Ministry",
    "the two ministers", "according to", "said", "says", "told reporters", "stressed", "rejected", "called for",
    "Assad must go", "a political solution", "terrorist", "not", "never", "we", "I", "and", ",", ";", ":", ".", "!", "?",
    "Mr.", "U.S.", "No.", '"', "“", "”", "«", "»", "„", "'", "’", "—", "-", "\n", "\n\n", " ", "  ", "\t", "(", ")",
    "...", "x" * 300, "é", "\u00a0", "\u200b", "\ufeff", "\r\n",
]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=60).map(" ".join) | st.text(max_size=400)
DOC_FIELDS = st.fixed_dictionaries({
    "date": st.sampled_from(["", "2014", "2014-05", "2014-05-28"]),
    "genre": st.sampled_from(["news", "speech"]),
    "speaker": st.sampled_from(["", "Sergei Lavrov", "unknown person"]),
    "actor": st.sampled_from(["", "russia", "usa"]),
})
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _doc(text: str, fields: dict) -> dict:
    return {"doc_id": "prop", "text": text, "source": "", "url": "",
            "date_precision": {0: "none", 4: "year", 7: "month", 10: "day"}[len(fields["date"])], **fields}


@FAST
@given(text=texts, fields=DOC_FIELDS)
def test_extractor_offsets_and_values(text, fields):
    rows = statements_of(_doc(text, fields), default_extractor())
    for r in rows:
        assert 0 <= r["start"] < r["end"] <= len(text)
        assert text[r["start"]:r["end"]] == r["text"]
        assert r["kind"] in KINDS and r["speaker_method"] in SPEAKER_METHODS + SPEAKER_METHODS_GUESSED
        assert r["actor"]  # "unknown" rather than empty
    assert len({r["statement_id"] for r in rows}) == len(rows)


@FAST
@given(texts=st.lists(texts, min_size=1, max_size=4))
def test_rule_labeler_labels_only_from_the_codebook(texts):
    codebook = load_codebook()
    records = [{"statement_id": f"s{i}", "text": t} for i, t in enumerate(texts)]
    for row in label_records(records, RuleLabeler().fit()):
        assert row["issue"] in codebook.issues and row["stance"] in STANCES
        assert 0.0 <= row["confidence"] <= 1.0
        assert row["codebook_version"] == codebook.version


@pytest.fixture(scope="module")
def hybrid():
    return get_labeler("hybrid")  # trained once per session (shared test cache)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(text=texts, fields=DOC_FIELDS)
def test_hybrid_labeler_on_extracted_statements(hybrid, text, fields):
    codebook = load_codebook()
    rows = statements_of(_doc(text, fields), default_extractor()) or [{"statement_id": "raw", "text": text}]
    for row in label_records(rows, hybrid):
        assert row["issue"] in codebook.issues and row["stance"] in STANCES
        assert 0.0 <= row["confidence"] <= 1.0
        assert row["labeler"] in ("hybrid", "hybrid:rule", "hybrid:model", "hybrid:rule+model")
