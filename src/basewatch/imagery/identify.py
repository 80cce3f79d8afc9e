"""Identification: which catalog type a detection is, ranked with probabilities, or "unknown <class>".

The explainable rule: the footprint's measured length and span (or beam) are compared with every catalog type of
the detection's class, in log ratio with a tolerance of a few percent plus a pixel or two of measurement error.
Orientation does not matter (an An-124 is wider than it is long), so sorted sizes are compared. Types with pose
variants (the Su-24's swing wing, a helicopter whose rotors were removed) get one hypothesis per pose. When no
type fits within about three tolerances, "unknown" wins: nothing is forced into the catalog. Pixel cues
(`imagery.cues`) then sharpen the ranking between types of similar size, and base rates at watched sites
(`data/type_priors.yaml`) weigh look-alikes. When the top type stays unsure but its family (catalog `family`:
Il-76 / A-50 / Il-78) is sure, the answer names the family.

An optional reference table of types outside the catalog (for example AllPlanes.csv) adds open-set competitors:
a B-52 measured in the image then shows up as "unknown aircraft (fits B52)" instead of a forced Tu-95.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from basewatch.catalog import Catalog, builtin_catalog
from basewatch.model import Detection, EquipmentType

# Which catalog planform forms a detector class may be.
CLASS_FORMS: dict[str, tuple[str, ...]] = {
    "aircraft": ("fixed_wing",),
    "helicopter": ("rotorcraft",),
    "vehicle": ("vehicle",),
    "ship": ("ship",),
}
FORM_CLASS = {f: c for c, forms in CLASS_FORMS.items() for f in forms}

REL_TOL = 0.05  # relative size tolerance of one standard deviation (catalog values and pose)
PX_TOL = 1.5  # measurement error in pixels of one standard deviation (box edges of a detector)
OPEN_SET_D = 3.0  # distance (in tolerances) beyond which "unknown" beats a catalog type
REFERENCE_MASS = 0.25  # prior share of all reference (outside-catalog) types together vs the catalog's types
FAMILY_TOP = 0.6  # below this the top type alone is not said ...
FAMILY_SUM = 0.75  # ... and its family is, when the family together holds this much


@dataclass(frozen=True)
class SizeHypothesis:
    """One way a type can look from above: its sorted dimensions and the pose that gives them."""

    type_id: str
    major: float
    minor: float
    pose: str = "default"
    tol: float = REL_TOL


@dataclass(frozen=True)
class ReferenceType:
    """A type outside the catalog, from a reference table (e.g. AllPlanes.csv)."""

    code: str
    name: str
    length_m: float
    span_m: float
    span_swept_m: float | None = None


@dataclass(frozen=True)
class Candidate:
    id: str
    p: float
    distance: float  # in tolerances; small = good fit
    pose: str = "default"


@dataclass(frozen=True)
class Identification:
    """The ranked answer for one detection."""

    cls: str
    type_id: str  # a catalog id, or "unknown"
    label: str  # what to print: "Su-34" or "unknown aircraft"
    category: str  # catalog category, or the detector class for unknown
    p: float
    candidates: tuple[Candidate, ...] = ()
    measured: tuple[float | None, float | None] = (None, None)
    outside_fit: str | None = None  # best reference type outside the catalog, when one fits
    cues: dict[str, float] = field(default_factory=dict)
    family: str | None = None  # named when the evidence supports the family but not the type
    family_p: float | None = None

    @property
    def known(self) -> bool:
        return self.type_id != "unknown"

    def as_type(self) -> dict[str, Any]:
        """The detection's `type` field of the CLI contract: id and p, plus name, category and runners-up."""
        out: dict[str, Any] = {"id": self.type_id, "p": round(self.p, 4), "name": self.label,
                               "category": self.category,
                               "candidates": [{"id": c.id, "p": round(c.p, 4)} for c in self.candidates[:3]]}
        if self.outside_fit:
            out["outside_fit"] = self.outside_fit
        if self.family:
            out["family"] = {"id": self.family, "p": round(self.family_p or 0.0, 4)}
        return out


# ------------------------------------------------------------------------------------------------ catalog


def hypotheses(eq: EquipmentType) -> list[SizeHypothesis]:
    """Every pose of a type as sorted (major, minor) dimensions."""
    L, W = eq.length_m, eq.width_m
    out = [SizeHypothesis(eq.id, max(L, W), min(L, W))]
    form = str(eq.shape.get("form", ""))
    swept = eq.shape.get("width_swept_m")  # a swing-wing type's span swept back (catalog data)
    if swept:
        out.append(SizeHypothesis(eq.id, max(L, float(swept)), min(L, float(swept)), "wings_swept"))
    if form == "rotorcraft":
        # rotors removed: the footprint shrinks to the fuselage and stub wings (or sponsons)
        stub = 0.45 * L if "attack" in eq.category else float(eq.shape.get("fuselage_width_m", 2.5)) + 2.2
        out.append(SizeHypothesis(eq.id, L, stub, "rotor_removed", tol=0.12))
    return out


