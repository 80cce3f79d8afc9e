"""Feasibility of a real-pixel type classifier: frozen ImageNet EfficientNet-Lite0 features of the real type chips
(`../shared/data/ru-aircraft-type-chips/*/with-background`), a multinomial logistic head, leave-one-chip-out.

    python bench/bench_chip_features.py      # needs the train extra (PyTorch and the Lite0 weights)

Each chip is held out in turn (with its four rotations) while the head is fitted on all the others, so the
figure is measured on chips the head never saw. Chips of one folder may come from one airfield, so it is an
upper bound for new places. Nothing here is packaged yet: it tells the next step whether the pretrained
backbone carries type information on real Google-Earth pixels, where the shipped chip classifier does not.
"""

from __future__ import annotations

import datetime as dt
import platform
import sys
import time
from pathlib import Path

import numpy as np
from record import save

ROOT = Path(__file__).resolve().parents[1]
CHIPS = ROOT.parent / "shared" / "data" / "ru-aircraft-type-chips"
ROTATIONS = (0, 90, 180, 270)
SHARPNESS = 10.0  # logits = SHARPNESS x cosine similarity (features are unit length)
L2 = 1e-3


def features(paths: list[Path]) -> np.ndarray:
    import torch
    from PIL import Image

    from basewatch.train.backbone import EfficientNetLite0, load_imagenet

    net = load_imagenet(EfficientNetLite0()).eval()
    out = []
    for path in paths:
        with Image.open(path) as im:
            rgb = im.convert("RGB")
            for rot in ROTATIONS:
                arr = np.asarray(rgb.rotate(rot, expand=True).resize((224, 224)), dtype=np.float32)
                x = torch.from_numpy(arr).permute(2, 0, 1)[None]
                with torch.no_grad():
                    f = net.features(EfficientNetLite0.normalise(x))[-1].mean(dim=(2, 3))[0].numpy()
                out.append(f / np.linalg.norm(f))
    return np.asarray(out)


def fit_predict(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, n_classes: int) -> np.ndarray:
    import torch

    xt, yt = torch.tensor(x_train, dtype=torch.float32), torch.tensor(y_train)
    w = torch.zeros(xt.shape[1], n_classes, requires_grad=True)
    b = torch.zeros(n_classes, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=200)

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(xt @ w * SHARPNESS + b, yt) + L2 * (w ** 2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    with torch.no_grad():
        return torch.softmax(torch.tensor(x_test, dtype=torch.float32) @ w * SHARPNESS + b, dim=1).numpy()


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    if not CHIPS.exists():
        print("no ../shared/data/ru-aircraft-type-chips: skipped")
        return
    try:
        import torch  # noqa: F401
    except ImportError:
        print("needs the train extra (pip install -e '.[train]'): skipped")
        return
    t0 = time.time()
    folders = sorted(p for p in CHIPS.iterdir() if p.is_dir())
    paths = [png for f in folders for png in sorted((f / "with-background").glob("*.png"))]
    labels = np.repeat([folders.index(p.parent.parent) for p in paths], len(ROTATIONS))
    chip_of = np.repeat(np.arange(len(paths)), len(ROTATIONS))
    x = features(paths)
    rows = []
    for i, path in enumerate(paths):
        held = chip_of == i
        p = fit_predict(x[~held], labels[~held], x[held], len(folders)).mean(axis=0)
        truth, pred = int(labels[held][0]), int(p.argmax())
        rows.append({"chip": f"{path.parent.parent.name}/{path.name}", "truth": folders[truth].name,
                     "predicted": folders[pred].name, "p": round(float(p.max()), 3)})
    right = [r["truth"] == r["predicted"] for r in rows]
    shown = [(r["p"], ok) for r, ok in zip(rows, right, strict=True)]
    high = [ok for p, ok in shown if p >= 0.8]
    save("chip_features", {
        "bench": "chip_features", "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()}", "backbone": "EfficientNet-Lite0 ImageNet, frozen",
        "chips": len(rows), "classes": [f.name for f in folders],
        "leave_one_chip_out_top1": round(sum(right) / len(rows), 3),
        "shown_at_0.8_or_more": len(high), "right_among_them": round(sum(high) / len(high), 3) if high else None,
        "wrong_above_0.6": sum(1 for p, ok in shown if p > 0.6 and not ok),
        "seconds": round(time.time() - t0, 1), "per_chip": rows})


if __name__ == "__main__":
    main()
