"""Paint schemes: which colours a part's tone name becomes, per category, with per-object variation.

Russian military aircraft are mostly light or blue-grey (Su-34/Su-35 two-tone "sea" greys), transports light grey
or white, helicopters grey or green/brown camouflage, ground vehicles olive with disruptive patterns, ships naval
grey with darker decks. Each object draws one scheme and a small brightness jitter so no two look identical.
"""

from __future__ import annotations

import numpy as np

RGB = tuple[int, int, int]

# (base, camouflage or 0) per category prefix; the longest matching prefix wins
SCHEMES: dict[str, list[tuple[RGB, RGB | None]]] = {
    "aircraft.combat": [((128, 142, 156), (96, 110, 126)), ((150, 158, 164), (118, 128, 138)),
                        ((170, 174, 176), None), ((112, 126, 140), (140, 154, 166))],
    "aircraft.combat.strike": [((132, 146, 160), (100, 114, 130)), ((164, 168, 170), None),
                               ((120, 134, 150), (150, 162, 172))],
    "aircraft.transport": [((176, 178, 180), None), ((160, 164, 168), None), ((196, 198, 200), None)],
    "aircraft.transport.tactical": [((150, 154, 156), None), ((112, 116, 92), (138, 126, 96))],
    "aircraft.special": [((172, 174, 176), None)],
    "aircraft.civil": [((228, 228, 226), None)],
    "aircraft.helicopter": [((98, 104, 80), (132, 120, 88)), ((118, 124, 126), None), ((90, 96, 72), (70, 74, 60))],
    "aircraft.helicopter.attack": [((84, 90, 92), None), ((96, 102, 82), (128, 118, 90)), ((110, 116, 118), None)],
    "air-defense": [((92, 98, 70), (120, 114, 84)), ((84, 92, 66), (62, 66, 52)), ((104, 106, 82), None)],
    "vehicle": [((96, 100, 72), None), ((88, 94, 66), (118, 112, 84)), ((110, 108, 86), None)],
    "ship": [((122, 128, 134), None), ((112, 118, 124), None)],
    "ship.submarine": [((40, 42, 44), None)],
    "ship.auxiliary": [((104, 108, 112), None)],
    "ship.cargo": [((70, 84, 110), None), ((120, 52, 44), None)],
}

FIXED: dict[str, RGB] = {
    "dark": (52, 54, 54), "black": (26, 27, 28), "glass": (38, 48, 60), "engine": (96, 98, 100),
    "white": (222, 224, 222), "light": (176, 180, 174), "blade": (46, 48, 50), "foam": (214, 222, 224),
    "ground_light": (150, 146, 132), "tarp": (98, 100, 72), "helideck": (72, 76, 80),
}


def scheme_for(category: str, rng: np.random.Generator) -> dict[str, RGB]:
    """A colour for every tone name, drawn for one object."""
    key = max((k for k in SCHEMES if category.startswith(k)), key=len, default="vehicle")
    base, camo = SCHEMES[key][int(rng.integers(len(SCHEMES[key])))]
    jitter = float(rng.uniform(0.92, 1.08))

    def j(c: RGB, f: float = 1.0) -> RGB:
        return tuple(int(np.clip(v * jitter * f, 0, 255)) for v in c)  # type: ignore[return-value]

    tones = {k: j(v) for k, v in FIXED.items()}
    tones["paint"] = j(base)
    tones["camo"] = j(camo) if camo else j(base)
    tones["paint2"] = j(base, 0.86)
    tones["wing"] = j(base, 0.92)
    tones["hi"] = j(base, 1.1)
    tones["engine"] = j(base, 0.78) if category.startswith("aircraft") else tones["engine"]
    if category.startswith("ship"):
        tones["deck"] = j(base, 0.72)
        tones["super"] = j(base, 1.12)
        if key == "ship.auxiliary":
            tones["deck"] = j((96, 64, 56))
    if category.startswith("vehicle.truck"):
        tones["tarp"] = j((int(rng.integers(88, 112)), int(rng.integers(92, 108)), 72))
    tones["has_camo"] = (1, 0, 0) if camo else (0, 0, 0)
    return tones
