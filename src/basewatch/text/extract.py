"""The claim extractor: sentences -> clauses -> (site, subject, state, stance, time, attribution, quote).

English sentences go through the cue rules below; a sentence about a site that no cue reads, and every Russian
or Arabic sentence, takes the state of its nearest prototypes (`crosslingual`, data/prototypes.yaml: MiniLM
for English, multilingual-e5 for the rest), with stance from the language's word lists. Measured on the
development round `dev` (bench/bench_claims.py), the rules alone found 0.21 of the English core claims, rules
and prototypes 0.78; on the last blind round 0.86.

Per clause, the earliest strong state cue wins (a presence cue only when no strong one is there, a bare noun like
"withdrawal" only when nothing else is and the clause is not speculative). Negated cues become the opposite
state (not visible -> ABSENT, not leaving -> NOT_WITHDRAWING) or the `negated` stance; clauses that only ask
("whether") or decline to say make no claim. Context flows forward inside a segment: the last site named, the
last imagery cited (with its date and provider) and the last subject (for "they").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from basewatch.catalog import Catalog, builtin_catalog
from basewatch.model import day_of
from basewatch.text import crosslingual, cues
from basewatch.text.dates import DateMention, find_dates
from basewatch.text.gazetteer import Mention, TextGazetteer, gazetteer_for
from basewatch.text.language import language_of
from basewatch.text.model import Attribution, EventTime, ExtractedClaim, Segment, Subject, TextDocument
from basewatch.text.nlp import sentences
from basewatch.text.posts import SIGNATURE
from basewatch.text.vocabulary import BASE_STATES, FORCE_STATES, OPPOSITE_STATE

_COMPARISON = re.compile(r"\b(?:unlike|like|than|compared (?:with|to)|as (?:at|in))\s+(?:[\w\-]+\s+){0,4}$", re.I)
_AIR_WORDS = re.compile(r"\b(?:air ?base|airfield|airport|runway|apron|hangars?)\b", re.I)
_SEA_WORDS = re.compile(r"\b(?:naval base|port|harbou?r|piers?|quay|berths?)\b", re.I)
_PRONOUN = re.compile(r"\b(?:they|them|it|these|those|the ships|the vessels|the aircraft)\b", re.I)


@dataclass
class _Visual:
    attribution: Attribution
    time: EventTime | None
    site: str | None = None


@dataclass
class _Context:
    site: str | None = None
    visual: _Visual | None = None
    subject: list[Subject] = field(default_factory=list)
    speakers: list[Attribution] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    when: EventTime | None = None  # the last day a post named: its later sentences tell of the same night


@dataclass
class _Clause:
    start: int
    end: int
    text: str


class Extractor:
    """Extracts claims for one catalog; reuse it across documents (the gazetteer is built once)."""

    def __init__(self, catalog: Catalog | None = None):
        self.catalog = catalog or builtin_catalog()
        self.gaz: TextGazetteer = gazetteer_for(self.catalog)
        countries = self.catalog.host_country_names()
        self.cues = [*cues.STATE_CUES, *cues.country_cues(countries)]
        self.country_level = cues.country_level(countries)

    # -- attribution helpers ------------------------------------------------------------------------------
    def speaker_kind(self, phrase: str) -> str:
        for word in re.findall(r"[A-Z][\w\u0400-\u04FF]+(?:\s+[A-Z][\w]+){0,2}", phrase):
            src_id = self.catalog.source_names.resolve(word)
            if src_id:
                src = self.catalog.sources[src_id]
                return cues.SOURCE_KIND.get(src.kind, "media")
        for rx, kind in cues.SPEAKER_KINDS:
            if rx.search(phrase):
                return kind
        return "person"

    def root(self, segment: Segment, outlet: str | None, doc_kind: str | None) -> Attribution:
        if segment.kind in ("embedded_post", "post") and segment.speaker:
            kind = "person"
            if outlet and segment.kind == "post":
                kind = self.speaker_kind(outlet) if outlet else "person"
            return Attribution(segment.speaker, kind if kind != "media" else "person")
        if outlet:
            kind = self.speaker_kind(outlet)
            if doc_kind == "statement" and kind not in ("official",):
                kind = "official"
            return Attribution(outlet, kind if kind in ("official", "analyst", "think_tank", "satellite_provider")
                               else "media" if doc_kind != "post" else "person")
        return Attribution({"post": "post", "statement": "statement"}.get(doc_kind or "", "article"),
                           "official" if doc_kind == "statement" else "media")

    def _is_outlet(self, phrase: str, outlet: str | None) -> bool:
        if not outlet:
            return False
        a, b = self.catalog.source_names.resolve(phrase), self.catalog.source_names.resolve(outlet)
        if a and a == b:
            return True
        p = re.sub(r"^(?:the)\s+", "", phrase.strip(), flags=re.I).lower()
        return bool(p) and (p in outlet.lower() or outlet.lower() in p)

    def sentence_speakers(self, sent: str, outlet: str | None, previous: list[Attribution] | None = None
                          ) -> list[Attribution]:
        out: list[Attribution] = []
        for rx in (cues.IMAGERY_BY, cues.ACCORDING, cues.SPEAKER_BEFORE, cues.SPEAKER_AFTER):
            for m in rx.finditer(sent):
                who = _clean_speaker(m.group("who"))
                if who and (who.lower() in ("they", "he", "she") or cues.BACK_REFERENCE.match(who)) and previous:
                    return list(previous)  # "They stressed", "the think tank said": the speakers named before
                if not who or self._is_outlet(who, outlet) or who.lower() in _NOT_SPEAKERS or \
                        who.split()[0].lower() in _PRONOUNS or self.gaz.sites(who):
                    continue
                kind = self.speaker_kind(who)
                if kind == "person" and not re.search(r"[A-Z]", who):
                    continue  # a lower-case phrase that is not a known kind of speaker is no speaker
                out.append(Attribution(who, kind))
                break
            if out:
                break
        if not out and cues.UNNAMED_REPORTS.search(sent):
            out.append(Attribution("unnamed reports", "anonymous"))
        return out

    def visual(self, sent: str, dates: list[DateMention]) -> _Visual | None:
        m = cues.VISUAL.search(sent)
        if not m:
            return None
        what = m.group("what").lower()
        if what in ("maxar", "planet", "airbus", "blacksky", "pleiades"):
            what = "satellite imagery"
        satellite = "satellite" in what or "pass" in what or what.startswith(("image", "imagery"))
        label = "satellite imagery" if satellite else "drone footage" if "drone" in what or "footage" in what \
            else "video"
        provider = None
        for src in self.catalog.sources.values():
            if src.kind != "imagery_provider":
                continue
            for name in (src.name, *src.aliases):
                if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", sent):
                    provider = src.name
                    break
            if provider:
                break
        if provider is None:
            sm = cues.SHARED_BY.search(sent)
            if sm:
                provider = sm.group("who")
        near = [d for d in dates if -80 < d.start - m.end() < 80]
        when = _pick_date(near, m.end())
        if provider:
            kind = "satellite_provider" if satellite and self.speaker_kind(provider) == "satellite_provider" \
                else "imagery"
            return _Visual(Attribution(f"{provider} ({label})", kind), when)
        name = {"satellite imagery": "satellite images", "drone footage": "drone footage"}.get(label, what)
        if "drone video" in what:
            name = "drone video"
        return _Visual(Attribution(name, "imagery"), when)

    # -- the pipeline -------------------------------------------------------------------------------------
    def extract(self, doc: TextDocument, *, published: date | None = None, outlet: str | None = None,
                kind: str | None = None, site: str | None = None) -> list[ExtractedClaim]:
        """Claims of `doc`; `site` is the site the evidence is filed under (the context before any mention)."""
        text = doc.text
        if site is None and not self.gaz.sites(text) and not (doc.title and self.gaz.sites(doc.title)):
            return []  # a text about none of the watched sites makes no claims
        published = published or doc.published
        outlet = outlet or doc.outlet
        work = _mask(text)
        segments = doc.segments or [Segment(0, len(text))]
        claims: list[ExtractedClaim] = []
        title_sites = self.gaz.sites(doc.title) if doc.title else []
        ctx_site = title_sites[-1].id if title_sites else site
        for si, seg in enumerate(segments):
            seg_pub = seg.published or published
            ctx = _Context(site=ctx_site)
            root = self.root(seg, outlet, kind)
            paras = _paragraphs(work, seg.start, seg.end)
            if si == 0 and seg.kind == "body" and kind != "post" and len(paras) > 1 and \
                    _is_headline(work[paras[0][0]:paras[0][1]]) and len(work[paras[1][0]:paras[1][1]].split()) >= 8:
                # a headline repeats the body in telegraph style: it gives the context site, not claims
                heads = self.gaz.sites(work[paras[0][0]:paras[0][1]])
                ctx.site = heads[-1].id if heads else ctx.site
                paras = paras[1:]
            sent_spans = sentences([work[s:e] for s, e in paras])
            for (p_start, _), spans in zip(paras, sent_spans, strict=True):
                for i, (s, e) in enumerate(spans):
                    a, b = p_start + s, p_start + e
                    claims.extend(self._sentence(text, work, a, b, ctx, root, seg, si, seg_pub, outlet,
                                                 first_in_para=i == 0))
            ctx_site = ctx.site
        return claims

    def _sentence(self, text: str, work: str, a: int, b: int, ctx: _Context, root: Attribution, seg: Segment,
                  si: int, published: date | None, outlet: str | None, *, first_in_para: bool) -> list[ExtractedClaim]:
        sent = work[a:b]
        lang = language_of(sent)
        if lang in ("ru", "ar"):
            return self._foreign_sentence(text, work, a, b, ctx, root, seg, si, published, lang)
        site_mentions = [x for x in self.gaz.sites(sent) if not _COMPARISON.search(sent[max(0, x.start - 40):x.start])]
        subj_mentions = [m for m in self.gaz.subjects(sent)
                         if not any(sm.start < m.end and m.start < sm.end for sm in site_mentions)]
        dates = find_dates(sent, published)
        visual = self.visual(sent, dates)
        if visual is not None and ctx.visual is not None and visual.time is None and \
                visual.attribution.kind == "imagery" and _anaphoric_visual(sent):
            visual = ctx.visual  # "The images also reveal...": the imagery cited before
        if visual is not None:
            if visual.site is None:
                visual.site = site_mentions[-1].id if site_mentions else ctx.site
            ctx.visual = visual
        elif ctx.visual is not None and site_mentions and ctx.visual.site not in {x.id for x in site_mentions}:
            ctx.visual = None  # another place: the imagery cited before is not about it
        speakers = self.sentence_speakers(sent, outlet, ctx.speakers)
        if speakers:
            ctx.speakers = speakers
        visual_at = cues.VISUAL.search(sent)
        out: list[ExtractedClaim] = []
        last_site = site_mentions[-1].id if site_mentions else None
        for sm in site_mentions:
            if sm.id in ctx.seen:
                ctx.seen.remove(sm.id)
            ctx.seen.append(sm.id)
        for clause in [part for c in _clauses(sent) for part in _split_multi(c, subj_mentions)]:
            if cues.NOT_A_CLAIM.search(clause.text):
                continue
            conditional = False
            if cues.CONDITION.search(clause.text):
                comma = clause.text.find(", ")
                if comma < 0:
                    continue  # only the condition ("If talks fail"): no claim
                clause = _Clause(clause.start + comma + 2, clause.end, clause.text[comma + 2:])
                conditional = True
            found = _pick_cue(clause.text, self.cues)
            if found is None:
                continue
            cue, m = found
            state, stance = self._state_and_stance(cue, m, clause.text, sent)
            if state is None:
                continue
            if conditional and stance != "negated":
                stance = "speculative"
            subjects = self._subjects(clause, m, subj_mentions, ctx, state)
            if not subjects:
                continue
            # sites: the clause's, else one named earlier in the sentence, else the context
            c_sites = [sm for sm in site_mentions if clause.start <= sm.start < clause.end]
            site_ids = list(dict.fromkeys(sm.id for sm in c_sites))
            if not site_ids and cues.OTHER_PLACE.search(clause.text) and not _names_site(clause.text, self):
                continue  # "the Hama air base": a claim about another place
            if not site_ids:
                earlier = [sm.id for sm in site_mentions if sm.start < clause.start]
                if earlier:
                    site_ids = [earlier[-1]]
                elif ctx.site is None:
                    site_ids = list(dict.fromkeys(sm.id for sm in site_mentions))
            if not site_ids:
                site_ids = [None] if self.country_level.search(clause.text) else \
                    [self._context_site(ctx, subjects, clause.text)]
            # attribution and time
            chain = [root]
            visual_used = None
            own_visual = visual is not None and visual_at is not None and not _contrast_between(
                sent, visual_at.start(), clause)
            carried = visual_at is None or own_visual
            if speakers:
                chain.extend(speakers)
                if visual is not None and visual_at is not None and speakers[-1].kind not in ("imagery",
                                                                                           "satellite_provider") \
                        and not (_tokens(visual.attribution.name) & _tokens(speakers[-1].name)):
                    chain.append(visual.attribution)  # "X said ..., citing Maxar images": X's own source
                    visual_used = visual if state in cues.OBSERVABLE_STATES else None
            elif carried and ctx.visual is not None and state in cues.OBSERVABLE_STATES:
                visual_used = ctx.visual
                chain.append(ctx.visual.attribution)
            clause_dates = [d for d in dates if clause.start <= d.start < clause.end] or \
                [d for d in dates if d.end <= clause.start]
            when = _pick_date(clause_dates, clause.start)
            if when is None and visual_used is None and visual is not None and visual_at is not None \
                    and own_visual and state in cues.OBSERVABLE_STATES:
                visual_used = visual
            if when is None and visual_used is not None:
                when = visual_used.time
            when = when or _post_day(seg, state, stance)
            q0, q1 = _whole_words(text, a, b)
            if all(x.category == "base" for x in subjects):
                subjects = subjects[:1]
            for sid in site_ids:
                for subj in subjects:
                    out.append(ExtractedClaim(site=sid, subject=subj, state=state, stance=stance, event_time=when,
                                     attribution=tuple(_dedupe_chain(chain)), quote_start=q0, quote_end=q1,
                                     quote=text[q0:q1], cue=m.group(0), segment=si,
                                     confidence=_confidence(cue.strength, stance)))
            ctx.subject = subjects
        if not out and (site_mentions or any(x.category != "base" for x in subj_mentions)) and \
                (site_mentions or ctx.site) and not cues.NOT_A_CLAIM.search(sent):
            out = self._prototype_claims(text, sent, a, b, ctx, root, seg, si, site_mentions, subj_mentions,
                                         speakers, visual, dates)
        if last_site:
            ctx.site = last_site
        return out

    def _prototype_claims(self, text: str, sent: str, a: int, b: int, ctx: _Context, root: Attribution,
                          seg: Segment, si: int, site_mentions: list[Mention], subj_mentions: list[Mention],
                          speakers: list[Attribution], visual: _Visual | None,
                          dates: list[DateMention]) -> list[ExtractedClaim]:
        """A sentence about a site that no cue reads: the state of its nearest prototype (as for Russian), the
        stance from the English cue words."""
        found = crosslingual.prototype_bank("en").nearest(sent)
        if found is None:
            return []
        state, sim = found
        state, stance = crosslingual.judge(state, crosslingual.StanceCues(
            speculative=bool(cues.SPECULATIVE.search(sent)), denied=bool(cues.DENIAL.search(sent)),
            hedged=bool(cues.HEDGED.search(sent)), reported=bool(cues.REPORTED.search(sent)),
            claimed=bool(cues.CLAIMED.search(sent)), negated=bool(cues.NEGATION.search(sent))))
        picked = [x for x in subj_mentions if x.category != "base"]
        typed = [x for x in picked if x.id]  # "two Su-27 fighters": one subject, not two
        picked = [x for x in picked if x.id or not any((t.category or "").startswith(x.category or "~") for t in typed)]
        carried = list(ctx.subject) if _PRONOUN.search(sent) else []  # "they", "the aircraft": the last subject
        subjects = [Subject(x.text, x.id, x.category) for x in picked] or \
            ([Subject("Russian presence", None, "base")] if state in BASE_STATES else
             [Subject("Russian forces", None, "forces")] if state in FORCE_STATES else carried)
        if not subjects:
            return []
        site_ids = list(dict.fromkeys(x.id for x in site_mentions)) or [self._context_site(ctx, subjects, sent)]
        chain = [root, *speakers]
        when = _pick_date(dates, 0)
        if not speakers and ctx.visual is not None and state in cues.OBSERVABLE_STATES:
            chain.append((visual or ctx.visual).attribution)
            when = when or (visual or ctx.visual).time
        when = when or _post_day(seg, state, stance)
        q0, q1 = _whole_words(text, a, b)
        ctx.subject = subjects
        return [ExtractedClaim(site=sid, subject=subj, state=state, stance=stance, event_time=when,
                               attribution=tuple(_dedupe_chain(chain)), quote_start=q0, quote_end=q1,
                               quote=text[q0:q1], cue="prototype", segment=si, confidence=round(0.5 * sim, 2))
                for sid in site_ids for subj in subjects]

    def _foreign_sentence(self, text: str, work: str, a: int, b: int, ctx: _Context, root: Attribution,
                          seg: Segment, si: int, published: date | None, lang: str) -> list[ExtractedClaim]:
        """A Russian or Arabic sentence, read by `crosslingual` (one state per sentence)."""
        sent = work[a:b]
        site_ids = list(dict.fromkeys(m.id for m in self.gaz.sites(sent)))
        equipment = [Subject(m.text, m.id, m.category) for m in self.gaz.subjects(sent) if m.kind == "equipment"]
        reading = crosslingual.read_sentence(sent, lang, equipment) if site_ids or ctx.site else None
        out: list[ExtractedClaim] = []
        own_when = _pick_date(find_dates(sent, published), 0)
        if own_when is not None and own_when.precision == "day":
            ctx.when = own_when
        if reading is not None:
            when = own_when or (ctx.when if seg.kind in ("embedded_post", "post") and
                                reading.stance != "speculative" and reading.state not in BASE_STATES
                                else None)
            when = when or _post_day(seg, reading.state, reading.stance)
            chain = tuple(_dedupe_chain([root, *reading.speakers]))
            q0, q1 = _whole_words(text, a, b)
            subjects = list({(s.type, s.category): s for s in reading.subjects}.values())
            for sid in site_ids or [ctx.site]:
                for subj in subjects:
                    out.append(ExtractedClaim(site=sid, subject=subj, state=reading.state, stance=reading.stance,
                                              event_time=when, attribution=chain, quote_start=q0, quote_end=q1,
                                              quote=text[q0:q1], cue=lang, segment=si,
                                              confidence=round(0.6 * reading.similarity, 2)))
            ctx.subject = subjects
        if site_ids:
            ctx.site = site_ids[-1]
        return out

    def _context_site(self, ctx: _Context, subjects: list[Subject], clause: str = "") -> str | None:
        """The site in context; for aircraft an air base, for ships a naval base, if one was named before."""
        want = None
        cats = {(x.category or "").split(".")[0] for x in subjects}
        if cats == {"aircraft"} or (clause and _AIR_WORDS.search(clause)):
            want = "air_base"
        elif cats == {"ship"} or (clause and _SEA_WORDS.search(clause)):
            want = "naval_base"
        site = ctx.site
        if want and site in self.catalog.sites and self.catalog.sites[site].kind != want:
            for sid in reversed(ctx.seen):
                if sid in self.catalog.sites and self.catalog.sites[sid].kind == want:
                    return sid
        return site

    def _state_and_stance(self, cue: cues.StateCue, m: re.Match[str], clause: str, sent: str
                          ) -> tuple[str | None, str]:
        before = clause[:m.start()]
        state = cue.state
        negated = False
        if cue.negatable:
            window = " ".join(re.split(r"[,;:]", before)[-1].split()[-5:])
            inner = m.group(0) if state != "NOT_WITHDRAWING" else ""
            if cues.NEGATION.search(window) or cues.NEGATION.search(inner):
                negated = True
        spec_window = " ".join(before.split()[-8:])
        if cues.SPECULATIVE.search(spec_window) or re.search(r"\bwill\b|\bwould\b", m.group(0), re.I):
            stance = "speculative"
        elif cues.CLAIMED.search(clause) or cues.CLAIMED.search(sent[:max(0, sent.find(clause))]):
            stance = "claimed"
        elif cues.HEDGED.search(clause) or cues.HEDGED.search(sent[:max(0, sent.find(clause))]):
            stance = "hedged"
        elif cues.REPORTED.search(sent):
            stance = "reported"
        else:
            stance = "asserted"
        if cue.strength == cues.WEAK and (stance == "speculative" or cues.SPECULATIVE.search(clause)):
            return None, stance
        at = sent.find(clause)
        denial = cues.DENIAL.search(sent[:max(0, at) + m.start()])
        if denial and state in OPPOSITE_STATE and not negated:
            return OPPOSITE_STATE[state], "claimed"
        if denial and not negated:
            return state, "negated"
        if negated:
            if state in OPPOSITE_STATE:
                state = OPPOSITE_STATE[state]
            else:
                stance = "negated"
        return state, stance

    def _subjects(self, clause: _Clause, m: re.Match[str], mentions: list[Mention], ctx: _Context,
                  state: str) -> list[Subject]:
        in_clause = [x for x in mentions if clause.start <= x.start < clause.end]
        cue_at = clause.start + m.start()
        before = [x for x in in_clause if x.end <= cue_at + 1]
        after = [x for x in in_clause if x.start >= cue_at]
        picked = [x for x in before if x.category != "base"] or \
            ([after[0]] if after and after[0].category != "base" else []) or \
            [x for x in before if x.category == "base"]
        if not picked and _PRONOUN.search(clause.text[:m.start()]) and ctx.subject:
            return list(ctx.subject)
        if not picked:
            if state in BASE_STATES:
                return [Subject("Russian presence", None, "base")]
            if state in FORCE_STATES:
                return [Subject("Russian forces", None, "forces")]
            if state == "ABSENT" and re.search(r"\b(?:piers?|quay|alongside|harbou?r|berths?)\b", clause.text, re.I):
                return [Subject("warships", None, "ship")]
            if ctx.subject and state in cues.OBSERVABLE_STATES:
                return list(ctx.subject)
            return []
        typed = [x for x in picked if x.id]
        if typed:  # "Il-76 and other transport planes": the generic words name the same things
            picked = [x for x in picked if x.id or not any((t.category or "").startswith(x.category or "~")
                                                           for t in typed)]
        out, seen = [], set()
        for x in picked:
            key = (x.id, x.category, x.text.lower())
            if key not in seen:
                seen.add(key)
                out.append(Subject(x.text, x.id, x.category))
        return out


_PRONOUNS = {"it", "he", "she", "they", "we", "i", "this", "that", "which", "who", "there", "what", "these",
             "those", "you"}
_NOT_SPEAKERS = {"it", "he", "she", "they", "we", "i", "this", "that", "which", "who", "the images", "images"}


def _post_day(seg: Segment, state: str, stance: str) -> EventTime | None:
    """A post that asserts what it sees ("the S-400 is leaving") speaks of its own day; a hedge, a rumour, a
    plan or the site's status in general is not dated by the post."""
    if seg.kind not in ("embedded_post", "post") or seg.published is None or stance != "asserted" or \
            state in BASE_STATES:
        return None
    return EventTime(seg.published, seg.published, "day")


