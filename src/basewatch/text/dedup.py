"""One event, many reports: the key under which the same claim from several outlets is grouped.

Reports agree on an event when they name the same site, the same thing (equipment type, else category), the same
state and polarity, and the same day -- or, for undated claims, the same ISO week of publication. Every report
keeps its own row (evidence, attribution, stance, quote): the key groups, it never merges away provenance.
"""

from __future__ import annotations

from datetime import date

from basewatch.text.model import ExtractedClaim


def event_key(claim: ExtractedClaim, published: date | None) -> str:
    subject = claim.subject.type or claim.subject.category or "-"
    if claim.event_time is not None:
        when = claim.event_time.start.isoformat()
        if claim.event_time.end != claim.event_time.start:
            when += "/" + claim.event_time.end.isoformat()
    elif published is not None:
        y, w, _ = published.isocalendar()
        when = f"{y}-W{w:02d}"
    else:
        when = "undated"
    polarity = "neg" if claim.stance == "negated" else "pos"
    return f"{claim.site or '-'}|{subject}|{claim.state}|{when}|{polarity}"[:128]
