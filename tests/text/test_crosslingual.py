"""The cross-lingual reader: a Russian or Arabic post gives the same claim as its English translation."""

from __future__ import annotations

import pytest

from basewatch.text import extract_claims
from basewatch.text.dates import find_dates
from basewatch.text.gazetteer import gazetteer_for
from basewatch.text.language import language_of

PAIRS = [
    ("Вчера два Ил-76 покинули аэродром Хмеймим.", "Two Il-76 left Khmeimim air base yesterday."),
    ("В Минобороны опровергли сообщения о выводе войск из Тартуса.",
     "The Defence Ministry denied reports of a withdrawal of troops from Tartus."),
    ("На базе Хмеймим по-прежнему стоят самолёты.", "Aircraft are still parked at Khmeimim air base."),
]


def _key(claims):
    return {(c.site, c.state, c.stance) for c in claims}


@pytest.mark.parametrize(("russian", "english"), PAIRS)
def test_russian_post_reads_like_its_translation(russian: str, english: str) -> None:
    ru = extract_claims(russian, published="2025-03-05", kind="post", author="Channel (@channel)")
    en = extract_claims(english, published="2025-03-05", kind="post", author="Channel (@channel)")
    assert ru, russian
    assert _key(ru) == _key(en)
    assert {c.event_time.start if c.event_time else None for c in ru} == \
        {c.event_time.start if c.event_time else None for c in en}


def test_arabic_sentence_names_the_site_with_a_glued_preposition() -> None:
    claims = extract_claims("هبطت طائرات الشحن الروسية أمس بحميميم.", published="2025-03-05")  # landed at Hmeimim
    assert [(c.site, c.state) for c in claims] == [("khmeimim", "ARRIVED")]
    assert claims[0].event_time.start.isoformat() == "2025-03-04"


def test_declined_russian_names_resolve_to_the_site() -> None:
    gaz = gazetteer_for(None)
    for text, site in (("в Тартусе", "tartus"), ("из Тартуса", "tartus"), ("на Хмеймиме", "khmeimim"),
                       ("с аэродрома Хмеймим", "khmeimim")):
        assert [m.id for m in gaz.sites(text)] == [site], text
    assert gaz.sites("в Тарту") == []  # another city: no prefix match below the stem


def test_russian_and_arabic_dates() -> None:
    from datetime import date

    pub = date(2025, 3, 5)  # a Wednesday
    got = {text: [d.time.start for d in find_dates(text, pub)] for text in
           ("в ночь на 25 декабря", "вчера", "в понедельник", "3 марта", "أمس", "يوم الجمعة")}
    assert got == {"в ночь на 25 декабря": [date(2024, 12, 25)], "вчера": [date(2025, 3, 4)],
                   "в понедельник": [date(2025, 3, 3)], "3 марта": [date(2025, 3, 3)], "أمس": [date(2025, 3, 4)],
                   "يوم الجمعة": [date(2025, 2, 28)]}


def test_language_by_script() -> None:
    assert language_of("Two Il-76 left.") == "en"
    assert language_of("Два Ил-76 улетели.") == "ru"
    assert language_of("غادرت الطائرات") == "ar"
    assert language_of("12:30 — 2025") is None


def test_a_refusal_to_comment_makes_no_claim_in_russian() -> None:
    assert extract_claims("В Минобороны отказались от комментариев о ситуации на базе Хмеймим.",
                          published="2025-03-05") == []


def test_mixed_language_text_reads_each_sentence_in_its_language() -> None:
    text = ("Two Il-76 landed at Khmeimim on Monday, flight-tracking data show. "
            "«Вчера с аэродрома Хмеймим вылетели два Ан-124», написал канал.")
    states = {c.state for c in extract_claims(text, published="2025-03-05", outlet="Reuters")}
    assert states == {"ARRIVED", "DEPARTED"}


def test_shipped_prototype_vectors_cover_every_prototype_and_match_the_engines() -> None:
    """Regenerate with bench/harvest_prototypes.py after editing prototypes.yaml (else the first claim of a
    process embeds the missing wordings, seconds each batch)."""
    from importlib import resources

    import numpy as np

    from basewatch.text.crosslingual import VECTORS, bank_entries
    from basewatch.text.embed import embed

    with resources.files("basewatch.text").joinpath("data", VECTORS).open("rb") as fh, np.load(fh) as npz:
        for engine in ("en", "multilingual"):
            stored = dict(zip(npz[f"{engine}_texts"].tolist(), npz[f"{engine}_vectors"], strict=True))
            texts = [text for _, text in bank_entries(engine)]
            assert set(texts) <= set(stored), set(texts) - set(stored)
            fresh = embed(texts[:3], engine)
            assert np.allclose(fresh, np.stack([stored[t] for t in texts[:3]]).astype(np.float32), atol=2e-3)
