"""Reading a text file into plain text with its metadata: plain text, Markdown, HTML and social-post JSON.

Bad input ends in an `InputFileError` that names the file and the fix: empty or binary files, text that is
not UTF-8, files over `MAX_TEXT_BYTES` (memory and time stay bounded). HTML is parsed, never run: scripts and
styles are dropped by the main-text extractor and nothing of the page is echoed unescaped.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from basewatch.errors import InputFileError
from basewatch.text.model import Segment, TextDocument
from basewatch.text.posts import split_embedded_posts

MAX_TEXT_BYTES = 8 * 1024 * 1024
FORMATS = ("text", "markdown", "html", "json")

_SUFFIX_FORMAT = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                  ".html": "html", ".htm": "html", ".json": "json"}


def guess_format(name: str, data: bytes) -> str:
    fmt = _SUFFIX_FORMAT.get(Path(name).suffix.lower())
    if fmt:
        return fmt
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    if head.startswith((b"{", b"[")):
        return "json"
    return "text"


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is dropped), or a clear error for binary and other encodings."""
    if not data.strip():
        raise InputFileError(f"{name}: file is empty; give the complete text")
    if b"\x00" in data[:8192]:
        raise InputFileError(f"{name}: looks binary, not text; give a text, Markdown, HTML or JSON file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{name}: is not UTF-8 text ({exc.reason} at byte {exc.start}); convert it, e.g. "
                             f"'iconv -f WINDOWS-1252 -t UTF-8'") from exc
    if not text.strip():
        raise InputFileError(f"{name}: contains only white space; give the complete text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse_day(value: Any) -> date | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in ("%a %b %d %H:%M:%S %z %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text[:30], fmt).date()
        except ValueError:
            continue
    if text.isdigit():  # Telegram "date_unixtime"
        return datetime.fromtimestamp(int(text)).date()
    return None


# -- Markdown -------------------------------------------------------------------------------------------------
_MD_RULES = [
    (re.compile(r"```.*?```", re.S), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),
    (re.compile(r"^\s*[-*+]\s+", re.M), ""),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"<[^>\n]+>"), ""),
]


def markdown_to_text(md: str) -> tuple[str, str | None]:
    """Plain text of Markdown and its first heading (the title). Offsets refer to this plain text."""
    title = None
    m = re.search(r"^\s{0,3}#\s+(.+)$", md, re.M)
    for rx, repl in _MD_RULES:
        md = rx.sub(repl, md)
    if m:
        title = md.strip().split("\n", 1)[0].strip() or None
    return md, title


