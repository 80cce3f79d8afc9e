"""Value objects of the text pipeline: a read document, its segments, and the claims found in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Segment:
    """A stretch of a document with its own author and date (the article body, an embedded or exported post)."""

    start: int
    end: int
    kind: str = "body"  # body | embedded_post | post
    author: str | None = None
    handle: str | None = None
    published: date | None = None
    url: str | None = None
    ref: str | None = None  # message id of an exported post

    @property
    def speaker(self) -> str | None:
        if self.author and self.handle:
            return f"{self.author} ({self.handle})"
        return self.author or self.handle


@dataclass
class TextDocument:
    """Plain text ready for extraction, with what the file said about itself."""

    text: str
    segments: list[Segment] = field(default_factory=list)
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: date | None = None
    url: str | None = None
    fmt: str = "text"  # text | markdown | html | x-json | telegram-json
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EventTime:
    """When the claimed event happened, as a day range and its precision (day, month, year)."""

    start: date
    end: date
    precision: str = "day"

    def to_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "precision": self.precision}


@dataclass(frozen=True)
class Attribution:
    """One link of the attribution chain: who said it, and what kind of speaker that is."""

    name: str
    kind: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "kind": self.kind}


@dataclass(frozen=True)
class Subject:
    """What the claim is about: an equipment type id and/or a category, and the words the text used."""

    text: str
    type: str | None = None
    category: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "category": self.category, "text": self.text}


@dataclass(frozen=True)
class ExtractedClaim:
    """What the extractor found in one sentence: about a site, how firmly, on whose word and when; stored as a
    `basewatch.model.Claim` (see `text.store.claim_record`)."""

    site: str | None
    subject: Subject
    state: str
    stance: str
    event_time: EventTime | None
    attribution: tuple[Attribution, ...]
    quote_start: int
    quote_end: int
    quote: str
    cue: str = ""
    segment: int = 0
    confidence: float = 0.5

    @property
    def speaker(self) -> str | None:
        return self.attribution[-1].name if self.attribution else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of `basewatch claims extract --json`."""
        return {
            "site": self.site,
            "subject": self.subject.to_dict(),
            "state": self.state,
            "event_time": self.event_time.to_dict() if self.event_time else None,
            "attribution": [a.to_dict() for a in self.attribution],
            "stance": self.stance,
            "quote": {"start": self.quote_start, "end": self.quote_end, "text": self.quote},
        }
