"""Posts embedded in articles in the usual "-- Name (@handle) Month D, YYYY" form.

A signature line closes a post whose text is the line before it; a line right after the signature that ends in
a post link (t.co, pic.twitter.com) and is not itself closed by another signature continues the same post (a
thread or a quoted reply). Everything else is the article body.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from basewatch.text.model import Segment

SIGNATURE = re.compile(
    r"^[ \t]*(?:\u2014|\u2013|--|-)[ \t]*(?P<name>[^\n()@]{0,80}?)[ \t]*\(?(?P<handle>@\w{1,30})\)?[ \t]*"
    r"(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})[ \t]*$", re.M)
_POST_LINK = re.compile(r"(?:https?://t\.co/\S+|pic\.twitter\.com/\S+|https?://(?:x|twitter)\.com/\S+)\s*$")


def _day(text: str) -> date | None:
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _line_bounds(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def split_embedded_posts(text: str) -> list[Segment]:
    """Segments covering `text` in order: body stretches and embedded posts (author, handle, date)."""
    sigs = list(SIGNATURE.finditer(text))
    if not sigs:
        return [Segment(0, len(text))]
    lines = _line_bounds(text)
    starts = [s for s, _ in lines]
    sig_lines = set()
    for m in sigs:
        sig_lines.add(max(i for i, s in enumerate(starts) if s <= m.start()))
    posts: list[Segment] = []
    for m in sigs:
        li = max(i for i, s in enumerate(starts) if s <= m.start())
        j = li - 1
        while j >= 0 and not text[lines[j][0]:lines[j][1]].strip():
            j -= 1
        if j < 0 or j in sig_lines or (posts and lines[j][0] < posts[-1].end):
            continue
        start, end = lines[j][0], lines[li][1]
        k = li + 1
        while k < len(lines) and not text[lines[k][0]:lines[k][1]].strip():
            k += 1
        if k < len(lines) and k not in sig_lines and (k + 1) not in sig_lines \
                and _POST_LINK.search(text[lines[k][0]:lines[k][1]]):
            end = lines[k][1]
        name = m.group("name").strip() or None
        posts.append(Segment(start, end, kind="embedded_post", author=name, handle=m.group("handle"),
                             published=_day(m.group("date").replace(".", ""))))
    segments: list[Segment] = []
    pos = 0
    for p in posts:
        if p.start > pos:
            segments.append(Segment(pos, p.start))
        segments.append(p)
        pos = p.end
    if pos < len(text):
        segments.append(Segment(pos, len(text)))
    return segments