def _is_headline(para: str) -> bool:
    """A first paragraph of one line, without a sentence's closing punctuation and short: the title."""
    line = para.strip()
    return "\n" not in line and 3 <= len(line.split()) <= 20 and not re.search(r"[.!?\u2026][\"'\u201d\u00bb)]*$", line)


def _whole_words(text: str, a: int, b: int) -> tuple[int, int]:
    """The span widened to whole words: a quote never starts or ends inside a word."""
    while a > 0 and text[a - 1].isalnum() and text[a].isalnum():
        a -= 1
    while b < len(text) and text[b - 1].isalnum() and text[b].isalnum():
        b += 1
    return a, b


def _anaphoric_visual(sent: str) -> bool:
    m = cues.VISUAL.search(sent)
    return bool(m) and re.search(r"\b(?:the|these|those|this)\s+(?:satellite\s+|drone\s+)?$", sent[:m.start()],
                                 re.I) is not None


def _clean_speaker(who: str) -> str:
    who = re.sub(r"^(?:and|but|so|also|however|meanwhile)\s+", "", who.strip(), flags=re.I)
    # "TASS quoted the ministry as saying", "an official cited by the Wall Street Journal": the original speaker
    who = re.sub(r"\s+(?:cited|quoted) by\b.*$|\s+as saying$|\s+told\s+\S+(?:\s+\S+)?$", "", who, flags=re.I)
    who = re.sub(r"^.*?\b(?:quoted|cited)\s+(?!by\b)(?=\S)", "", who, flags=re.I)
    who = re.sub(r"\s+(?:also|later|earlier|previously|still|have|has|had|and|but)$", "", who, flags=re.I)
    return who.strip(" ,\"\u201c\u201d")


