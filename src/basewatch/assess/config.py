"""Indicator and hypothesis definitions: the built-in YAML, overridden by a workspace's own files.

The definitions are the analyst's to edit, so they are data, checked here once with messages that name the file,
the entry and the fix; everything downstream can trust them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from basewatch.errors import InvalidValueError

RATINGS = ("CC", "C", "N", "I", "II")
TESTS = ("count", "state", "track", "claim", "any")
COMPARES = ("above", "below", "steady", "present")


class AssessmentConfigError(InvalidValueError):
    """An indicators.yaml or hypotheses.yaml file is invalid."""


@dataclass(frozen=True)
class Hypothesis:
    id: str
    label: str
    statement: str
    prior: float = 1.0


@dataclass(frozen=True)
class IndicatorDef:
    """One indicator: its test parameters and its ratings against each hypothesis."""

    id: str
    label: str
    test: str
    params: dict[str, Any]
    if_true: dict[str, str] = field(default_factory=dict)
    if_false: dict[str, str] = field(default_factory=dict)
    applies_to: tuple[str, ...] = ()
    weight: float = 1.0

    def applies(self, site_kind: str) -> bool:
        return not self.applies_to or site_kind in self.applies_to


@dataclass(frozen=True)
class ContradictionRule:
    claim_states: tuple[str, ...]
    against: tuple[tuple[str, bool], ...]  # (indicator id, value that contradicts)
    explanation: str
    max_days: int | None = None
    subjects: tuple[str, ...] = ()  # the claim must be about one of these (category prefix or word in its subject)


@dataclass(frozen=True)
class AssessConfig:
    hypotheses: tuple[Hypothesis, ...]
    indicators: tuple[IndicatorDef, ...]
    ratings: dict[str, float]
    scoring: dict[str, float]
    settings: dict[str, Any]
    credibility: dict[str, Any]
    contradictions: tuple[ContradictionRule, ...]
    claim_conflicts: tuple[tuple[frozenset[str], frozenset[str]], ...]
    sources: tuple[str, ...] = ()

    def hypothesis(self, hid: str) -> Hypothesis:
        return next(h for h in self.hypotheses if h.id == hid)


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def _builtin_text(name: str) -> str:
    return resources.files("basewatch.assess").joinpath("data", name).read_text("utf-8")


@cache
def _parsed_builtin(name: str) -> Any:
    return yaml.load(_builtin_text(name), Loader=_Loader)  # noqa: S506 -- a safe loader


def _read_builtin(name: str) -> dict[str, Any]:
    """The packaged definitions (parsed once per process; a copy, so merging never alters the cache)."""
    return copy.deepcopy(_parsed_builtin(name))


def _read_user(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_Loader)  # noqa: S506 -- a safe loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise AssessmentConfigError(f"{path}: cannot be read as YAML ({exc}); fix the file or remove it") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise AssessmentConfigError(f"{path}: expected a mapping at the top (keys like 'indicators:'); fix the file")
    return data


def _merge_entries(base: list[dict[str, Any]], user: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    entries = [] if user.get("replace") else [dict(e) for e in base]
    for entry in user.get(key) or []:
        if not isinstance(entry, dict) or "id" not in entry:
            raise AssessmentConfigError(f"{where}: every entry under '{key}' needs an 'id'; got {entry!r}")
        entries = [e for e in entries if e["id"] != entry["id"]]
        if not entry.get("disable"):
            entries.append({**entry, "_user": True})
    return entries


def _ratings(raw: Any, hyp_ids: set[str], where: str, strict: bool = True) -> dict[str, str]:
    """Ratings by hypothesis; a built-in entry's rating of a hypothesis the user removed is dropped."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise AssessmentConfigError(f"{where}: ratings must be a mapping hypothesis -> rating; got {raw!r}")
    out = {}
    for hid, rating in raw.items():
        if hid not in hyp_ids and not strict:
            continue
        if hid not in hyp_ids:
            raise AssessmentConfigError(f"{where}: unknown hypothesis {hid!r}; use one of {', '.join(sorted(hyp_ids))}")
        if str(rating) not in RATINGS:
            raise AssessmentConfigError(f"{where}: rating {rating!r} for {hid}; use one of {', '.join(RATINGS)}")
        out[str(hid)] = str(rating)
    return out


def _check_test(spec: dict[str, Any], where: str) -> None:
    test = spec.get("test")
    if test not in TESTS:
        raise AssessmentConfigError(f"{where}: test {test!r}; use one of {', '.join(TESTS)}")
    if test == "count" and spec.get("compare") not in COMPARES:
        raise AssessmentConfigError(f"{where}: compare {spec.get('compare')!r}; use one of {', '.join(COMPARES)}")
    if test == "state" and not spec.get("states"):
        raise AssessmentConfigError(f"{where}: a state test needs 'states: [...]' from the vocabulary")
    if test in ("track", ) and not spec.get("events"):
        raise AssessmentConfigError(f"{where}: a track test needs 'events: [...]'")
    if test == "claim" and not spec.get("states"):
        raise AssessmentConfigError(f"{where}: a claim test needs 'states: [...]' (e.g. NO_DECISION)")
    if test == "any":
        subs = spec.get("any_of")
        if not isinstance(subs, list) or not subs:
            raise AssessmentConfigError(f"{where}: an 'any' test needs 'any_of: [tests...]'")
        for i, sub in enumerate(subs):
            if not isinstance(sub, dict) or sub.get("test") == "any":
                raise AssessmentConfigError(f"{where}: any_of[{i}] must be a count, state, track or claim test")
            _check_test(sub, f"{where} any_of[{i}]")


