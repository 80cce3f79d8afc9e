"""Model cards: the STAC MLM-style JSON that must sit beside every ONNX detector basewatch runs.

Why a card is required: an ONNX file alone does not say which classes its outputs mean, at which ground
sample distance it was trained, or how its outputs are laid out; guessing any of these gives confident
nonsense. The runtime reads only what is here (plus the ONNX graph, which it checks against the card).

Layout of a model folder: `model.json` (this card; a STAC Item with the MLM extension) and the ONNX file its
`assets.model.href` names. basewatch reads these properties:

- `mlm:name`, `mlm:input[0]` (name, shape, value range), `mlm:output` (names, shapes, classes)
- `basewatch:output_layout`: `centernet-obb-v1` (basewatch's own) or `ultralytics-yolo-obb`
- `basewatch:gsd_m` (the GSD images are resampled to) and `basewatch:gsd_range_m` (native GSDs accepted)
- `basewatch:classes`: the model's class names, in output order, mapped onto basewatch classes
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from basewatch.errors import InputFileError
from basewatch.model import DETECTION_CLASSES

CARD_NAME = "model.json"
LAYOUTS = ("centernet-obb-v1", "ultralytics-yolo-obb")
MLM_SCHEMA = "https://stac-extensions.github.io/mlm/v1.4.0/schema.json"


class ModelError(InputFileError):
    """A detector model folder is unusable: no card, a bad card, or outputs that do not match it."""


@dataclass(frozen=True)
class ModelCard:
    id: str
    onnx_path: Path
    layout: str
    classes: tuple[str, ...]          # basewatch class of each model output class ("" = ignored)
    gsd_m: float
    gsd_range_m: tuple[float, float]
    input_name: str
    input_size: int | None            # fixed square input (YOLO) or None (any size, padded)
    pad_multiple: int = 32
    stride: int = 4
    tile_px: int = 1024
    overlap_px: int = 192
    single_pass_px: int = 1600
    score_threshold: float = 0.5
    box_mode: dict[str, str] = field(default_factory=dict)
    value_scale: float = 1.0          # input = pixel (0..255) * value_scale
    score_calibration: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def licence(self) -> str:
        return str(self.raw.get("properties", {}).get("license") or self.raw.get("license") or "unknown")


def _need(props: dict[str, Any], key: str, where: Path) -> Any:
    if key not in props:
        raise ModelError(f"{where}: the model card lacks '{key}'; add it (see basewatch.imagery.modelcard)")
    return props[key]


def read_card(model_dir: Path | str) -> ModelCard:
    """Read and check a model folder's card; raises ModelError naming the problem and the fix."""
    d = Path(model_dir)
    if d.is_file() and d.suffix == ".onnx":
        d = d.parent
        if not (d / CARD_NAME).is_file():
            raise ModelError(f"{model_dir}: an ONNX file without a model card; put a {CARD_NAME} (STAC MLM card "
                             "with classes, GSD and output layout) beside it")
    card_path = d / CARD_NAME
    if not d.is_dir():
        raise ModelError(f"{d}: no such model folder; give the folder holding model.onnx and {CARD_NAME}")
    if not card_path.is_file():
        raise ModelError(f"{d}: no model card ({CARD_NAME}); every model needs one that states its classes, "
                         "input size, GSD range and output layout")
    try:
        raw = json.loads(card_path.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{card_path}: not valid JSON ({exc}); fix the card") from exc
    props = raw.get("properties", raw)
    layout = _need(props, "basewatch:output_layout", card_path)
    if layout not in LAYOUTS:
        raise ModelError(f"{card_path}: unknown output layout {layout!r}; use one of {', '.join(LAYOUTS)}")
    href = (raw.get("assets", {}).get("model", {}) or {}).get("href", "model.onnx")
    onnx_path = d / href
    if not onnx_path.is_file():
        raise ModelError(f"{card_path}: the card names {href!r} but there is no such file beside it")
    names = _need(props, "basewatch:classes", card_path)
    mapping = props.get("basewatch:class_map", {})
    classes = tuple(mapping.get(n, n if n in DETECTION_CLASSES else "") for n in names)
    if not any(classes):
        raise ModelError(f"{card_path}: none of the model's classes maps onto {', '.join(DETECTION_CLASSES)}; "
                         "add 'basewatch:class_map'")
    inputs = _need(props, "mlm:input", card_path)
    shape = inputs[0].get("input", {}).get("shape", [])
    size = shape[-1] if len(shape) == 4 and isinstance(shape[-1], int) and shape[-1] > 0 else None
    gsd = float(_need(props, "basewatch:gsd_m", card_path))
    rng = props.get("basewatch:gsd_range_m", [gsd / 4, gsd * 2])
    return ModelCard(
        id=str(props.get("mlm:name") or raw.get("id") or d.name), onnx_path=onnx_path, layout=layout,
        classes=classes, gsd_m=gsd, gsd_range_m=(float(rng[0]), float(rng[1])),
        input_name=inputs[0].get("name", "image"), input_size=size,
        pad_multiple=int(props.get("basewatch:pad_multiple", 32)), stride=int(props.get("basewatch:stride", 4)),
        tile_px=int(props.get("basewatch:tile_px", size or 1024)),
        overlap_px=int(props.get("basewatch:overlap_px", 192 if size is None else size // 5)),
        single_pass_px=int(props.get("basewatch:single_pass_px", 1600 if size is None else size)),
        score_threshold=float(props.get("basewatch:score_threshold", 0.5)),
        score_calibration=_calibration(props.get("basewatch:score_calibration", {}), card_path),
        box_mode=dict(props.get("basewatch:box_mode", {})),
        value_scale=float(props.get("basewatch:value_scale", 1.0)), raw=raw)


def write_card(model_dir: Path, properties: dict[str, Any], *, onnx_name: str = "model.onnx",
               item_id: str | None = None) -> Path:
    """Write a STAC Item card (MLM extension) for the ONNX file in `model_dir`."""
    item = {
        "type": "Feature", "stac_version": "1.0.0", "stac_extensions": [MLM_SCHEMA],
        "id": item_id or properties.get("mlm:name", model_dir.name), "geometry": None,
        "properties": properties,
        "assets": {"model": {"href": onnx_name, "type": "application/octet-stream; application=onnx",
                             "roles": ["mlm:model"], "title": "ONNX model"}},
        "links": [],
    }
    path = model_dir / CARD_NAME
    path.write_text(json.dumps(item, indent=2) + "\n", encoding="utf-8")
    return path


def _calibration(spec: Any, where: Path) -> dict[str, tuple[tuple[float, ...], tuple[float, ...]]]:
    """`basewatch:score_calibration`: per class, raw-score knots and the share of true detections at each
    (fitted on a validation split), so that scores read as probabilities and expected counts add up."""
    out = {}
    for cls, knots in (spec or {}).items():
        raw, cal = knots.get("raw", []), knots.get("calibrated", [])
        ok = (len(raw) == len(cal) >= 2 and all(a < b for a, b in zip(raw, raw[1:], strict=False))
              and all(a <= b for a, b in zip(cal, cal[1:], strict=False)) and 0 <= min(cal) and max(cal) <= 1)
        if not ok:
            raise ModelError(f"{where}: basewatch:score_calibration[{cls!r}] needs equally long 'raw' (increasing) "
                             "and 'calibrated' (non-decreasing, 0..1) lists; fix the card or remove the entry")
        out[str(cls)] = (tuple(map(float, raw)), tuple(map(float, cal)))
    return out
