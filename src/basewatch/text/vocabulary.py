"""The controlled vocabulary of claims: states, stances and kinds of speaker.

Claim states are upper case so they never mix with the lower-case observation states of the catalog
(`present`, `nose_open`...): a claim is what a text says, an observation what an image shows.
"""

from __future__ import annotations

CLAIM_STATES: dict[str, str] = {
    "PRESENT": "at the site, no particular activity",
    "ABSENT": "said not to be at the site (piers empty, not visible)",
    "ARRIVED": "arrived at the site",
    "DEPARTED": "left the site",
    "RETURNED": "came back to the site",
    "UNCHANGED": "no change since an earlier report",
    "LOADING": "being loaded, or cargo doors/noses open to load",
    "DISMANTLING": "being taken apart for transport",
    "PACKED": "folded or packed for transport",
    "RELOCATED": "moved from its usual position within or near the site",
    "CONVERGING": "forces or equipment gathering at the site",
    "HOLDING_OFFSHORE": "ships waiting at sea near the site",
    "WITHDRAWING": "a withdrawal under way",
    "WITHDRAWN": "withdrawal completed, site abandoned",
    "PLANNED_WITHDRAWAL": "a withdrawal announced or planned",
    "NOT_WITHDRAWING": "said to stay, not to leave",
    "REINFORCING": "more forces or equipment sent to the site",
    "NO_DECISION": "no decision taken on the site's future",
    "NEGOTIATING": "talks about the site's future",
    "AGREEMENT": "an agreement or understanding on the site's future",
    "BLOCKED": "movement or access blocked",
    "OPERATING_NORMALLY": "the site operating as usual",
    "SECURITY_MEASURES": "security measures taken at the site",
    "EXERCISE": "an exercise (the stated reason for a movement)",
    "DENIED_ENTRY": "people kept out of the site or part of it",
    "ENTERED_PORT": "a ship entered the port",
}

# How states behave under negation and which subject a state implies when the text names none: one table for
# the cue rules and the prototype reader.
OPPOSITE_STATE: dict[str, str] = {"PRESENT": "ABSENT", "ABSENT": "PRESENT", "WITHDRAWING": "NOT_WITHDRAWING",
                                  "WITHDRAWN": "NOT_WITHDRAWING", "PLANNED_WITHDRAWAL": "NOT_WITHDRAWING"}
# States whose wording already carries the negation ("no sign of", "not leaving"): a "not" does not flip them.
SELF_NEGATED_STATES = frozenset({"ABSENT", "NOT_WITHDRAWING", "NO_DECISION", "DENIED_ENTRY", "UNCHANGED"})
# States about the site's status or future (subject "Russian presence") and about forces as a whole.
BASE_STATES = frozenset({"NO_DECISION", "AGREEMENT", "NEGOTIATING", "OPERATING_NORMALLY", "SECURITY_MEASURES",
                         "NOT_WITHDRAWING", "DENIED_ENTRY", "BLOCKED", "WITHDRAWN", "PLANNED_WITHDRAWAL"})
FORCE_STATES = frozenset({"WITHDRAWING", "CONVERGING", "REINFORCING"})

STANCES = ("asserted", "hedged", "reported", "claimed", "negated", "speculative")

ATTRIBUTION_KINDS = ("media", "official", "satellite_provider", "imagery", "analyst", "anonymous", "think_tank",
                     "sensor_data", "person")
