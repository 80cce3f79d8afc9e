"""Claims from sentences in Russian or Arabic, read through multilingual embeddings instead of English rules.

A sentence that names a site or a subject (the catalog's aliases in any script, declined Russian names, the
generic words of `data/languages.yaml`) takes the claim state of its nearest prototypes (`data/prototypes.yaml`),
if it is near enough. Negation, denial, hedges, hearsay and speculation come from the language's word lists,
because embeddings barely tell "left" from "did not leave"; the speaker from the language's speaker patterns,
named in English so that a Russian post and its translation give the same attribution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml

from basewatch.text.embed import ENGINES, embed, engine_for
from basewatch.text.language import language_of
from basewatch.text.model import Attribution, Subject
from basewatch.text.vocabulary import BASE_STATES, FORCE_STATES, OPPOSITE_STATE, SELF_NEGATED_STATES


def _words(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)", re.I) if patterns else re.compile(r"(?!)")


@dataclass(frozen=True)
class LanguageCues:
    negation: re.Pattern[str]
    not_negation: re.Pattern[str]
    denial: re.Pattern[str]
    hedged: re.Pattern[str]
    reported: re.Pattern[str]
    speculative: re.Pattern[str]
    claimed: re.Pattern[str]
    not_a_claim: re.Pattern[str]
    speaker_verbs: re.Pattern[str]
    speakers: tuple[tuple[re.Pattern[str], str, str], ...]
    subjects: tuple[tuple[re.Pattern[str], str], ...]
    speaker_phrases: tuple[re.Pattern[str], ...] = ()


@cache
def language_cues() -> dict[str, LanguageCues]:
    data = yaml.safe_load(resources.files("basewatch.text").joinpath("data", "languages.yaml").read_text("utf-8"))
    out = {}
    for lang, d in data.items():
        out[lang] = LanguageCues(
            **{k: _words(d.get(k, [])) for k in ("negation", "not_negation", "denial", "hedged", "reported",
                                                  "speculative", "claimed", "not_a_claim", "speaker_verbs")},
            speakers=tuple((_words([s["pattern"]]), s["name"], s["kind"]) for s in d.get("speakers", [])),
            subjects=tuple((_words([s["pattern"]]), s["category"]) for s in d.get("subjects", [])),
            speaker_phrases=tuple(re.compile(p) for p in d.get("speaker_phrases", [])))
    return out


@dataclass(frozen=True)
class PrototypeBank:
    engine: str
    states: tuple[str, ...]
    vectors: np.ndarray
    min_similarity: float
    min_margin: float
    top_k: int = 2

    def nearest(self, sentence: str) -> tuple[str, float] | None:
        """The state whose prototypes are nearest, with its similarity, or None if none is near enough or two
        states are about as near."""
        sims = self.vectors @ embed([sentence], self.engine)[0]
        per: dict[str, list[float]] = {}
        for state, s in zip(self.states, sims, strict=True):
            per.setdefault(state, []).append(float(s))
        # a state's score: the mean of its `top_k` nearest prototypes (one odd prototype does not decide)
        best = {state: float(np.mean(sorted(v)[-self.top_k:])) for state, v in per.items()}
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        (top, s1), (_, s2) = ranked[0], ranked[1]
        if s1 < self.min_similarity or s1 - s2 < self.min_margin:
            return None
        return top, s1


def prototype_bank(lang: str | None = "ru") -> PrototypeBank:
    """The bank for a sentence's language: English prototypes for the English engine, all of them (any
    language) for the multilingual one."""
    return _bank(engine_for(lang))


@cache
def _bank(engine: str) -> PrototypeBank:
    entries = bank_entries(engine)
    limits = _read("prototypes.yaml")["engines"][engine]
    return PrototypeBank(engine, tuple(state for state, _ in entries),
                         prototype_vectors([text for _, text in entries], engine), float(limits["min_similarity"]),
                         float(limits["min_margin"]), int(limits.get("top_k", 2)))


def bank_entries(engine: str) -> list[tuple[str, str]]:
    """(state, wording) of every prototype an engine reads: hand-written ones, then the harvested gold cues."""
    return [(state, ex) for bank in (_read("prototypes.yaml")["states"], _read("prototypes-gold.yaml")["states"])
            for state, examples in bank.items() for ex in examples
            if engine == "multilingual" or language_of(ex) == "en"]


VECTORS = "prototype-vectors.npz"


def prototype_vectors(texts: list[str], engine: str) -> np.ndarray:
    """The prototypes' embeddings: from the shipped file where it holds the same wording (embedding 800
    prototypes takes half a minute), embedded now for wordings added since."""
    stored: dict[str, np.ndarray] = {}
    path = resources.files("basewatch.text").joinpath("data", VECTORS)
    if path.is_file():
        with path.open("rb") as fh, np.load(fh) as npz:
            if f"{engine}_texts" in npz:
                stored = dict(zip(npz[f"{engine}_texts"].tolist(), npz[f"{engine}_vectors"].astype(np.float32),
                                  strict=True))
    missing = [t for t in dict.fromkeys(texts) if t not in stored]
    if missing:
        stored.update(zip(missing, embed(missing, engine), strict=True))
    return np.stack([stored[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)


def write_prototype_vectors(path: Path) -> None:
    """Embed every prototype with both engines and save them (bench/harvest_prototypes.py calls this)."""
    arrays = {}
    for engine in ENGINES:
        texts = list(dict.fromkeys(text for _, text in bank_entries(engine)))
        arrays[f"{engine}_texts"] = np.array(texts)
        arrays[f"{engine}_vectors"] = embed(texts, engine).astype(np.float16)
    np.savez_compressed(path, **arrays)


@dataclass(frozen=True)
class StanceCues:
    """Which kinds of stance words a sentence holds, whatever its language."""

    speculative: bool
    denied: bool
    hedged: bool
    reported: bool
    claimed: bool
    negated: bool


def judge(state: str, found: StanceCues) -> tuple[str, str]:
    """State and stance from the prototype's state and the sentence's stance words: the future or a condition
    is speculative, a denial is a claim of the opposite, and a negation flips the state where the vocabulary has
    an opposite (else the stance is `negated`). One rule for English and the other languages."""
    if found.speculative and not found.denied:
        stance = "speculative"
    elif found.denied:
        stance = "claimed"
    elif found.hedged:
        stance = "hedged"
    elif found.reported:
        stance = "reported"
    elif found.claimed:
        stance = "claimed"
    else:
        stance = "asserted"
    if (found.denied or found.negated) and state not in SELF_NEGATED_STATES:
        flipped = OPPOSITE_STATE.get(state)
        if flipped:
            state = flipped
        else:
            stance = "negated"
    return state, stance


def _read(name: str) -> dict:
    return yaml.safe_load(resources.files("basewatch.text").joinpath("data", name).read_text("utf-8"))


@dataclass(frozen=True)
class ForeignReading:
    """What one sentence says, before sites and dates are attached."""

    state: str
    stance: str
    subjects: tuple[Subject, ...]
    speakers: tuple[Attribution, ...]
    similarity: float


def read_sentence(sentence: str, lang: str, equipment: list[Subject]) -> ForeignReading | None:
    """State, stance, subjects and speakers of one Russian or Arabic sentence; None if it makes no claim."""
    cues = language_cues().get(lang)
    if cues is None or cues.not_a_claim.search(sentence):
        return None
    found = prototype_bank(lang).nearest(sentence)
    if found is None:
        return None
    state, sim = found
    plain = cues.not_negation.sub(" ", sentence)
    state, stance = judge(state, StanceCues(
        speculative=bool(cues.speculative.search(plain)), denied=bool(cues.denial.search(sentence)),
        hedged=bool(cues.hedged.search(sentence)), reported=bool(cues.reported.search(sentence)),
        claimed=bool(cues.claimed.search(sentence)), negated=bool(cues.negation.search(plain))))
    subjects = list(equipment)
    if not subjects:
        for rx, cat in cues.subjects:
            m = rx.search(sentence)
            if m and (cat != "base" or state in BASE_STATES):
                subjects.append(Subject(m.group(0), None, cat))
                break
    if not subjects:
        if state in BASE_STATES:
            subjects = [Subject("Russian presence", None, "base")]
        elif state in FORCE_STATES:
            subjects = [Subject("Russian forces", None, "forces")]
        else:
            return None
    speakers: list[Attribution] = []
    if cues.speaker_verbs.search(sentence) or cues.reported.search(sentence):
        found = sorted((m.start(), name, kind) for rx, name, kind in cues.speakers for m in [rx.search(sentence)] if m)
        people = [(name, kind) for _, name, kind in found if kind not in ("imagery", "satellite_provider")]
        images = [(name, kind) for _, name, kind in found if kind in ("imagery", "satellite_provider")]
        named = None if people else _named_speaker(sentence, cues)
        if people:
            speakers.append(Attribution(*people[0]))
        elif named:
            speakers.append(named)
        if images:  # "по данным X, на снимках Maxar видно": X's own source follows X
            speakers.append(Attribution(*images[0]))
    if not speakers and stance == "reported":
        speakers.append(Attribution("unnamed reports", "anonymous"))
    return ForeignReading(state, stance, tuple(subjects), tuple(speakers), sim)


_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                      "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))
_NOT_NAMES = {"в", "во", "на", "по", "и", "а", "но", "это", "также", "уже", "ранее", "вчера", "сегодня"}


def transliterate(word: str) -> str:
    """Russian letters in Latin ones, as English-language reporting spells names: Пашинян -> Pashinyan."""
    out = "".join(_TRANSLIT.get(ch.lower(), ch) for ch in word)
    return out[:1].upper() + out[1:] if word[:1].isupper() else out


_LATIN_NAME = re.compile(r"(?<![\w-])(?:The\s+)?[A-Z][A-Za-z&.]+(?:\s+[A-Z][A-Za-z&.]+){0,3}(?![\w-])")


def _named_speaker(sentence: str, cues: LanguageCues) -> Attribution | None:
    """A speaker named by the sentence's own words and not in the language's list (a person, an outlet): after
    "по данным", "заявил"..., or a name in Latin letters (AFP, RFI, The New York Times) in a Russian sentence."""
    if cues.speaker_verbs.search(sentence):
        latin = [m.group(0) for m in _LATIN_NAME.finditer(sentence) if not any(ch.isdigit() for ch in m.group(0))]
        if latin:
            return Attribution(latin[0], "media")
    for rx in cues.speaker_phrases:
        m = rx.search(sentence)
        if not m:
            continue
        words = [w for w in re.split(r"\s+", m.group("who").strip()) if w and w.lower() not in _NOT_NAMES]
        if not words:
            continue
        name = " ".join(transliterate(w) if any("\u0400" <= ch <= "\u04ff" for ch in w) else w for w in words)
        return Attribution(name, "person")
    return None