def _dedupe_chain(chain: list[Attribution]) -> list[Attribution]:
    out: list[Attribution] = []
    for a in chain:
        if a and (not out or out[-1].name.lower() != a.name.lower()):
            out.append(a)
    return out


def _confidence(strength: int, stance: str) -> float:
    base = {cues.STRONG: 0.7, cues.PRESENCE: 0.6, cues.WEAK: 0.4}[strength]
    return round(base * {"asserted": 1.0, "reported": 0.85, "hedged": 0.8, "claimed": 0.8, "negated": 0.9,
                         "speculative": 0.5}[stance], 2)


def _pick_cue(clause: str, state_cues: list[cues.StateCue]) -> tuple[cues.StateCue, re.Match[str]] | None:
    best: tuple[int, int, int, cues.StateCue, re.Match[str]] | None = None
    for cue in state_cues:
        m = cue.rx.search(clause)
        if m is None:
            continue
        key = (-cue.strength, m.start(), -(m.end() - m.start()))
        if best is None or key < best[:3]:
            best = (*key, cue, m)
    return (best[3], best[4]) if best else None


def _pick_date(dates: list[DateMention], near: int) -> EventTime | None:
    if not dates:
        return None
    explicit = [d for d in dates if d.explicit]
    pool = explicit or dates
    return min(pool, key=lambda d: abs(d.start - near)).time


