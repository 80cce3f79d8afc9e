"""Which language a stretch of text is in, from its letters' scripts: English (Latin), Russian (Cyrillic),
Arabic. Enough to route a sentence to the English rules or to the cross-lingual path; a sentence with no
letters of any script is `None`."""

from __future__ import annotations

import unicodedata


def language_of(text: str) -> str | None:
    """"en", "ru" or "ar" by the script most letters are in; Latin text in another language is read as English."""
    counts = {"en": 0, "ru": 0, "ar": 0}
    for ch in text:
        if not ch.isalpha():
            continue
        if "\u0400" <= ch <= "\u04ff":
            counts["ru"] += 1
        elif "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f":
            counts["ar"] += 1
        elif ch.isascii() or unicodedata.name(ch, "").startswith("LATIN"):
            counts["en"] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else None
