"""Cue words: which state a clause asserts, how firmly (stance), and on whose word (attribution).

Rules are plain regular expressions so an analyst can read, test and extend them. A state cue is strong (a
specific event), `present` (something is there) or weak (a bare noun like "withdrawal", used only when nothing
better is in the clause and the clause is not speculative).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STRONG, PRESENCE, WEAK = 2, 1, 0


@dataclass(frozen=True)
class StateCue:
    state: str
    rx: re.Pattern[str]
    strength: int = STRONG
    negatable: bool = True


def _c(state: str, pattern: str, strength: int = STRONG, negatable: bool = True) -> StateCue:
    return StateCue(state, re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w-])", re.I), strength, negatable)


def _names(names: tuple[str, ...]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def country_cues(names: tuple[str, ...]) -> list[StateCue]:
    """Cues that name a host country ("has left Syria"); built per catalog from vocabulary.yaml `countries`."""
    if not names:
        return []
    return [_c("WITHDRAWN", r"(?:has|have) (?:fully )?left (?:" + _names(names) + r")")]


def country_level(names: tuple[str, ...]) -> re.Pattern[str]:
    """A clause about a whole country, not one site: "in Syria", "the front lines", "the country"."""
    country = (r"\b(?:in|from|out of|across) (?:" + _names(names) + r")\b|") if names else ""
    return re.compile(country + r"\bfront lines?\b|\bthe country\b", re.I)


_PLACE = r"(?:the |its |their )?(?:port|harbou?r|naval base|base|quay|piers?|facility|berths?|anchorage)"

STATE_CUES: list[StateCue] = [
    _c("NO_DECISION", r"no (?:final )?decisions? (?:has|have|had) (?:yet )?been (?:made|taken)|no final decisions?|"
                      r"premature to (?:talk|speak|say)|not yet (?:been )?decided|everything is in flux|"
                      r"no decision (?:yet|on)", negatable=False),
    _c("NOT_WITHDRAWING", r"keep(?:ing|s)? (?:a |its |their )?(?:small |reduced |military |naval )*presence|"
                          r"pulling back,? (?:but )?not (?:pulling )?out|not (?:be )?(?:leaving|pulling out|"
                          r"withdrawing|abandoning)|"
                          r"(?:will|would) stay|stay(?:s)? open|remain(?:s)? open|"
                          r"(?:talk|reports?) of (?:an? )?(?:evacuation|withdrawal)[^.]{0,40}(?:not true|false|"
                          r"untrue)|"
                          r"no plans? to (?:withdraw|leave)"),
    _c("AGREEMENT", r"(?:some form of |an? )?(?:agreement|understanding|deal) with|reached an? (?:agreement|"
                    r"understanding|deal)|secured [\w\s]{0,20}agreement|guaranteed the security|"
                    r"(?:security )?guarantees? for"),
    _c("NEGOTIATING", r"negotiat(?:ing|ions?|es)|discuss(?:ing|ed|ions?|es)? (?:the )?future|in contact with|"
                      r"keeping in contact|talks? with|talking to|"
                      r"in talks"),
    _c("DENIED_ENTRY", r"(?:had |have )?not allowed [\w\s]{0,30}(?:near|into|in)|denied (?:entry|access)|"
                       r"barred (?:[\w\-]+\s+){0,4}from (?:entering|access)|barred from|"
                       r"turned away|kept out", negatable=False),
    _c("SECURITY_MEASURES", r"(?:all )?(?:necessary )?measures to ensure the security|security measures|"
                            r"tightened security|reinforced security"),
    _c("BLOCKED", r"blocked|blockade|refused permission|closed (?:its )?airspace"),
    _c("EXERCISE", r"(?:on |an? |the |planned )?exercises?|drills?"),
    _c("HOLDING_OFFSHORE", r"holding (?:offshore|off the coast|off\b[\w\s]{0,15}coast|inside the [\w\s]{0,12}line)|"
                           r"hold(?:s|ing)? off (?:the )?(?:[a-z]+ )?coast|"
                           r"(?:sitting|waiting|loitering|anchored) (?:about |some )?\d+[\s\-]*(?:km|nm|nautical)|"
                           r"\d+(?:\s*(?:and|to|-)\s*\d+)?\s*(?:km|kilometres|kilometers|nm|nautical miles) "
                           r"(?:west|north|south|east|northwest|north-west|southwest|offshore)|"
                           r"still offshore|offshore"),
    _c("ENTERED_PORT", r"entered (?:the )?(?:port|harbou?r)|(?:sailed|came) into (?:the )?(?:port|harbou?r)"),
    _c("RETURNED", r"(?:return(?:ing|s)?|c[oa]me back) to(?= (?!russia|moscow|sevastopol|novorossiysk|normal))|"
                   r"back in port|came back|come back|returned|return(?:ing|s)? to (?:the )?(?:port|base|"
                   r"harbou?r|quay)|"
                   r"back (?:alongside|at the (?:quay|piers?|base))|(?:is|are|were|was) back"),
    _c("DEPARTED", r"(?:left|leave|leaving|departed|sailed (?:out of|from)) " + _PLACE + r"|"
                   r"(?-i:(?:left|departed|flew out of|took off from)(?= [A-Z]))|fewer\b[^.;]{0,40}\bthan\b|"
                   r"(?:down|dropped|fell|decreased) from \d+|"
                   r"(?:has |have |had )?(?:left|took off|flew off|flew away)(?= on\b| early| late| overnight| for\b|"
                   r" in the| between| at (?:dawn|night))|"
                   r"moved out of " + _PLACE + r"|(?:have |has )?moved out of|sortie(?:d|ing)?|"
                   r"ordered to sea|put (?:out )?to sea|departed|flown (?:out|back to russia)|"
                   r"flew out|took off for russia|(?:has |have |had )?left (?:again |already )?(?=this|today|"
                   r"yesterday|"
                   r"overnight|last|early|late)|(?:is|are|was|were) (?:now )?gone|(?:has|"
                   r"have) (?:already )?left(?! \w+ "
                   r"(?:prepared |defensive |usual )?positions)"),
    _c("LOADING", r"(?:first )?load out|noses? (?:cones? )?(?:open|up|raised)|cargo (?:doors?|ramps?|bays?) "
                  r"(?:open|down|lowered)|ramps? (?:down|lowered)|nose visors? (?:raised|open|up)|"
                  r"(?:with )?(?:its|their) noses? "
                  r"(?:open|up|raised)|loading|preparing to load|waiting to be loaded|being loaded|"
                  r"lined up for loading|load(?:ed)? (?:on|onto|into) (?:ships|planes|aircraft)"),
    _c("DISMANTLING", r"(?:being |been )?dismantl(?:ed|ing)|rotor blades? (?:removed|taken off)|"
                      r"(?:had |have )?(?:its|their) rotor blades? removed|taken apart"),
    _c("PACKED", r"packed up|packing up|(?:is |was |been )?packed|folded(?: down)?|stowed"),
    _c("RELOCATED", r"shifted from|(?:have |has )?left (?:its|their) (?:prepared |defensive |usual )?positions|"
                    r"moved from (?:its|their) (?:prepared |defensive |usual )?positions?|relocated|redeployed|"
                    r"rather than at (?:its|their) usual position"),
    _c("CONVERGING", r"converg(?:ing|e|ed) on|consolidat(?:ing|ed|e) (?:at|in|on)|being concentrated at|"
                     r"concentrat(?:ing|ed) at|heading (?:toward|towards|"
                     r"for|to)|making for|gathering at"),
    _c("PLANNED_WITHDRAWAL", r"plan(?:s|ned)? to (?:withdraw|leave|pull out)|(?:will|would) (?:be )?withdraw|"
                             r"to be withdrawn|intended to take [\w\s]{0,20}out"),
    _c("WITHDRAWN", r"(?:has|have|had) (?:been )?withdrawn|abandoned|(?:close to )?empty of|"
                    r"(?:has|have) (?:fully )?left the country"),
    _c("WITHDRAWING", r"pulling (?:out|back)|pulling (?:[\w\-]+\s+){1,3}out of|pull(?:s|ed)? out|withdrawing|"
                      r"(?:is |are )?(?:definitely )?leaving|"
                      r"withdrawal (?:is )?(?:underway|under way|in stages)|full withdrawal|evacuating|"
                      r"drawing down|stepping back|being reduced|getting the fleet out"),
    _c("REINFORCING", r"reinforc(?:ing|ed|ements?)|sending (?:more|additional)|new deployments?"),
    _c("ARRIVED", r"more\b[^.;]{0,40}\bthan (?:last|before|earlier|in|on|a week|a month)|(?:up|rose|increased) "
                  r"from \d+|land(?:s|ed|ing)? (?:at|in)|to land|arriv(?:ed|ing|als?)|landed|landing|fl(?:ew|y|ying|"
                  r"own) in(?:to)?"),
    _c("OPERATING_NORMALLY", r"operating normally|continu(?:ed|es|e|ing) to operate|(?:be|is|was) operating|"
                             r"operating as usual|business as usual|carry(?:ing)? out (?:their|its) tasks"),
    _c("UNCHANGED", r"(?:largely )?unchanged|the same (?:number|aircraft|ships|vessels|planes)|"
                    r"no (?:visible )?change|have not moved|has not moved|no sign of an? "
                    r"(?:evacuation|withdrawal)|no visible preparations", negatable=False),
    _c("ABSENT", r"no (?:sign|trace) of|(?:are|is|were|was|still|look) (?:still )?empty|piers?\b[^.,;]{0,30}\bempty|"
                 r"nothing big alongside|no russian (?:warship|"
                 r"ship|combatant)s? (?:was|were) (?:visible|seen)|(?:not|"
                 r"no)\b[\w\s]{0,12}single [\w\s]{0,25}alongside|"
                 r"nothing (?:big )?alongside|not back at", negatable=False),
    _c("PRESENT", r"(?:are |is )?(?:all |also |still )?visible|still in place|in place|parked|moored|berthed|"
                  r"standing on|(?:are|is|was|were) seen|seen (?:at|on|in)|alongside|still up|"
                  r"on the (?:[\w\-]+ )?(?:apron|ramp|pier|quay)|remain(?:s|ed)? (?:at|in)|staged|lined up|"
                  r"still there|at the piers?", PRESENCE),
    _c("WITHDRAWING", r"withdrawal|retreat|evacuation|drawdown|pull-?out", WEAK),
]

# A speaker who denies the clause that follows ("denied that any withdrawal was under way", "rejected reports
# of an evacuation"): the state is flipped (or negated) and the stance is `claimed`.
DENIAL = re.compile(r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|refut(?:e|es|ed|ing)|"
                    r"called [\w\s]{0,12}(?:false|fake|untrue)|branded [\w\s]{0,12}(?:false|fake))\b"
                    r"(?![\w\s]{0,12}\b(?:entry|access)\b)", re.I)

# A claim is not made by a clause that only asks or refuses to say.
NOT_A_CLAIM = re.compile(
    r"\bwhether\b|did not (?:confirm|say|comment)|declined to (?:comment|confirm|say)|refused to (?:confirm|"
    r"comment|say)|would (?:neither|not) confirm|(?:was|is) not (?:immediately )?clear|"
    r"unclear|not possible to say|no (?:one|representative) [\w\s]{0,30}commented|did not (?:reply|respond)|"
    r"have not commented|has not commented", re.I)
NEGATION = re.compile(r"\b(?:not|no|never|nor|without|none|nothing|neither)\b|n[\u2019']t\b", re.I)

SPECULATIVE = re.compile(r"\b(?:could|may|might|would|will|shall|if|expected to|likely to|plans? to|going to|"
                         r"set to|possible that|possibly could|unless)\b|\w+[\u2019']ll\b", re.I)
HEDGED = re.compile(r"\b(?:suggest(?:s|ing|ed)?|likely|most likely|appear(?:s|ed)?|apparently|seem(?:s|ed)?|"
                    r"looks? like|what looks like|signs? (?:that|of)|a sign|probably|possibly|indicat(?:e|es|ing)|"
                    r"believed to|assessed|looks? more like|presumably|unconfirmed|"
                    r"could not be (?:independently )?(?:verified|confirmed)|not been able to confirm)\b", re.I)
REPORTED = re.compile(r"\b(?:reportedly|(?:is|are|was|were) reported|reports? (?:say|said|indicate)|"
                      r"according to reports|it is said|reported that)\b|^\s*(?:some |"
                      r"unconfirmed )?reports of\b", re.I)
CLAIMED = re.compile(r"\b(?:calls? it|claim(?:s|ed|ing)?|insist(?:s|ed|ing)?|alleg(?:e|es|ed|edly))\b", re.I)

# Clause boundaries inside a sentence: contrast and "while" join claims about different subjects.
CLAUSE_SPLIT = re.compile(r",\s+but\s+(?!not\b)|,\s+and\s+(?=(?:the|it|they|its|their|he|she)\b)|"
                          r"\s+but\s+(?!not\b)(?=(?:it|they|the|its|their|no|nothing)\b)|"
                          r";\s+|,\s+while\s+|\s+whereas\s+|,\s+although\s+|,?\s+unlike\s+", re.I)

# Attribution -----------------------------------------------------------------------------------------------
_SAY = (r"(?:said|says|say|told|tells|claimed|claims|claim|are (?:still )?claiming|is (?:still )?claiming|"
        r"announced|stated|insisted|insists|added|confirmed|denied|denies|rejected|dismissed|identified|wrote|"
        r"stressed|reported that|as saying|"
        r"believe|believes|"
        r"assessed|noted|warned)")
SPEAKER_BEFORE = re.compile(r"(?:^|[,;:][\"\u201d\u2019']?\s*|\bthat\s+|"
                            r"\band\s+)(?P<who>(?:[\w\u2019'\-]+\s+){0,8}?[\w\u2019'\-]+)\s+"
                            r"(?:(?:on|late on|earlier on)\s+\w+\s+)?(?:had\s+|have\s+|has\s+)?" + _SAY + r"\b",
                            re.I)
SPEAKER_AFTER = re.compile(r"[,\u201d\"]\s*(?:said|says|added|told \w+)\s+(?P<who>(?:the |a |an )?(?:[\w\u2019'\-]+"
                           r"\s+){0,6}?[\w\u2019'\-]+)\s*(?:[.,]|$)", re.I)
ACCORDING = re.compile(r"\baccording to (?P<who>(?:[\w\u2019'\-]+\s+){0,8}?[\w\u2019'\-]+?)(?=\s*(?:,|\.|$|\bwho\b|"
                       r"\bon\b|\bin\b))", re.I)
# "satellite images obtained by the fact-checking service Faktisk": Faktisk speaks, the images are its source.
IMAGERY_BY = re.compile(r"\b(?:images?|imagery|footage|photos?|pictures?)\s+(?:obtained|analy[sz]ed|reviewed|"
                        r"geolocated|verified|studied)\s+by\s+(?P<who>(?:the\s+)?(?:[\w\u2019'\-]+\s+){0,6}?"
                        r"[A-Z][\w\-]+)", re.I)
# A speaker named again by its kind: "the outlet said", "the think tank added".
BACK_REFERENCE = re.compile(r"^(?:the|this)\s+(?:outlet|think[- ]tank|institute|agency|ministry|channel|analysts?|"
                            r"newspaper|company|portal|service|group|monitor|account|researchers?|official)$", re.I)
UNNAMED_REPORTS = re.compile(r"\b(?:some |unnamed |unconfirmed |several |other )?reports (?:suggest|say|said|"
                             r"indicate)|\b(?:is|are|was|were) reported to\b|\breportedly\b|\breports of\b", re.I)
TOLD_OUTLET = re.compile(r"\btold (?P<outlet>Reuters|TASS|the BBC|BBC|AP|the Associated Press|RIA|Interfax|"
                         r"reporters|journalists)\b", re.I)
VISUAL = re.compile(r"\b(?P<what>(?:maxar|planet|airbus|blacksky|pleiades)\b(?! labs? (?:said|says))|"
                    r"satellite (?:images?|imagery|photos?|pictures?)|images?|imagery|(?:drone )?footage|"
                    r"(?:drone )?video|(?:planet|maxar|sentinel) pass|drone)\b", re.I)
VISUAL_ANAPHOR = re.compile(r"^\s*(?:the|these|those)\s+(?:satellite\s+)?(?:images|footage|video|pictures|photos)\b",
                            re.I)
SHARED_BY = re.compile(r"\b(?:shared|published|posted|released|filmed|broadcast|aired)\s+by\s+(?P<who>[A-Z][\w]*"
                       r"(?:\s+[A-Z][\w]*){0,3})")

OBSERVABLE_STATES = {"PRESENT", "ABSENT", "LOADING", "DISMANTLING", "PACKED", "RELOCATED", "DEPARTED", "ARRIVED",
                     "HOLDING_OFFSHORE", "UNCHANGED", "RETURNED", "ENTERED_PORT"}

SPEAKER_KINDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:institute|think[- ]tank|ISW|RUSI|IISS|CSIS|Carnegie|Chatham)\b", re.I), "think_tank"),
    (re.compile(r"\b(?:sources?|people familiar|person familiar|unnamed|anonymous|residents?|worker|witness(?:es)?|"
                r"insiders?)\b", re.I), "anonymous"),
    (re.compile(r"\b(?:officials?|ministry|ministers?|spokes(?:man|woman|person)|kremlin|government|moscow|"
                r"mod|press service|embassy|commander|authorities|military|diplomats?|ambassador|envoy|peskov|"
                r"defen[cs]e ministry)\b", re.I),
     "official"),
    (re.compile(r"\b(?:analysts?|experts?|monitor|observatory|researchers?|osint)\b", re.I), "analyst"),
    (re.compile(r"\b(?:images?|imagery|footage|video|photos?)\b", re.I), "imagery"),
    (re.compile(r"\b(?:data|tracking|ADS-B|AIS|transponders?|flight ?radar\w*)\b", re.I), "sensor_data"),
    (re.compile(r"\b(?:reports|media|outlets?|newspaper|agency|television|TV)\b", re.I), "media"),
]
SOURCE_KIND = {"imagery_provider": "satellite_provider", "outlet": "media", "official": "official",
               "analyst": "analyst"}

# A named place that is not a watched site: "the Hama air base", "the port of Latakia".
OTHER_PLACE = re.compile(r"\b(?:the\s+)?(?P<name>[A-Z][\w\-]+)\s+(?:air\s*base|airbase|airport|naval\s+base|"
                         r"airfield)\b|\b(?:port|harbou?r|city|province|governorate) of (?P<name2>[A-Z][\w\-]+)")
CONDITION = re.compile(r"^\s*(?:if|unless|should|in case)\b", re.I)
