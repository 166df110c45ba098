"""stance: who said what, on which issue, taking which side, when."""
from . import plots
from .codebook import load_codebook
from .corpus import TableColumns, iter_documents, load_corpus
from .labelers import HybridLabeler, ModelLabeler, RuleLabeler, get_labeler, label_statements
from .notebook import corpus_summary, filter_dates, reliability_note, shift_evidence_html
from .pipeline import run
from .problems import Problems, StanceInputError, StanceWarning
from .statements import Extractor, extract_statements
from .timeline import detect_shifts, load_events, position_summary, timeline

__all__ = [
    "HybridLabeler", "ModelLabeler", "Problems", "RuleLabeler", "StanceInputError", "StanceWarning", "TableColumns",
    "Extractor", "corpus_summary", "detect_shifts", "extract_statements", "filter_dates", "get_labeler",
    "iter_documents", "label_statements", "load_codebook", "load_corpus", "load_events", "plots", "position_summary",
    "reliability_note", "run", "shift_evidence_html", "timeline",
]
__version__ = "0.1.0"