@cache
def type_priors() -> dict[str, float]:
    """Relative base rates of types at watched sites (data/type_priors.yaml); 1 for any type not listed."""
    text = resources.files("basewatch.imagery").joinpath("data", "type_priors.yaml").read_text("utf-8")
    return {str(k): float(v) for k, v in (yaml.safe_load(text).get("priors") or {}).items()}


def log_prior(types: list[EquipmentType]) -> dict[str, float]:
    """Log prior per type relative to a uniform one over the class's types, from the base rates."""
    rates = type_priors()
    w = {e.id: max(rates.get(e.id, 1.0), 1e-3) for e in types}
    mean = sum(w.values()) / max(1, len(w))
    return {k: math.log(v / mean) for k, v in w.items()}


def candidate_types(catalog: Catalog, cls: str) -> list[EquipmentType]:
    forms = CLASS_FORMS.get(cls, ())
    return [e for e in catalog.equipment.values() if str(e.shape.get("form", "vehicle")) in forms]


def _distance(measured: tuple[float, float], hyp: SizeHypothesis, gsd: float | None) -> float:
    """Mahalanobis-like distance of sorted measured dims from a hypothesis, in tolerances."""
    m_major, m_minor = max(measured), min(measured)
    d2 = 0.0
    for m, t in ((m_major, hyp.major), (m_minor, hyp.minor)):
        px = (gsd or 0.0) * PX_TOL
        sigma = math.hypot(hyp.tol, px / max(t, 0.5))
        d2 += (math.log(max(m, 0.1) / t) / sigma) ** 2
    return math.sqrt(d2)


def _ratio_distance(ratio: float, hyp: SizeHypothesis) -> float:
    """Scale-free distance when the pixel size is unknown: compare aspect ratios only."""
    return abs(math.log(ratio / (hyp.major / hyp.minor))) / 0.06


# ------------------------------------------------------------------------------------------------ reference


def load_reference_table(path: Path | str) -> list[ReferenceType]:
    """Aircraft types from an AllPlanes-style CSV (ICAO, name, length, wingspan, wingspan_swept_folded)."""
    out: list[ReferenceType] = []
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            try:
                length, span = float(row["length"]), float(row["wingspan"])
            except (KeyError, TypeError, ValueError):
                continue
            swept_raw = (row.get("wingspan_swept_folded") or "").strip()
            try:
                swept = float(swept_raw) if swept_raw else None
            except ValueError:
                swept = None
            out.append(ReferenceType(code=row.get("ICAO", "").strip(), name=row.get("name", "").strip(),
                                     length_m=length, span_m=span, span_swept_m=swept))
    return out


def _reference_hypotheses(reference: list[ReferenceType], catalog: Catalog) -> list[SizeHypothesis]:
    known = {e.icao.upper() for e in catalog.equipment.values() if e.icao}
    out = []
    for r in reference:
        if r.code.upper() in known or r.length_m <= 0 or r.span_m <= 0:
            continue
        out.append(SizeHypothesis(f"ref:{r.code}", max(r.length_m, r.span_m), min(r.length_m, r.span_m)))
        if r.span_swept_m:
            out.append(SizeHypothesis(f"ref:{r.code}", max(r.length_m, r.span_swept_m),
                                      min(r.length_m, r.span_swept_m), "wings_swept"))
    return out


# ------------------------------------------------------------------------------------------------ ranking


def _short_label(eq: EquipmentType) -> str:
    return eq.aliases[0] if eq.aliases else eq.name