def _split_multi(clause: _Clause, mentions: list[Mention]) -> list[_Clause]:
    """Split a clause that holds two cues of different states at the comma or "and" between them, when the
    second part names its own subject ("Piers still empty, the frigates still offshore"; "X were not dismantled,
    and an Il-76 was seen"); "packed up the radar and it was parked" stays whole."""
    hits = []
    for cue in cues.STATE_CUES:
        if cue.strength == cues.WEAK:
            continue
        for m in cue.rx.finditer(clause.text):
            hits.append((m.start(), m.end(), cue.state, cue.strength))
    hits.sort()
    for (_, e1, st1, _), (s2, _, st2, k2) in zip(hits, hits[1:], strict=False):
        if st1 == st2 or s2 < e1:
            continue
        seps = list(re.finditer(r",\s+|\s+and\s+", clause.text[e1:s2]))
        if seps:
            cut, nxt = e1 + seps[-1].start(), e1 + seps[-1].end()
            own = [x for x in mentions if clause.start + nxt <= x.start < clause.start + s2]
            if k2 == cues.PRESENCE and not own:
                continue
            first = _Clause(clause.start, clause.start + cut, clause.text[:cut])
            rest = _Clause(clause.start + nxt, clause.end, clause.text[nxt:])
            return [first, *_split_multi(rest, mentions)]
    return [clause]


