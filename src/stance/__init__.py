"""stance: who said what, on which issue, taking which side, when."""
import importlib

# The function ``timeline`` shares its name with its module: bound here, as before, so that
# importing the module later cannot shadow it (timeline needs only pandas).
from .timeline import dedupe_syndicated, detect_shifts, load_events, position_summary, timeline

# The other names are imported on first use (PEP 562), so that `stance extract` or a run served
# from the cache does not pay for scikit-learn and matplotlib before it needs them.
_EXPORTS = {
    "plots": ".plots",
    "load_codebook": ".codebook",
    "TableColumns": ".corpus", "iter_documents": ".corpus", "load_corpus": ".corpus",
    "HybridLabeler": ".labelers", "ModelLabeler": ".labelers", "RuleLabeler": ".labelers",
    "get_labeler": ".labelers", "label_statements": ".labelers",
    "corpus_summary": ".notebook", "filter_dates": ".notebook", "reliability_note": ".notebook",
    "shift_evidence_html": ".notebook",
    "run": ".pipeline",
    "Problems": ".problems", "StanceInputError": ".problems", "StanceWarning": ".problems",
    "Extractor": ".statements", "extract_statements": ".statements",
}

__all__ = [
    "HybridLabeler", "ModelLabeler", "Problems", "RuleLabeler", "StanceInputError", "StanceWarning", "TableColumns",
    "Extractor", "corpus_summary", "dedupe_syndicated", "detect_shifts", "extract_statements", "filter_dates", "get_labeler",
    "iter_documents", "label_statements", "load_codebook", "load_corpus", "load_events", "plots", "position_summary",
    "reliability_note", "run", "shift_evidence_html", "timeline",
]
__version__ = "0.1.0"


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'stance' has no attribute {name!r}")
    module = importlib.import_module(_EXPORTS[name], __name__)
    value = module if name == "plots" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
