"""Text evidence: articles, posts and statements read into claims with provenance.

    from basewatch.text import extract_claims
    claims = extract_claims(text, published="2024-12-14", outlet="Reuters")

Stages: `reading` (plain text, Markdown, HTML, social-post JSON; embedded posts in `posts`), `gazetteer` (sites and
equipment from the catalog), `dates`, `cues`, `extract` (the claims; `language`, `embed` and
`crosslingual` for sentences the English rules do not read), `dedup` (one event, many reports) and
`store` (the workspace: `process_text_evidence`, `ingest_text`).
"""

from basewatch.text.extract import extract_claims, extract_document
from basewatch.text.model import Attribution, EventTime, ExtractedClaim, Segment, Subject, TextDocument
from basewatch.text.reading import read_document
from basewatch.text.store import process_text_evidence
from basewatch.text.vocabulary import CLAIM_STATES, STANCES

__all__ = ["CLAIM_STATES", "STANCES", "Attribution", "EventTime", "ExtractedClaim", "Segment", "Subject",
           "TextDocument", "extract_claims", "extract_document", "process_text_evidence", "read_document"]