_CONTRAST = re.compile(r",?\s+(?:but|although|unlike)\s+|;\s+", re.I)


def _contrast_between(sent: str, pos: int, clause: _Clause) -> bool:
    """Whether a "but"/"while" boundary separates position `pos` from the clause."""
    if clause.start <= pos < clause.end:
        return False
    lo, hi = (pos, clause.start) if pos < clause.start else (clause.end, pos)
    return any(lo <= m.start() < hi for m in _CONTRAST.finditer(sent))


def _tokens(name: str) -> set[str]:
    return {t for t in re.findall(r"[a-z]+", name.lower()) if len(t) > 3}


def _names_site(text: str, ex: Extractor) -> bool:
    return bool(ex.gaz.sites(text))


def _clauses(sent: str) -> list[_Clause]:
    out, pos = [], 0
    for m in cues.CLAUSE_SPLIT.finditer(sent):
        out.append(_Clause(pos, m.start(), sent[pos:m.start()]))
        pos = m.end()
    out.append(_Clause(pos, len(sent), sent[pos:]))
    return [c for c in out if c.text.strip()]


def _mask(text: str) -> str:
    """The text with post signatures and links blanked (same length, so offsets stay valid) and line breaks
    inside paragraphs turned into spaces."""
    chars = list(text)
    for rx in (SIGNATURE, re.compile(r"https?://\S+|pic\.twitter\.com/\S+")):
        for m in rx.finditer(text):
            for i in range(m.start(), m.end()):
                if chars[i] != "\n":
                    chars[i] = " "
    out = "".join(chars)
    return re.sub(r"(?<=\S)[ \t]*\n(?=[ \t]*\S)", lambda m: " " * len(m.group(0)), out)