def load_config(workspace_root: Path | None = None) -> AssessConfig:
    """The built-in definitions, with `<workspace>/hypotheses.yaml` and `<workspace>/indicators.yaml` on top."""
    hyp_base, ind_base = _read_builtin("hypotheses.yaml"), _read_builtin("indicators.yaml")
    sources = ["builtin"]
    hyp_user = ind_user = None
    if workspace_root is not None:
        hyp_user = _read_user(workspace_root / "hypotheses.yaml")
        ind_user = _read_user(workspace_root / "indicators.yaml")
    hyp_where = str(workspace_root / "hypotheses.yaml") if hyp_user is not None else "built-in hypotheses.yaml"
    ind_where = str(workspace_root / "indicators.yaml") if ind_user is not None else "built-in indicators.yaml"
    if hyp_user is not None:
        sources.append(hyp_where)
    if ind_user is not None:
        sources.append(ind_where)

    hyp_entries = _merge_entries(hyp_base["hypotheses"], hyp_user or {}, "hypotheses", hyp_where)
    if len(hyp_entries) < 2:
        raise AssessmentConfigError(f"{hyp_where}: at least two hypotheses are needed to compare; add some")
    hypotheses = []
    for e in hyp_entries:
        try:
            prior = float(e.get("prior", 1.0))
        except (TypeError, ValueError):
            prior = -1.0
        if prior <= 0:
            raise AssessmentConfigError(f"{hyp_where}: hypothesis {e['id']!r} prior must be a positive number")
        hypotheses.append(Hypothesis(id=str(e["id"]), label=str(e.get("label", e["id"])),
                                     statement=str(e.get("statement", e.get("label", e["id"]))), prior=prior))
    hyp_ids = {h.id for h in hypotheses}
    ratings = {**hyp_base["ratings"], **((hyp_user or {}).get("ratings") or {})}
    if set(ratings) != set(RATINGS):
        raise AssessmentConfigError(f"{hyp_where}: 'ratings' must give exactly {', '.join(RATINGS)}")
    scoring = {**hyp_base["scoring"], **((hyp_user or {}).get("scoring") or {})}

    user = ind_user or {}
    ind_entries = _merge_entries(ind_base["indicators"], user, "indicators", ind_where)
    indicators = []
    seen: set[str] = set()
    for e in ind_entries:
        user_entry = bool(e.get("_user"))
        where = f"{ind_where if user_entry else 'built-in indicators.yaml'}: indicator {e['id']!r}"
        _check_test(e, where)
        meta = ("id", "label", "test", "if_true", "if_false", "applies_to", "weight", "disable", "_user")
        params = {k: v for k, v in e.items() if k not in meta}
        try:
            weight = float(e.get("weight", 1.0))
        except (TypeError, ValueError):
            raise AssessmentConfigError(f"{where}: weight must be a number") from None
        ind = IndicatorDef(id=str(e["id"]), label=str(e.get("label", e["id"])), test=e["test"], params=params,
                           if_true=_ratings(e.get("if_true"), hyp_ids, where, user_entry),
                           if_false=_ratings(e.get("if_false"), hyp_ids, where, user_entry),
                           applies_to=tuple(e.get("applies_to") or ()), weight=weight)
        indicators.append(ind)
        seen.add(ind.id)

    settings = {**ind_base["settings"], **(user.get("settings") or {})}
    credibility = {**ind_base["credibility"], **(user.get("credibility") or {})}
    rules = []
    for i, r in enumerate(user.get("contradictions", ind_base["contradictions"]) or []):
        against = []
        for a in r.get("against") or []:
            text = str(a).strip()
            value = not text.startswith("not ")
            iid = text.removeprefix("not ").strip()
            if iid not in seen and "contradictions" not in user:
                continue  # a built-in rule about an indicator the user disabled
            if iid not in seen:
                raise AssessmentConfigError(f"{ind_where}: contradictions[{i}] names unknown indicator {iid!r}; "
                                            "use an indicator id (prefix 'not ' for its false value)")
            against.append((iid, value))
        max_days = r.get("max_days")
        if not against:
            continue
        rules.append(ContradictionRule(tuple(str(s) for s in r.get("claim_states") or ()), tuple(against),
                                       str(r.get("explanation", "the observations contradict the claim")),
                                       int(max_days) if max_days is not None else None,
                                       tuple(str(x).lower() for x in r.get("subjects") or ())))
    conflicts = []
    for i, pair in enumerate(user.get("claim_conflicts", ind_base["claim_conflicts"]) or []):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise AssessmentConfigError(f"{ind_where}: claim_conflicts[{i}] must be two lists of states")
        conflicts.append((frozenset(map(str, pair[0])), frozenset(map(str, pair[1]))))
    return AssessConfig(hypotheses=tuple(hypotheses), indicators=tuple(indicators), ratings=ratings,
                        scoring=scoring, settings=settings, credibility=credibility, contradictions=tuple(rules),
                        claim_conflicts=tuple(conflicts), sources=tuple(sources))
