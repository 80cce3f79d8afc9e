"""The gazetteer stage: sites, equipment and generic subjects found in text, built from the catalog.

Every alias of every site and equipment type in the catalog (any script) becomes a pattern that tolerates the
variants texts use: "AN-124s", "An 124", "Il-76MD", "S400", "Su-34", NATO names, ship names with class words.
Site names that are not found exactly are matched fuzzily ("Hmeimeem"), but look-alike places that are not the
site ("Tartus governorate", "Tartu") are refused. User-added sites and types work because the catalog is the
workspace's.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from basewatch.catalog import Catalog, builtin_catalog, normalize

# Text variants the catalog does not list as aliases: (pattern text, type id, category).
EXTRA_EQUIPMENT: list[tuple[str, str | None, str]] = [
    ("S-400 Triumf", "s-400-tel", "air-defense"), ("S-400", "s-400-tel", "air-defense"),
    ("Triumf", "s-400-tel", "air-defense"), ("Big Bird", "91n6e", "air-defense.radar"),
    ("Ruslan", "an-124", "aircraft.transport.heavy"), ("Alligator", "ka-52", "aircraft.helicopter.attack"),
    ("Pantsir-S", "pantsir-s1", "air-defense.gun-missile"),
    # types texts name that the imagery catalog does not hold (no dimensions or planform there yet)
    ("Tu-95", None, "aircraft.combat.bomber"), ("Tu-95MS", None, "aircraft.combat.bomber"),
    ("Tu-160", None, "aircraft.combat.bomber"), ("Tu-22M3", None, "aircraft.combat.bomber"),
    ("Tu-22", None, "aircraft.combat.bomber"), ("Bear", None, "aircraft.combat.bomber"),
    ("Blackjack", None, "aircraft.combat.bomber"), ("Backfire", None, "aircraft.combat.bomber"),
    ("MiG-31", None, "aircraft.combat.fighter"), ("MiG-31K", None, "aircraft.combat.fighter"),
    ("Su-27", None, "aircraft.combat.fighter"), ("Su-57", None, "aircraft.combat.fighter"),
    ("A-50", None, "aircraft.special"), ("Il-78", None, "aircraft.transport.tanker"),
    ("Be-12", None, "aircraft.special"), ("Be-200", None, "aircraft.special"),
    ("Ту-95", None, "aircraft.combat.bomber"), ("Ту-95МС", None, "aircraft.combat.bomber"),
    ("Ту-160", None, "aircraft.combat.bomber"), ("Ту-22М3", None, "aircraft.combat.bomber"),
    ("МиГ-31", None, "aircraft.combat.fighter"), ("Су-27", None, "aircraft.combat.fighter"),
    ("Су-57", None, "aircraft.combat.fighter"), ("А-50", None, "aircraft.special"),
    ("Ил-78", None, "aircraft.transport.tanker"), ("Бе-12", None, "aircraft.special"),
]
# Generic subject words: (regex, category). Longer phrases first.
GENERIC_SUBJECTS: list[tuple[str, str]] = [
    (r"(?:heavy |large |military )?(?:cargo|transport) (?:planes?|aircraft|jets?|flights?)", "aircraft.transport"),
    (r"(?:strategic |long-range |heavy |nuclear-capable )?bombers?", "aircraft.combat.bomber"),
    (r"(?:fighter|combat|strike|attack) (?:jets?|aircraft|planes?)|fighters|warplanes|combat jets|jets",
     "aircraft.combat"),
    (r"(?:attack |transport )?helicopters?", "aircraft.helicopter"),
    (r"(?:passenger|civil(?:ian)?|airliner) (?:jet|aircraft|plane)s?|airliners?", "aircraft.civil"),
    (r"(?:russian )?(?:aircraft|planes|airplanes)", "aircraft"),
    (r"(?:radar|radars|radar system|radar vehicle)", "air-defense.radar"),
    (r"(?:other )?air[- ]defen[cs]e (?:systems?|assets|elements?|units?|positions?|batter(?:y|ies))|"
     r"air[- ]defen[cs]e|missile defen[cs]e systems?|air-defence systems?", "air-defense"),
    (r"(?:guided-missile )?frigates?", "ship.frigate"),
    (r"(?:russian )?(?:navy |naval )?(?:warships?|ships|vessels|combatants?|fleet)", "ship"),
    (r"(?:support ships?|supply ships?|oilers?|tankers?)", "ship.auxiliary"),
    (r"submarines?|subs?\b", "ship.submarine"),
    (r"(?:military |armou?red )?vehicles|convoy|trucks|heavy equipment|equipment", "vehicle"),
    (r"(?:russian )?(?:forces|troops|personnel|soldiers|military presence|presence|contingent|instructors|"
     r"servicemen|military police)", "forces"),
    (r"(?:new |aircraft |hardened )?(?:hangars?|shelters?|revetments?)|control tower|(?:ammunition |fuel |oil )?"
     r"depots?|radomes?|geodesic dome|runways?|taxiways?|infrastructure|warehouses?|barracks", "infrastructure"),
    (r"(?:(?:two |the |its |their )?(?:main |military |naval |air |russian )*(?:bases?|air base|naval base|"
     r"facility|logistics point))", "base"),
]
# Words after a site name that make it another place of the same name.
_NOT_SITE_AFTER = r"(?!\s+(?:governorate|province|countryside|city|region|district|University))"
_NOT_SITE_WORDS = {"tartu", "latakia", "jableh", "baniyas", "hama", "homs"}
_CLASS_WORDS = (r"(?:[\s\-]+(?:heavy|large|military|cargo|transport|attack|strike|combat|missile|air[- ]defen[cs]e|"
                r"defen[cs]e|anti-aircraft|radars?|systems?|aircraft|helicopters?|jets?|planes?|launchers?|"
                r"frigates?|class|submarines?|subs?|vehicles?|guided-missile|Ruslan|Alligator|\"[^\"\n]{1,20}\"))*")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    kind: str  # site | equipment | generic
    id: str | None
    category: str | None = None


_CYRILLIC_ENDING = "аяоеиыйьу"
_ARABIC_PREFIX = r"(?:[\u0648\u0641\u0628\u0644\u0643])?"  # و ف ب ل ك glued to the next word


def _is_cyrillic(word: str) -> bool:
    return bool(word) and all("\u0400" <= ch <= "\u04ff" for ch in word if ch.isalpha())


def _is_arabic(word: str) -> bool:
    return bool(word) and any("\u0600" <= ch <= "\u06ff" for ch in word)


def cyrillic_stem(word: str) -> str:
    """A Russian name without its case ending: Хмеймима, Хмеймиме -> хмеймим; Саки, Саках -> сак."""
    w = word.lower()
    for ending in ("ами", "ах", "ом", "ой", "ою", "ей", "ам", "ов"):
        if len(w) - len(ending) >= 4 and w.endswith(ending):
            return w[:-len(ending)]
    return w[:-1] if len(w) >= 4 and w[-1] in _CYRILLIC_ENDING else w


def _alias_pattern(alias: str) -> str:
    parts = [p for p in re.split(r"[\s\-\u2010\u2011]+", alias.strip()) if p]
    has_digit = any(ch.isdigit() for ch in alias)
    sep = r"[\s\-\u2010\u2011]?" if has_digit else r"[\s\-]+"
    if not has_digit and parts and _is_cyrillic(alias) and len(cyrillic_stem(parts[-1])) >= 3:
        # Russian names decline: "на базе Хмеймим", "с аэродрома Энгельса", "в Тартусе"
        parts[-1] = cyrillic_stem(parts[-1])
        return sep.join(re.escape(p) for p in parts[:-1]) + (sep if len(parts) > 1 else "") + \
            re.escape(parts[-1]) + r"[а-яё]{0,3}"
    body = sep.join(re.escape(p) for p in parts)
    if has_digit:
        body += r"(?-i:[A-ZА-Я]{0,4})"
    if _is_arabic(alias):
        body = _ARABIC_PREFIX + body
    return body


class TextGazetteer:
    """Finds site and subject mentions in text for one catalog."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.site_names = catalog.site_names
        self.equipment_names = catalog.equipment_names
        site_alts, eq_alts = [], []
        self._eq_extra: dict[str, tuple[str | None, str]] = {}
        self._extra_site_names: dict[str, str] = {}
        for s in catalog.sites.values():
            for name in {s.name, s.id, *s.aliases}:
                if len(normalize(name)) >= 3:
                    site_alts.append(name)
                if name.lower().startswith("russian ") and len(name.split()) >= 4:
                    # "the air base near Latakia" names the place as well as "Russian air base near Latakia"
                    site_alts.append(name[8:])
                    self._extra_site_names[normalize(name[8:])] = s.id
        for e in catalog.equipment.values():
            for name in {e.id, e.name, e.nato_name, e.icao, *e.aliases}:
                if name and len(normalize(name)) >= 2:
                    eq_alts.append(name)
        for text, type_id, cat in EXTRA_EQUIPMENT:
            if type_id is None or type_id in catalog.equipment:
                eq_alts.append(text)
                self._eq_extra[normalize(text)] = (type_id, cat)
        self._site_rx = re.compile(
            r"(?<![\w\-])(?:" + "|".join(_alias_pattern(a) for a in sorted(set(site_alts), key=len, reverse=True))
            + r")(?:'s|\u2019s)?(?!\w)" + _NOT_SITE_AFTER, re.I)
        eq_parts = []
        for a in sorted(set(eq_alts), key=len, reverse=True):
            pat = _alias_pattern(a)
            if not any(ch.isdigit() for ch in a) and a[:1].isupper() and " " not in a.strip():
                pat = f"(?-i:{pat})"  # NATO and ship names are capitalised; "curl", "hip", "kilo" are words
            eq_parts.append(pat)
        self._eq_rx = re.compile(r"(?<![\w\-])(?:" + "|".join(eq_parts) + r")(?:s|es|'s)?(?!\w)" + _CLASS_WORDS,
                                 re.I)
        self._generic_rx = [(re.compile(r"(?<![\w\-])(?:" + rx + r")(?!\w)", re.I), cat)
                            for rx, cat in GENERIC_SUBJECTS]
        self._declined = {_declined_key(a): s.id for s in catalog.sites.values() for a in (s.name, *s.aliases)
                          if _is_cyrillic(a) or _is_arabic(a)}
        self._fuzzy_keys = {normalize(a): s.id for s in catalog.sites.values() for a in (s.name, *s.aliases)
                            if " " not in a.strip() and len(normalize(a)) >= 6}

    # -- sites --------------------------------------------------------------------------------------------
    def sites(self, text: str) -> list[Mention]:
        out = []
        for m in self._site_rx.finditer(text):
            raw = re.sub(r"(?:'s|\u2019s)$", "", m.group(0))
            site_id = self.site_names.resolve(raw) or self._extra_site_names.get(normalize(raw)) or \
                self._declined.get(_declined_key(raw))
            if site_id:
                out.append(Mention(m.start(), m.start() + len(raw), raw, "site", site_id))
        covered = [(m.start, m.end) for m in out]
        for m in re.finditer(r"\b[A-Z\u0400-\u04FF][\w\u0400-\u04FF\-]{5,}\b", text):
            if any(s <= m.start() < e for s, e in covered):
                continue
            if self.site_names.resolve(m.group(0)) or re.match(_NOT_SITE_AFTER.replace("(?!", "(?=", 1),
                                                               text[m.end():], re.I):
                continue  # an exact name the first pass refused ("Tartus governorate") stays refused
            site_id = self._fuzzy_site(m.group(0))
            if site_id:
                out.append(Mention(m.start(), m.end(), m.group(0), "site", site_id))
        return sorted(out, key=lambda x: x.start)

    @lru_cache(maxsize=4096)  # noqa: B019 - one gazetteer per catalog, kept for the process
    def _fuzzy_site(self, word: str) -> str | None:
        key = normalize(word)
        if key in _NOT_SITE_WORDS or len(key) < 6:
            return None
        best, best_ratio = None, 0.0
        for cand, site_id in self._fuzzy_keys.items():
            if abs(len(cand) - len(key)) > 2:
                continue
            r = difflib.SequenceMatcher(None, key, cand).ratio()
            if r > best_ratio:
                best, best_ratio = site_id, r
        return best if best_ratio >= 0.8 else None

    # -- subjects -----------------------------------------------------------------------------------------
    def subjects(self, text: str) -> list[Mention]:
        out: list[Mention] = []
        for m in self._eq_rx.finditer(text):
            core = m.group(0)
            type_id, cat = self._resolve_equipment(core)
            if type_id is None and cat is None:
                continue
            out.append(Mention(m.start(), m.end(), core.strip(), "equipment", type_id, cat))
        taken = [(m.start, m.end) for m in out]
        for rx, cat in self._generic_rx:
            for m in rx.finditer(text):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                out.append(Mention(m.start(), m.end(), m.group(0), "generic", None, cat))
                taken.append((m.start(), m.end()))
        return sorted(out, key=lambda x: x.start)

    def _resolve_equipment(self, surface: str) -> tuple[str | None, str | None]:
        words = re.split(r"(?<=\S)(?=[\s\-]+(?:heavy|large|military|cargo|transport|attack|strike|combat|missile|"
                         r"air|defen|anti|radar|system|aircraft|helicopter|jet|plane|launcher|frigate|class|"
                         r"submarine|sub|vehicle|guided|Ruslan|Alligator|\"))", surface, flags=re.I)
        head = words[0] if words else surface
        tokens = re.split(r"\s+", surface)
        prefixes = [" ".join(tokens[:i]) for i in range(len(tokens) - 1, 0, -1)]
        for cand in (surface, *prefixes, head, re.sub(r"(?:'s|es|s)$", "", head)):
            key = normalize(cand)
            if key in self._eq_extra:
                return self._eq_extra[key]
            type_id = self.equipment_names.resolve(cand)
            if type_id:
                eq = self.catalog.equipment[type_id]
                cat = eq.category
                if re.search(r"radar", surface, re.I) and not cat.endswith("radar"):
                    cat = "air-defense.radar"
                    type_id = None if eq.category.startswith("air-defense.launcher") else type_id
                return type_id, cat
        return None, None


def _declined_key(name: str) -> str:
    """The key a declined Russian name or an Arabic name with a glued preposition shares with its alias."""
    words = name.lower().split()
    if words and _is_cyrillic(name):
        words[-1] = cyrillic_stem(words[-1])
    elif words and _is_arabic(name) and words[0][:1] in "\u0648\u0641\u0628\u0644\u0643" and len(words[0]) > 4:
        words[0] = words[0][1:]
    return " ".join(words)


@lru_cache(maxsize=8)
def _cached(catalog_key: int) -> TextGazetteer:  # pragma: no cover - trivial
    return TextGazetteer(builtin_catalog())


def gazetteer_for(catalog: Catalog | None) -> TextGazetteer:
    """A gazetteer for `catalog` (the built-in one when None); built once per catalog object."""
    catalog = catalog or builtin_catalog()
    key = id(catalog)
    cached = _BY_ID.get(key)
    if cached is None or cached.catalog is not catalog:
        cached = TextGazetteer(catalog)
        _BY_ID[key] = cached
        if len(_BY_ID) > 16:
            _BY_ID.pop(next(iter(_BY_ID)))
    return cached


_BY_ID: dict[int, TextGazetteer] = {}