def rank_by_size(cls: str, length_m: float | None, width_m: float | None, *, catalog: Catalog | None = None,
                 gsd: float | None = None, aspect: float | None = None,
                 reference: list[ReferenceType] | None = None,
                 cue_log_likelihood: dict[str, float] | None = None) -> Identification:
    """Rank the catalog types of a class by fit to measured dimensions (or, without a scale, to the aspect ratio).

    `cue_log_likelihood` adds per-type log-likelihood terms from pixel cues.
    """
    cat = catalog or builtin_catalog()
    types = candidate_types(cat, cls)
    hyps = [h for e in types for h in hypotheses(e)]
    if cls == "aircraft" and reference:
        hyps += _reference_hypotheses(reference, cat)
    scaled = bool(length_m and width_m)
    if not scaled and aspect is None:
        return Identification(cls=cls, type_id="unknown", label=f"unknown {cls}", category=cls, p=1.0)
    best: dict[str, tuple[float, str]] = {}
    for h in hyps:
        d = _distance((length_m, width_m), h, gsd) if scaled else _ratio_distance(aspect, h)  # type: ignore[arg-type]
        if h.type_id not in best or d < best[h.type_id][0]:
            best[h.type_id] = (d, h.pose)
    cues = cue_log_likelihood or {}
    n_types = max(1, len(types))
    n_ref = sum(1 for tid in best if tid.startswith("ref:"))
    # a watched site holds mostly catalog types: the whole reference table shares REFERENCE_MASS of the prior
    ref_prior = math.log(REFERENCE_MASS * n_types / n_ref) if n_ref else 0.0
    prior = log_prior(types)
    logl = {tid: -0.5 * d * d + cues.get(tid, 0.0) + (ref_prior if tid.startswith("ref:") else prior[tid])
            for tid, (d, _) in best.items()}
    # the open set: a constant competitor that wins when nothing fits within OPEN_SET_D tolerances
    logl_unknown = -0.5 * OPEN_SET_D**2 + math.log(n_types / 4)
    top = max([*logl.values(), logl_unknown])
    z = sum(math.exp(v - top) for v in logl.values()) + math.exp(logl_unknown - top)
    probs = {tid: math.exp(v - top) / z for tid, v in logl.items()}
    p_unknown = math.exp(logl_unknown - top) / z
    # mass of reference (outside-catalog) types counts as unknown
    outside = {tid: p for tid, p in probs.items() if tid.startswith("ref:")}
    p_unknown += sum(outside.values())
    cands = sorted((Candidate(tid, p, best[tid][0], best[tid][1]) for tid, p in probs.items()
                    if not tid.startswith("ref:")), key=lambda c: -c.p)
    outside_fit = max(outside, key=outside.get).removeprefix("ref:") if outside and max(outside.values()) > 0.2 \
        else None  # type: ignore[arg-type]
    measured = (length_m, width_m)
    if not cands or p_unknown >= cands[0].p:
        label = f"unknown {cls}" + (f" (fits {outside_fit})" if outside_fit else "")
        return Identification(cls=cls, type_id="unknown", label=label, category=cls, p=p_unknown,
                              candidates=tuple(cands), measured=measured, outside_fit=outside_fit)
    eq = cat.equipment[cands[0].id]
    family, family_p, label = None, None, _short_label(eq)
    if eq.family and cands[0].p < FAMILY_TOP:
        members = [c for c in cands if cat.equipment[c.id].family == eq.family]
        family_p = sum(c.p for c in members)
        if family_p >= FAMILY_SUM and len(members) > 1:
            family = eq.family
            names = "/".join(_short_label(cat.equipment[c.id]) for c in members)
            label = f"{eq.family.replace('-', ' ').capitalize()} family ({names})"
        else:
            family_p = None
    return Identification(cls=cls, type_id=eq.id, label=label, category=eq.category, p=cands[0].p,
                          candidates=tuple(cands), measured=measured, outside_fit=outside_fit, family=family,
                          family_p=family_p)


def identify(det: Detection, *, catalog: Catalog | None = None, chip: Any = None,
             reference: list[ReferenceType] | None = None, gsd: float | None = None) -> Identification:
    """Identify one detection from its measured size and, when `chip` (an `imagery.chips.Chip`) is given, its pixels."""
    from basewatch.imagery.cues import cue_log_likelihoods

    cat = catalog or builtin_catalog()
    aspect = None
    if not (det.length_m and det.width_m):
        import numpy as np

        p = np.asarray(det.polygon_px, dtype=float)
        a, b = float(np.hypot(*(p[1] - p[0]))), float(np.hypot(*(p[2] - p[1])))
        aspect = max(a, b) / max(min(a, b), 1e-6)
    if gsd is None and chip is not None:
        gsd = chip.frame.gsd
    if gsd is None and det.length_m:
        from basewatch.imagery.chips import body_frame

        try:
            gsd = body_frame(det).gsd
        except ValueError:
            gsd = None
    first = rank_by_size(det.cls, det.length_m, det.width_m, catalog=cat, gsd=gsd, aspect=aspect,
                         reference=reference)
    if chip is not None and float(chip.valid.mean()) < 0.6:
        chip = None  # mostly outside the image: its pixels say nothing
    if chip is None or not first.candidates:
        return first
    cues = cue_log_likelihoods(chip, det.cls, [c.id for c in first.candidates if c.p > 1e-3], cat)
    if not cues:
        return first
    ident = rank_by_size(det.cls, det.length_m, det.width_m, catalog=cat, gsd=gsd, aspect=aspect,
                         reference=reference, cue_log_likelihood=cues)
    return replace(ident, cues={k: round(v, 3) for k, v in cues.items()})


def analyst_identification(det: Detection, type_id: str, catalog: Catalog | None = None) -> Identification:
    """The identification an analyst set by hand: that type, probability 1 (see `imagery.review`)."""
    cat = catalog or builtin_catalog()
    eq = cat.equipment[type_id]
    return Identification(cls=det.cls, type_id=eq.id, label=_short_label(eq), category=eq.category, p=1.0,
                          candidates=(Candidate(eq.id, 1.0, 0.0),), measured=(det.length_m, det.width_m))


def category_of(ident: Identification) -> str:
    return ident.category


__all__ = ["CLASS_FORMS", "Candidate", "Identification", "ReferenceType", "SizeHypothesis", "analyst_identification",
           "candidate_types",
           "hypotheses", "identify", "load_reference_table", "rank_by_size"]
