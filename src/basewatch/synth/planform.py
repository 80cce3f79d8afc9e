"""Top-view silhouettes of equipment types, built from their real dimensions and catalog planform hints.

A planform is a list of `Part`s in the *body frame*: metres, x forward (nose at +length/2), y to the right.
Each part has a height above ground (for cast shadows and off-nadir lean), a tone name resolved by the
paint scheme, and whether it takes the camouflage pattern. States change the parts: `nose_open` raises the
An-124 visor (a shortened nose with an open hold and a ramp), `rotor_removed` drops the blades, `packed` /
`deployed` fold or raise radar antennas and launcher canisters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from basewatch.model import EquipmentType


@dataclass(frozen=True)
class Part:
    """One flat piece of a silhouette."""

    pts: np.ndarray  # (N, 2) body-frame metres
    tone: str  # paint | paint2 | light | dark | glass | engine | black | deck | super | white | tarp | ground
    height: float  # metres above ground of the piece's top
    paint: bool = False  # takes the camouflage pattern


def _poly(*pts: tuple[float, float]) -> np.ndarray:
    return np.asarray(pts, dtype=float)


def _mirror(pts: list[tuple[float, float]]) -> np.ndarray:
    """A symmetric outline from its right half (listed nose to tail)."""
    right = list(pts)
    left = [(x, -y) for x, y in reversed(right) if y != 0]
    return np.asarray(right + left, dtype=float)


def _side(pts: list[tuple[float, float]], sign: float) -> np.ndarray:
    return np.asarray([(x, sign * y) for x, y in pts], dtype=float)


def _rect(x0: float, x1: float, y0: float, y1: float) -> np.ndarray:
    return _poly((x1, y0), (x1, y1), (x0, y1), (x0, y0))


def _ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 20) -> np.ndarray:
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


def _blade(cx: float, cy: float, angle: float, length: float, chord: float) -> np.ndarray:
    ca, sa = math.cos(angle), math.sin(angle)
    d = np.array([ca, sa])
    n = np.array([-sa, ca])
    c = np.array([cx, cy])
    r0, r1 = 0.4, length
    return np.asarray([c + d * r0 + n * chord / 2, c + d * r1 + n * chord / 2,
                       c + d * r1 - n * chord / 2, c + d * r0 - n * chord / 2])


# ------------------------------------------------------------------------------------------ fixed wing


def _fixed_wing(eq: EquipmentType, state: str, rng: np.random.Generator) -> list[Part]:
    s = eq.shape
    L, S = eq.length_m, eq.width_m
    fw = float(s.get("fuselage_width_m", 0.1 * L))
    wing = str(s.get("wing", "swept"))
    if wing == "flanker":
        return _flanker(eq, L, S, fw)
    sweep = math.radians(float(s.get("sweep_deg", 20)))
    b = S / 2
    combat = eq.category.startswith("aircraft.combat")
    tail = str(s.get("tail", "conventional"))
    mount = str(s.get("engine_mount", "wing"))
    n_eng = int(s.get("engines", 2))
    parts: list[Part] = []
    body_h = fw * 1.05 if not combat else 2.5

    # fuselage
    nose = (0.9 if combat else 1.6) * fw
    tail_len = 0.22 * L
    outline = [(L / 2, 0.0), (L / 2 - 0.25 * nose, 0.3 * fw), (L / 2 - 0.6 * nose, 0.46 * fw),
               (L / 2 - nose, fw / 2), (-L / 2 + tail_len, fw / 2), (-L / 2 + 0.3 * tail_len, 0.3 * fw),
               (-L / 2, 0.12 * fw)]
    nose_open = state in ("nose_open", "loading") and eq.id == "an-124"
    if nose_open:
        cut = L / 2 - 1.5 * nose
        outline = [(cut, 0.0), (cut, fw / 2)] + outline[4:]
    fus = _mirror(outline)

    # main wing
    if wing == "swing":
        c_root = 0.26 * L
        x_le = 0.08 * L
        glove_y = 0.3 * b
        parts.append(Part(_mirror([(x_le + 0.12 * L, fw / 2 * 0.9), (x_le - 0.02 * L, glove_y),
                                   (x_le - c_root * 0.85, glove_y), (x_le - c_root, fw / 2)]), "paint", 2.0, True))
        x_gle = x_le - 0.02 * L
        tip_le = x_gle - (b - glove_y) * math.tan(sweep)
        c_t = 0.45 * c_root * 0.6
        for sign in (1, -1):
            parts.append(Part(_side([(x_gle, glove_y), (tip_le, b), (tip_le - c_t, b),
                                     (x_gle - 0.55 * c_root, glove_y)], sign), "wing", 1.9, True))
    else:
        c_root = (0.2 if wing == "swept" else 0.15) * L
        if combat:
            c_root = 0.3 * L
        taper = 0.33 if wing == "swept" else 0.45
        x_le = (0.12 if wing == "swept" else 0.08) * L
        tip_le = x_le - (b - fw / 2) * math.tan(sweep)
        high = eq.category.startswith("aircraft.transport") and eq.id not in ("tu-154",)
        wing_h = body_h + 0.3 if high else 1.6
        for sign in (1, -1):
            parts.append(Part(_side([(x_le, fw / 2 * 0.95), (tip_le, b), (tip_le - taper * c_root, b),
                                     (x_le - c_root, fw / 2 * 0.95)], sign), "wing", wing_h, True))

    # engines under/over the wing or at the rear
    eng_len = max(2.5, (0.13 if L > 30 else 0.16) * L)
    eng_w = max(1.1, 0.048 * L)
    turboprop = wing == "straight" and mount == "wing"
    eng_parts: list[Part] = []
    if mount == "wing":
        ys = [0.34 * b] if n_eng <= 2 else [0.3 * b, 0.58 * b]
        for y in ys:
            x_wing = x_le - (y - fw / 2) * math.tan(sweep)
            front = x_wing + 0.5 * eng_len
            for sign in (1, -1):
                eng_parts.append(Part(_side([(front, y - eng_w / 2), (front, y + eng_w / 2),
                                             (front - eng_len, y + eng_w / 2 * 0.8),
                                             (front - eng_len, y - eng_w / 2 * 0.8)], sign), "engine", 2.2))
                if turboprop:
                    prop = 0.085 * L
                    ang = rng.uniform(0, math.pi)
                    eng_parts.append(Part(_side(list(map(tuple, _blade(front + 0.2, y, ang, prop, 0.35))), sign),
                                          "black", 2.6))
                    eng_parts.append(Part(_side(list(map(tuple, _blade(front + 0.2, y, ang + math.pi, prop, 0.35))),
                                                sign), "black", 2.6))
    elif mount == "above_wing":
        for sign in (1, -1):
            y = fw / 2 + eng_w * 0.6
            front = x_le + 0.35 * eng_len
            eng_parts.append(Part(_side([(front, y - eng_w / 2), (front, y + eng_w / 2),
                                         (front - 1.5 * eng_len, y + eng_w / 2),
                                         (front - 1.5 * eng_len, y - eng_w / 2)], sign), "engine", body_h + 1.5))
    elif mount == "rear":
        for sign in (1, -1):
            x = -L / 2 + 0.28 * L
            y = fw / 2 + eng_w / 2
            eng_parts.append(Part(_side([(x, y - eng_w / 2), (x, y + eng_w / 2), (x - eng_len, y + eng_w / 2),
                                         (x - eng_len, y - eng_w / 2)], sign), "engine", body_h))
    # tailplane
    tail_span = (0.42 if combat else 0.36) * S / 2
    if wing == "swing":
        tail_span = 0.5 * S / 2
    t_root = (0.5 if combat else 0.45) * c_root
    t_x = -L / 2 + (0.16 if tail == "t_tail" else 0.2) * L
    t_sweep = math.radians(35 if combat or wing == "swept" else 12)
    t_h = (0.3 * L if tail == "t_tail" else body_h + 0.3)
    if tail == "t_tail":
        t_x = -L / 2 + 0.1 * L
    tailplane = []
    for sign in (1, -1):
        tip_x = t_x - tail_span * math.tan(t_sweep)
        tailplane.append(Part(_side([(t_x, 0.0), (tip_x, tail_span), (tip_x - 0.4 * t_root, tail_span),
                                     (t_x - t_root, 0.0)], sign), "paint", t_h, True))
    # vertical fin(s), seen from above as thin strips
    fin_h = 0.3 * L if not combat else 0.25 * L
    fins = [Part(_mirror([(-L / 2 + 0.24 * L, 0.0), (-L / 2 + 0.2 * L, 0.35), (-L / 2 + 0.02 * L, 0.3),
                          (-L / 2, 0.0)]), "paint2", fin_h)]
    parts = eng_parts[:len(eng_parts)] + parts if mount == "wing" else parts
    parts.append(Part(fus, "paint", body_h, True))
    # the sunlit crown of the round fuselage
    crown = fus.copy()
    crown[:, 1] *= 0.34
    crown[:, 0] = np.clip(crown[:, 0], -L / 2 + 0.1 * L, L / 2 - 0.3 * nose)
    parts.append(Part(crown, "hi", body_h + 0.05))
    if mount != "wing":
        parts += eng_parts
    if tail == "t_tail":
        parts += fins + tailplane
    else:
        parts += tailplane + fins
    # cockpit glazing and nose details
    cx = L / 2 - 0.55 * nose
    if not nose_open:
        parts.append(Part(_mirror([(cx + 0.25 * nose, 0.0), (cx + 0.1 * nose, 0.28 * fw), (cx - 0.25 * nose, 0.3 * fw),
                                   (cx - 0.3 * nose, 0.0)]), "glass", body_h + 0.1))
    if combat:
        for sign in (1, -1):
            parts.append(Part(_ellipse(-L / 2 + 0.4, sign * 0.22 * fw, 0.5, 0.3 * fw, 10), "black", 1.5))
    if nose_open:
        cut = L / 2 - 1.5 * nose
        # open hold seen from above, the raised visor above the cockpit, and the loading ramp on the ground
        parts.insert(0, Part(_rect(cut, cut + 4.5, -0.32 * fw, 0.32 * fw), "ground_light", 0.3))
        parts.append(Part(_rect(cut - 0.4, cut, -0.42 * fw, 0.42 * fw), "black", body_h))
        parts.append(Part(_mirror([(cut - 1.0, 0.0), (cut - 1.0, 0.45 * fw), (cut - 4.5, 0.48 * fw),
                                   (cut - 5.0, 0.0)]), "light", body_h + 2.5))
    elif state in ("nose_open", "ramp_open", "loading"):
        # rear ramp lowered: dark hold opening at the tail and a ramp on the ground behind it
        x = -L / 2 + 0.25 * tail_len
        parts.insert(0, Part(_rect(-L / 2 - 3.5, x, -0.28 * fw, 0.28 * fw), "ground_light", 0.3))
        parts.append(Part(_rect(x - 1.2, x + 1.5, -0.3 * fw, 0.3 * fw), "black", body_h))
    if eq.id == "il-20":
        parts.append(Part(_rect(0.15 * L, 0.35 * L, -0.4 * fw, 0.4 * fw), "paint2", body_h + 0.2))
    return parts


def _flanker(eq: EquipmentType, L: float, S: float, fw: float) -> list[Part]:
    """Su-27 family: blended body, LERX, twin fins, widely spaced engines, stabilators."""
    b = S / 2
    broad = eq.id == "su-34"
    nose_w = (0.2 if broad else 0.11) * S / 2
    sweep = math.tan(math.radians(42))
    x_root = 0.02 * L
    y_root = 0.2 * S
    tip_le = x_root - (b - y_root) * sweep
    parts: list[Part] = []
    body = _mirror([(L / 2, 0.0), (0.42 * L, nose_w * 0.7), (0.3 * L, nose_w), (0.18 * L, 0.12 * S),
                    (x_root + 0.04 * L, y_root), (-0.1 * L, 0.19 * S), (-0.38 * L, 0.14 * S),
                    (-0.44 * L, 0.12 * S), (-0.44 * L, 0.05 * S), (-0.5 * L, 0.03 * S)])
    for sign in (1, -1):
        parts.append(Part(_side([(x_root + 0.03 * L, y_root * 0.9), (tip_le, b), (tip_le - 0.07 * L, b),
                                 (-0.24 * L, y_root * 0.95)], sign), "wing", 1.9, True))
    parts.append(Part(body, "paint", 2.6, True))
    for sign in (1, -1):
        parts.append(Part(_side([(-0.3 * L, 0.11 * S), (-0.42 * L, 0.34 * S), (-0.48 * L, 0.34 * S),
                                 (-0.47 * L, 0.11 * S)], sign), "paint", 2.2, True))
        parts.append(Part(_side([(-0.2 * L, 0.15 * S), (-0.23 * L, 0.16 * S), (-0.43 * L, 0.155 * S),
                                 (-0.43 * L, 0.14 * S)], sign), "paint2", 5.8))
        parts.append(Part(_ellipse(-0.45 * L, sign * 0.085 * S, 0.35, 0.045 * S, 10), "black", 1.6))
        if broad:
            parts.append(Part(_side([(0.2 * L, 0.1 * S), (0.17 * L, 0.2 * S), (0.14 * L, 0.2 * S),
                                     (0.12 * L, 0.1 * S)], sign), "paint", 2.5, True))
    parts.append(Part(_ellipse(0.3 * L, 0.0, 0.09 * L, 0.6 * nose_w * (1.4 if broad else 1.0), 14), "glass", 2.9))
    return parts


# ------------------------------------------------------------------------------------------ rotorcraft


def _rotorcraft(eq: EquipmentType, state: str, rng: np.random.Generator) -> list[Part]:
    s = eq.shape
    L, D = eq.length_m, eq.width_m
    fw = float(s.get("fuselage_width_m", 2.2))
    attack = "attack" in eq.category
    coaxial = s.get("rotors") == "coaxial"
    nb = int(s.get("blades", 5))
    hub_x = 0.12 * L
    parts: list[Part] = []
    cabin_back = -0.02 * L if not coaxial else -0.15 * L
    parts.append(Part(_mirror([(L / 2, 0.0), (L / 2 - 0.05 * L, 0.35 * fw), (L / 2 - 0.14 * L, fw / 2),
                               (cabin_back, fw / 2), (cabin_back - 0.08 * L, 0.25 * fw), (-L / 2 + 0.03 * L, 0.13 * fw),
                               (-L / 2, 0.1 * fw)]), "paint", 3.2, True))
    if attack:
        span = 0.42 * L if not coaxial else 0.5 * L
        parts.append(Part(_rect(hub_x - 0.12 * L, hub_x - 0.02 * L, -span / 2, span / 2), "paint", 2.4, True))
        for sign in (1, -1):
            parts.append(Part(_rect(hub_x - 0.11 * L, hub_x - 0.03 * L, sign * span / 2 - 0.35, sign * span / 2 + 0.35),
                              "dark", 2.2))
    else:
        for sign in (1, -1):
            parts.append(Part(_rect(hub_x - 0.15 * L, hub_x - 0.32 * L, sign * fw / 2, sign * (fw / 2 + 0.7)),
                              "paint2", 2.0))
    parts.append(Part(_rect(-0.36 * L, -0.41 * L, -0.12 * L, 0.12 * L), "paint", 3.0, True))
    parts.append(Part(_rect(hub_x - 0.2 * L, hub_x + 0.1 * L, -0.3 * fw, 0.3 * fw), "engine", 4.0))
    glass_x = L / 2 - 0.08 * L
    parts.append(Part(_ellipse(glass_x, 0.0, 0.07 * L, 0.35 * fw, 12), "glass", 3.0))
    if not coaxial:
        parts.append(Part(_rect(-L / 2 + 0.01 * L, -L / 2 + 0.14 * L, 0.35, 0.6), "black", 4.5))
    parts.append(Part(_ellipse(hub_x, 0.0, 0.5, 0.5, 10), "black", 5.0))
    if state not in ("rotor_removed", "dismantled"):
        chord = 0.52 if D > 16 else 0.45
        a0 = rng.uniform(0, 2 * math.pi)
        sets = [(a0, 5.0)] if not coaxial else [(a0, 5.3), (a0 + math.pi / nb, 4.6)]
        for start, h in sets:
            for k in range(nb):
                parts.append(Part(_blade(hub_x, 0.0, start + 2 * math.pi * k / nb, D / 2, chord), "blade", h))
    return parts


# ------------------------------------------------------------------------------------------ vehicles


def _vehicle(eq: EquipmentType, state: str, rng: np.random.Generator) -> list[Part]:
    body = str(eq.shape.get("body", "truck"))
    L, W = eq.length_m, eq.width_m
    parts: list[Part] = []
    deployed = state == "deployed"
    if body == "apc":
        parts.append(Part(_mirror([(L / 2, 0.0), (L / 2 - 0.6, 0.35 * W), (L / 2 - 1.6, W / 2), (-L / 2, W / 2)]),
                          "paint", 2.3, True))
        parts.append(Part(_ellipse(0.05 * L, 0.0, 0.75, 0.75, 12), "paint2", 2.9))
        parts.append(Part(_rect(0.05 * L, 0.05 * L + 2.2, -0.1, 0.1), "black", 2.9))
        return parts
    cab_len = 0.22 * L if body != "semi_trailer_launcher" else 0.28 * L
    x_cab = L / 2 - cab_len
    parts.append(Part(_rect(-L / 2, L / 2, -W / 2, W / 2), "dark", 1.2))  # chassis and wheels
    if body in ("launcher", "radar_flat_array", "radar_rotating_array", "turret"):  # MAZ/KamAZ: two small cabs
        for sign in (1, -1):
            parts.append(Part(_rect(x_cab, L / 2, sign * 0.15 * W, sign * 0.5 * W), "paint", 2.9, True))
        parts.append(Part(_rect(x_cab, L / 2 - 0.4, -0.15 * W, 0.15 * W), "engine", 2.4))
    else:
        parts.append(Part(_rect(x_cab, L / 2, -0.47 * W, 0.47 * W), "paint", 2.9, True))
        parts.append(Part(_rect(L / 2 - 0.55, L / 2 - 0.25, -0.4 * W, 0.4 * W), "glass", 2.9))
    rear0, rear1 = -L / 2, x_cab - 0.3
    if body == "truck":
        parts.append(Part(_rect(rear0, rear1, -0.5 * W, 0.5 * W), "tarp", 3.1))
        for k in range(1, 4):
            x = rear0 + (rear1 - rear0) * k / 4
            parts.append(Part(_rect(x - 0.08, x + 0.08, -0.5 * W, 0.5 * W), "dark", 3.15))
    elif body == "box":
        parts.append(Part(_rect(rear0, rear1, -0.5 * W, 0.5 * W), "light", 3.4))
        parts.append(Part(_rect(rear0 + 0.5, rear0 + 1.7, -0.2 * W, 0.2 * W), "dark", 3.5))
    elif body in ("launcher", "semi_trailer_launcher"):
        tube_w = 0.36 * W
        if deployed:
            parts.append(Part(_rect(rear0 + 0.6, rear1 - 0.5, -0.2 * W, 0.2 * W), "paint2", 1.8))
            for sign in (1, -1):
                parts.append(Part(_rect(rear0 - 0.4, rear0 + 1.7, sign * 0.02 * W, sign * (0.02 * W + 0.9)), "paint",
                                  10.0, True))
            for sign in (1, -1):  # outrigger jacks
                parts.append(Part(_rect(rear0 + 0.5, rear0 + 1.0, sign * 0.5 * W, sign * 0.68 * W), "dark", 0.8))
        else:
            for sign in (1, -1):
                parts.append(Part(_rect(rear0 - 0.3, rear1, sign * 0.02 * W, sign * (0.02 * W + tube_w)), "paint",
                                  3.6, True))
                parts.append(Part(_rect(rear0 - 0.3, rear1, sign * (0.02 * W + tube_w * 0.45),
                                        sign * (0.02 * W + tube_w * 0.55)), "dark", 3.65))
    elif body == "radar_flat_array":
        if deployed:
            parts.append(Part(_rect(rear0 + 0.5, rear1, -0.3 * W, 0.3 * W), "paint2", 2.2))
            parts.append(Part(_rect(rear0 + 0.3 * (rear1 - rear0), rear0 + 0.3 * (rear1 - rear0) + 1.0,
                                    -0.75 * W, 0.75 * W), "light", 8.0))
        else:
            parts.append(Part(_rect(rear0 + 0.2, rear1 - 0.2, -0.48 * W, 0.48 * W), "light", 3.4))
            parts.append(Part(_rect(rear0 + 0.4, rear1 - 0.4, -0.38 * W, 0.38 * W), "paint2", 3.45))
    elif body == "radar_rotating_array":
        if deployed:
            parts.append(Part(_rect(rear0 + 0.5, rear1, -0.3 * W, 0.3 * W), "paint2", 2.2))
            xa = rear0 + 0.45 * (rear1 - rear0)
            parts.append(Part(_rect(xa, xa + 1.3, -1.1 * W, 1.1 * W), "light", 9.0))
        else:
            parts.append(Part(_rect(rear0 - 0.6, rear1 - 0.2, -0.55 * W, 0.55 * W), "light", 3.8))
            for k in range(5):
                x = rear0 + (rear1 - rear0) * (k + 0.5) / 5
                parts.append(Part(_rect(x - 0.1, x + 0.1, -0.5 * W, 0.5 * W), "dark", 3.85))
    elif body == "turret":
        parts.append(Part(_rect(rear0, rear1, -0.45 * W, 0.45 * W), "paint2", 2.4))
        parts.append(Part(_ellipse(rear0 + 0.45 * (rear1 - rear0), 0.0, 1.3, 1.1, 14), "paint", 3.4, True))
        for sign in (1, -1):
            parts.append(Part(_rect(rear0 + 0.8, rear0 + 3.6, sign * 0.55, sign * 1.45), "dark", 3.6))
        if deployed:
            parts.append(Part(_rect(rear0 + 1.5, rear0 + 2.1, -1.0, 1.0), "light", 4.8))
    return parts


# ------------------------------------------------------------------------------------------ ships


def _ship(eq: EquipmentType, state: str, rng: np.random.Generator) -> list[Part]:
    hull = str(eq.shape.get("hull", "combatant"))
    L, B = eq.length_m, eq.width_m
    parts: list[Part] = []
    if hull == "submarine":
        parts.append(Part(_mirror([(L / 2, 0.0), (L / 2 - 0.06 * L, 0.35 * B), (0.3 * L, 0.5 * B), (-0.25 * L, 0.5 * B),
                                   (-0.42 * L, 0.3 * B), (-L / 2, 0.05 * B)]), "black", 1.0))
        parts.append(Part(_mirror([(0.2 * L, 0.0), (0.18 * L, 0.13 * B), (0.05 * L, 0.15 * B),
                                   (0.03 * L, 0.0)]), "dark", 7.0))
        parts.append(Part(_rect(-0.47 * L, -0.44 * L, -0.35 * B, 0.35 * B), "dark", 1.2))
        return parts
    blunt = hull in ("tanker", "cargo", "landing")
    bow = [(L / 2, 0.0), (L / 2 - 0.07 * L, 0.28 * B), (0.3 * L, 0.48 * B)] if not blunt else \
          [(L / 2, 0.0), (L / 2 - 0.02 * L, 0.3 * B), (0.4 * L, 0.5 * B)]
    parts.append(Part(_mirror(bow + [(-0.42 * L, 0.5 * B), (-L / 2, 0.44 * B)]), "deck", 4.0))
    parts.append(Part(_mirror([(L / 2 - 0.01 * L, 0.0), (L / 2 - 0.08 * L, 0.24 * B), (0.28 * L, 0.44 * B),
                               (-0.41 * L, 0.46 * B), (-0.49 * L, 0.4 * B)]), "paint", 4.5))
    if hull == "combatant":
        parts.append(Part(_ellipse(0.36 * L, 0.0, 0.015 * L, 0.1 * B, 12), "super", 6.0))
        parts.append(Part(_rect(0.24 * L, 0.31 * L, -0.22 * B, 0.22 * B), "dark", 4.6))
        parts.append(Part(_mirror([(0.2 * L, 0.0), (0.19 * L, 0.35 * B), (-0.12 * L, 0.38 * B), (-0.3 * L, 0.4 * B),
                                   (-0.3 * L, 0.0)]), "super", 12.0))
        parts.append(Part(_rect(0.02 * L, 0.1 * L, -0.12 * B, 0.12 * B), "light", 22.0))
        parts.append(Part(_rect(-0.12 * L, -0.06 * L, -0.13 * B, 0.13 * B), "dark", 16.0))
        parts.append(Part(_rect(-0.3 * L, -0.48 * L, -0.42 * B, 0.42 * B), "helideck", 5.0))
        parts.append(Part(_ellipse(-0.39 * L, 0.0, 0.3 * B, 0.3 * B, 18), "white", 5.05))
        parts.append(Part(_ellipse(-0.39 * L, 0.0, 0.25 * B, 0.25 * B, 18), "helideck", 5.1))
    elif hull == "tanker":
        parts.append(Part(_rect(-0.28 * L, 0.4 * L, -0.04 * B, 0.04 * B), "dark", 5.0))
        for k in range(6):
            x = -0.2 * L + k * 0.1 * L
            parts.append(Part(_rect(x - 0.006 * L, x + 0.006 * L, -0.4 * B, 0.4 * B), "dark", 6.5))
        parts.append(Part(_rect(-0.3 * L, -0.45 * L, -0.42 * B, 0.42 * B), "white", 16.0))
        parts.append(Part(_rect(-0.4 * L, -0.44 * L, -0.1 * B, 0.1 * B), "black", 20.0))
    else:
        for k in range(5):
            x = 0.35 * L - k * 0.13 * L
            parts.append(Part(_rect(x - 0.1 * L, x, -0.38 * B, 0.38 * B), "paint2", 5.0))
        x_sup = -0.1 * L if hull == "landing" else -0.3 * L
        parts.append(Part(_rect(x_sup - 0.15 * L, x_sup, -0.42 * B, 0.42 * B), "white", 14.0))
    if state == "moving":
        for sign in (1, -1):
            parts.insert(0, Part(_side([(-0.45 * L, 0.4 * B), (-1.6 * L, 0.9 * L * 0.35),
                                        (-1.6 * L, 0.9 * L * 0.33), (-0.5 * L, 0.2 * B)], sign), "foam", 0.0))
    return parts


def build_planform(eq: EquipmentType, state: str, rng: np.random.Generator) -> list[Part]:
    """The silhouette of one object of type `eq` in `state` (body frame, back to front drawing order)."""
    form = str(eq.shape.get("form", "vehicle"))
    if form == "fixed_wing":
        return _fixed_wing(eq, state, rng)
    if form == "rotorcraft":
        return _rotorcraft(eq, state, rng)
    if form == "ship":
        return _ship(eq, state, rng)
    return _vehicle(eq, state, rng)