# -- HTML -----------------------------------------------------------------------------------------------------
def html_to_document(html: str, name: str) -> TextDocument:
    """Main text and page metadata via trafilatura (lxml parse; scripts and styles are never run or kept)."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                            include_tables=False, deduplicate=False)
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text:
        from lxml import html as lxml_html

        try:
            tree = lxml_html.fromstring(html)
            for bad in tree.xpath("//script|//style|//noscript|//template"):
                bad.drop_tree()
            text = tree.text_content()
        except Exception:  # noqa: BLE001 - a page lxml cannot parse has no text to offer
            text = ""
        extracted = None
    text = re.sub(r"\n+", "\n\n", text.strip())
    if not text.strip():
        raise InputFileError(f"{name}: the HTML page has no readable main text; save the article text instead")
    doc = TextDocument(text=text, fmt="html")
    if extracted is not None:
        doc.title = extracted.title or None
        doc.outlet = extracted.sitename or None
        doc.author = extracted.author or None
        doc.published = _parse_day(extracted.date)
        doc.url = extracted.url or None
    return doc


# -- social-post JSON -----------------------------------------------------------------------------------------
def _telegram_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(v if isinstance(v, str) else str(v.get("text", "")) for v in value)
    return ""


def _join_posts(posts: list[dict[str, Any]], fmt: str, name: str) -> TextDocument:
    parts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    for p in posts:
        body = (p.get("text") or "").strip()
        if not body:
            continue
        if parts:
            parts.append("\n\n")
            pos += 2
        segments.append(Segment(start=pos, end=pos + len(body), kind="post", author=p.get("author"),
                                handle=p.get("handle"), published=_parse_day(p.get("date")), url=p.get("url"),
                                ref=str(p["id"]) if p.get("id") is not None else None))
        parts.append(body)
        pos += len(body)
    if not segments:
        raise InputFileError(f"{name}: the {fmt} file holds no post with text; give an export with messages")
    doc = TextDocument(text="".join(parts), segments=segments, fmt=fmt)
    first = segments[0]
    doc.author, doc.published, doc.url = first.speaker, first.published, first.url
    return doc


def json_to_document(raw: str, name: str) -> TextDocument:
    """X/Twitter API v2 responses and Telegram exports (channel or chat), one segment per post."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"{name}: invalid JSON ({exc.msg} at line {exc.lineno}); give an X API v2 "
                             "response or a Telegram export") from exc
    if isinstance(data, dict) and "messages" in data:  # Telegram Desktop export
        channel = data.get("name")
        posts = [{"text": _telegram_text(m.get("text")), "author": m.get("from") or channel,
                  "date": m.get("date") or m.get("date_unixtime"), "id": m.get("id")}
                 for m in data.get("messages") or [] if isinstance(m, dict) and m.get("type", "message") == "message"]
        doc = _join_posts(posts, "telegram-json", name)
        doc.outlet = channel
        return doc
    if isinstance(data, dict) and "data" in data:  # X API v2
        items = data["data"] if isinstance(data["data"], list) else [data["data"]]
        users = {u.get("id"): u for u in (data.get("includes") or {}).get("users", []) if isinstance(u, dict)}
        posts = []
        for t in items:
            if not isinstance(t, dict):
                continue
            u = users.get(t.get("author_id"), {})
            handle = f"@{u['username']}" if u.get("username") else None
            url = f"https://x.com/{u['username']}/status/{t.get('id')}" if u.get("username") and t.get("id") else None
            posts.append({"text": t.get("note_tweet", {}).get("text") or t.get("text"), "author": u.get("name"),
                          "handle": handle, "date": t.get("created_at"), "id": t.get("id"), "url": url})
        return _join_posts(posts, "x-json", name)
    if isinstance(data, dict) and isinstance(data.get("text"), str):  # one post in a simple form
        return _join_posts([{"text": data["text"], "author": data.get("author") or data.get("name"),
                             "handle": data.get("handle"), "date": data.get("date") or data.get("created_at"),
                             "id": data.get("id"), "url": data.get("url")}], "post-json", name)
    raise InputFileError(f"{name}: JSON in an unknown layout; give an X API v2 response ({{'data': ...}}) or a "
                         "Telegram export ({'messages': [...]})")


# -- entry points ---------------------------------------------------------------------------------------------
def read_document(source: Path | str | bytes, *, name: str | None = None, fmt: str | None = None) -> TextDocument:
    """Read a file (path) or its bytes into a `TextDocument`; plain text and Markdown get embedded posts split."""
    if isinstance(source, bytes):
        data, label = source, name or "<text>"
    else:
        path = Path(source)
        label = name or str(path)
        if not path.is_file():
            raise InputFileError(f"{path}: no such file; check the path")
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise InputFileError(f"{path}: {path.stat().st_size} bytes is over the {MAX_TEXT_BYTES} byte limit "
                                 "for one text; split it into articles")
        data = path.read_bytes()
    if len(data) > MAX_TEXT_BYTES:
        raise InputFileError(f"{label}: {len(data)} bytes is over the {MAX_TEXT_BYTES} byte limit for one text; "
                             "split it into articles")
    fmt = fmt or guess_format(label, data)
    if fmt not in FORMATS:
        raise InputFileError(f"format {fmt!r} for {label}; use one of {', '.join(FORMATS)}")
    text = decode(data, label)
    if fmt == "html":
        return html_to_document(text, label)
    if fmt == "json":
        return json_to_document(text, label)
    title = None
    if fmt == "markdown":
        text, title = markdown_to_text(text)
    doc = TextDocument(text=text, fmt=fmt, title=title)
    doc.segments = split_embedded_posts(text)
    return doc


def document_from_text(text: str) -> TextDocument:
    doc = TextDocument(text=text)
    doc.segments = split_embedded_posts(text)
    return doc
