"""Scoring claim extraction against a hand-made gold file (the format of `seed-article.gold.jsonl`).

Each gold row has `site`, `state`, `when` (event day or null), `attribution` (chain, outermost first), `stance`,
`core` and `cue` (words of the text, "..." between pieces). A prediction answers a gold row when its quote covers
a piece of the row's cue (or, if the cue cannot be found, when site and state agree); gold rows and predictions
are paired one to one, best agreement first. Reported:

- recall (all rows and core rows): gold rows paired with a prediction;
- precision (strict): predictions paired one to one / predictions;
- precision: predictions that are paired, or that repeat a paired row's site and state from the same cue (one
  sentence naming two aircraft gives two claims for one gold row) / predictions;
- field accuracy on pairs: site, state, time (same start day, or both null), attribution, stance.

An optional first line `{"meta": {"text": ..., "published": ..., "outlet": ..., "kind": ..., "author": ...}}` names
the text (relative to the gold file) and its publication data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from basewatch.errors import InputFileError
from basewatch.text.model import ExtractedClaim

FIELDS = ("site", "state", "time", "attribution", "stance")


@dataclass
class GoldFile:
    rows: list[dict[str, Any]]
    meta: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def text_path(self) -> Path | None:
        if self.path is None:
            return None
        if self.meta.get("text"):
            return self.path.parent / self.meta["text"]
        stem = self.path.name.removesuffix(".jsonl").removesuffix(".gold")
        return self.path.parent / f"{stem}.txt"


def load_gold(path: Path | str) -> GoldFile:
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such gold file; give a .jsonl file of gold claims")
    rows, meta = [], {}
    for i, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputFileError(f"{path}:{i}: invalid JSON ({exc.msg}); one gold claim per line") from exc
        if "meta" in row:
            meta = dict(row["meta"])
            continue
        missing = [k for k in ("state", "site") if k not in row]
        if missing:
            raise InputFileError(f"{path}:{i}: gold row lacks {', '.join(missing)}; see seed-article.gold.jsonl")
        rows.append(row)
    if not rows:
        raise InputFileError(f"{path}: holds no gold rows")
    return GoldFile(rows, meta, path)


def _norm(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"').lower()


def cue_positions(text: str, cue: str | None) -> list[int]:
    if not cue:
        return []
    hay = _norm(text)
    out: list[int] = []
    for piece in cue.split("..."):
        piece = _norm(piece.strip())
        if len(piece) >= 3:
            pos = hay.find(piece, out[-1] if out else 0)
            if pos >= 0:
                out.append(pos)
    return out


def _tokens(name: str) -> set[str]:
    return {t for t in re.findall(r"[a-z0-9@]+", _norm(name)) if len(t) >= 3 and t not in ("the", "and")}


def attribution_matches(gold: list[str], pred: list[dict[str, str]] | list[Any]) -> bool:
    names = [p["name"] if isinstance(p, dict) else p.name for p in pred]
    if len(gold) != len(names):
        return False
    for i, (g, p) in enumerate(zip(gold, names, strict=True)):
        if i == 0 and g.lower() in ("article", "statement", "post"):
            continue
        if not (_tokens(g) & _tokens(p)):
            return False
    return True


def field_agreement(row: dict[str, Any], claim: ExtractedClaim) -> dict[str, bool]:
    # a claim dated only to a week, month or range ("in recent days") names no day: it agrees with a null gold day
    when = claim.event_time.start.isoformat() if claim.event_time and claim.event_time.precision == "day" else None
    return {
        "site": row.get("site") == claim.site,
        "state": row.get("state") == claim.state,
        "time": (row.get("when") or None) == when,
        "attribution": attribution_matches(list(row.get("attribution") or []), list(claim.attribution)),
        "stance": row.get("stance") == claim.stance,
    }


def score(text: str, gold: list[dict[str, Any]], claims: list[ExtractedClaim]) -> dict[str, Any]:
    """Pair gold rows with predicted claims and compute recall, precision and per-field accuracy."""
    candidates: list[tuple[int, int, int]] = []  # (-agreement, gold index, claim index)
    for gi, row in enumerate(gold):
        pos = cue_positions(text, row.get("cue"))
        for ci, c in enumerate(claims):
            if pos:
                ok = any(c.quote_start <= p < c.quote_end for p in pos)
            else:
                ok = c.state == row.get("state") and c.site == row.get("site")
            if ok:
                agree = field_agreement(row, c)
                weight = 4 * agree["state"] + 3 * agree["site"] + sum(agree.values())
                candidates.append((-weight, gi, ci))
    candidates.sort()
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, ci in candidates:
        if gi in pairs or ci in used:
            continue
        pairs[gi] = ci
        used.add(ci)
    lenient = set(used)
    for ci, c in enumerate(claims):
        if ci in lenient:
            continue
        for gi, pci in pairs.items():
            p = claims[pci]
            pos = cue_positions(text, gold[gi].get("cue"))
            same_place = any(c.quote_start <= q < c.quote_end for q in pos) or c.quote_start == p.quote_start
            if same_place and c.site == p.site and c.state == p.state == gold[gi]["state"]:
                lenient.add(ci)
                break
    core = [i for i, r in enumerate(gold) if r.get("core")]
    field_hits = {f: 0 for f in FIELDS}
    details = []
    for gi, row in enumerate(gold):
        ci = pairs.get(gi)
        entry: dict[str, Any] = {"n": row.get("n", gi + 1), "core": bool(row.get("core")), "state": row["state"],
                                 "site": row["site"], "matched": ci is not None}
        if ci is not None:
            agree = field_agreement(row, claims[ci])
            for f in FIELDS:
                field_hits[f] += agree[f]
            entry["wrong"] = [f for f in FIELDS if not agree[f]]
            entry["claim"] = claims[ci].to_dict()
        details.append(entry)
    n_pairs = len(pairs)
    unmatched = [claims[ci].to_dict() for ci in range(len(claims)) if ci not in lenient]
    return {
        "gold": len(gold), "core": len(core), "predicted": len(claims), "matched": n_pairs,
        "recall": round(n_pairs / len(gold), 3) if gold else None,
        "recall_core": round(sum(1 for i in core if i in pairs) / len(core), 3) if core else None,
        "precision": round(len(lenient) / len(claims), 3) if claims else None,
        "precision_strict": round(n_pairs / len(claims), 3) if claims else None,
        "field_accuracy": {f: round(field_hits[f] / n_pairs, 3) if n_pairs else None for f in FIELDS},
        "rows": details, "unmatched_predictions": unmatched,
    }


def evaluate_gold(gold_path: Path | str, *, text_path: Path | str | None = None, published: Any = None,
                  outlet: str | None = None, catalog: Any = None) -> dict[str, Any]:
    """Read a gold file and its text, extract claims and score them."""
    from basewatch.text.extract import extract_document
    from basewatch.text.reading import read_document

    gold = load_gold(gold_path)
    tp = Path(text_path) if text_path else gold.text_path()
    if tp is None or not tp.is_file():
        raise InputFileError(f"{gold_path}: cannot find its text ({tp}); pass --text FILE")
    doc = read_document(tp)
    if gold.meta.get("kind") == "post" and gold.meta.get("author"):
        from basewatch.model import day_of
        from basewatch.text.model import Segment

        doc.segments = [Segment(0, len(doc.text), kind="post", author=gold.meta["author"],
                                published=day_of(published or gold.meta.get("published"), what="published"))]
    claims = extract_document(doc, published=published or gold.meta.get("published"),
                              outlet=outlet or gold.meta.get("outlet"), kind=gold.meta.get("kind"), catalog=catalog)
    result = score(doc.text, gold.rows, claims)
    result["text"] = str(tp)
    return result


def combine(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Micro-averaged figures over several scored texts."""
    g = sum(r["gold"] for r in results)
    core = sum(r["core"] for r in results)
    pred = sum(r["predicted"] for r in results)
    matched = sum(r["matched"] for r in results)
    core_hit = sum(sum(1 for row in r["rows"] if row["core"] and row["matched"]) for r in results)
    lenient = sum(round((r["precision"] or 0) * r["predicted"]) for r in results)
    fields = {}
    for f in FIELDS:
        hits = sum((r["field_accuracy"][f] or 0) * r["matched"] for r in results)
        fields[f] = round(hits / matched, 3) if matched else None
    return {"texts": len(results), "gold": g, "core": core, "predicted": pred, "matched": matched,
            "recall": round(matched / g, 3) if g else None, "recall_core": round(core_hit / core, 3) if core else None,
            "precision": round(lenient / pred, 3) if pred else None,
            "precision_strict": round(matched / pred, 3) if pred else None, "field_accuracy": fields}


def evaluate_round(folder: Path | str, *, catalog: Any = None) -> dict[str, Any]:
    """Score every `*.gold.jsonl` of a round folder; figures micro-averaged over the round and per language
    (the meta line's `language`, default English)."""
    folder = Path(folder)
    paths = sorted(folder.glob("*.gold.jsonl"))
    if not paths:
        raise InputFileError(f"{folder}: holds no *.gold.jsonl files; give a round folder of gold claims")
    per_text, by_lang = [], {}
    for p in paths:
        res = evaluate_gold(p, catalog=catalog)
        lang = load_gold(p).meta.get("language", "en")
        res["language"] = lang
        per_text.append(res)
        by_lang.setdefault(lang, []).append(res)
    return {"round": folder.name, **combine(per_text),
            "languages": {lang: combine(rs) for lang, rs in sorted(by_lang.items())}, "texts_scored": per_text}