def _paragraphs(work: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", work[start:end]):
        if m.group(0).strip():
            out.append((start + m.start(), start + m.end()))
    return out


_EXTRACTORS: dict[int, Extractor] = {}


def extractor_for(catalog: Catalog | None) -> Extractor:
    catalog = catalog or builtin_catalog()
    ex = _EXTRACTORS.get(id(catalog))
    if ex is None or ex.catalog is not catalog:
        ex = Extractor(catalog)
        _EXTRACTORS[id(catalog)] = ex
        if len(_EXTRACTORS) > 8:
            _EXTRACTORS.pop(next(iter(_EXTRACTORS)))
    return ex


def extract_document(doc: TextDocument, *, published: Any = None, outlet: str | None = None,
                     kind: str | None = None, catalog: Catalog | None = None, site: str | None = None
                     ) -> list[ExtractedClaim]:
    """Claims of a read document (see `basewatch.text.reading.read_document`)."""
    return extractor_for(catalog).extract(doc, published=day_of(published, what="published"), outlet=outlet,
                                          kind=kind, site=site)


def extract_claims(text: str, *, published: Any = None, outlet: str | None = None, url: str | None = None,
                   catalog: Catalog | None = None, kind: str | None = None, author: str | None = None
                   ) -> list[ExtractedClaim]:
    """Claims in a plain text. `published` (ISO text, date, datetime or Instant) anchors relative dates;
    `outlet` heads every attribution chain; embedded posts are attributed to their own authors and dates.
    For a standalone post pass kind="post" and its `author`."""
    from basewatch.text.reading import document_from_text

    doc = document_from_text(text)
    doc.url = url
    if kind == "post" and author:
        pub = day_of(published, what="published")
        doc.segments = [Segment(0, len(text), kind="post", author=author, published=pub, url=url)]
    return extract_document(doc, published=published, outlet=outlet, kind=kind, catalog=catalog)
