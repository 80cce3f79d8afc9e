"""The training loop of the default detector: focal heatmap loss + L1 box regression, AdamW, cosine decay.

Runs on CPU in the background (checkpoint every epoch, `resume=True` picks up where it stopped, progress
in `train.log`). The learning-rate schedule follows max(step fraction, time fraction), so a run given a
time budget still anneals properly on a busy machine; with an idle machine it is fully determined by the seed.
"""

from __future__ import annotations

import json
import math
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch

from basewatch.model import DETECTION_CLASSES
from basewatch.train.data import AXIS_CLASSES, STRIDE, CropSampler, Scene
from basewatch.train.net import NETWORKS, ExportWrapper


@dataclass
class TrainConfig:
    steps: int = 3000
    steps_per_epoch: int = 100
    batch: int = 8
    crop: int = 384
    lr: float = 2e-3
    weight_decay: float = 1e-4
    gsd_m: float = 1.0
    max_minutes: float = 55.0
    threads: int = 2
    seed: int = 0
    eval_every: int = 5
    arch: str = "lite0"
    source_weights: dict[str, float] = field(default_factory=lambda: {"airbus": 0.5, "nwpu": 0.3, "dota": 0.06,
                                                                       "mar20": 0.04, "synth": 0.1,
                                                                       "analyst": 0.2})


def focal_loss(logits: torch.Tensor, target: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """CenterNet's penalty-reduced focal loss, normalised by the number of object centres; `mask` (N, H, W)
    is 0 where nothing is taught (objects nobody vouched for)."""
    p = torch.sigmoid(logits).clamp(1e-4, 1 - 1e-4)
    pos = target.eq(1).float()
    pos_loss = torch.log(p) * (1 - p) ** 2 * pos
    neg_loss = torch.log(1 - p) * p ** 2 * (1 - target) ** 4 * (1 - pos)
    if mask is not None:
        neg_loss = neg_loss * mask.unsqueeze(1)
    n = pos.sum().clamp(min=1.0)
    return -(pos_loss.sum() + neg_loss.sum()) / n


def box_loss(pred: torch.Tensor, t: dict[str, torch.Tensor]) -> torch.Tensor:
    w, ws, wa = t["wreg"].unsqueeze(1), t["wsize"].unsqueeze(1), t["wang"].unsqueeze(1)
    l1 = (pred - t["reg"]).abs()
    off = (l1[:, :2] * w).sum() / w.sum().clamp(min=1.0)
    size = (l1[:, 2:4] * ws).sum() / ws.sum().clamp(min=1.0)
    ang = (l1[:, 4:] * wa).sum() / wa.sum().clamp(min=1.0)
    return off + size + ang


def _prefetch(sampler: CropSampler, batch: int, depth: int = 3) -> Callable[[], tuple]:
    q: queue.Queue = queue.Queue(maxsize=depth)

    def work() -> None:
        while True:
            q.put(sampler.batch(batch))

    threading.Thread(target=work, daemon=True).start()
    return q.get


def predict_scene(net: torch.nn.Module, image: np.ndarray, src_gsd: float, gsd_m: float,
                  threshold: float = 0.05, flips: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Torch inference of one scene (validation during training): corners in source pixels, scores, classes."""
    from basewatch.imagery.decode import decode_centernet
    from basewatch.imagery.resample import resample_rgb

    f = gsd_m / src_gsd
    h, w = image.shape[:2]
    oh, ow = max(32, int(round(h / f))), max(32, int(round(w / f)))
    arr = resample_rgb(image, ow, oh)
    ph, pw = -oh % 32, -ow % 32
    x = torch.from_numpy(np.pad(arr, ((0, ph), (0, pw), (0, 0))).transpose(2, 0, 1).astype(np.float32))[None]
    wrapper = ExportWrapper(net, flips=flips).eval()
    with torch.no_grad():
        peaks, boxes = wrapper(x)
    axis = np.array([c in AXIS_CLASSES for c in DETECTION_CLASSES])
    corners, scores, cls = decode_centernet(peaks[0].numpy(), boxes[0].numpy(), stride=STRIDE,
                                            threshold=threshold, axis_classes=axis)
    corners[..., 0] *= w / ow
    corners[..., 1] *= h / oh
    return corners, scores, cls


def validate(net: torch.nn.Module, scenes: list[Scene], gsd_m: float) -> dict[str, float]:
    from basewatch.eval.detection import PredBox, evaluate
    from basewatch.imagery.nms import rotated_nms

    preds, truth = {}, {}
    for sc in scenes:
        corners, scores, cls = predict_scene(net, sc.image, sc.gsd_m, gsd_m)
        keep = rotated_nms(corners, scores, cls, 0.4)
        preds[sc.name] = [PredBox(DETECTION_CLASSES[cls[i]], float(scores[i]), corners[i]) for i in keep]
        truth[sc.name] = sc.objects
    m = evaluate(preds, truth, threshold=0.5)
    best = min(((abs(0.0), 0.5),))  # the operating threshold is fixed at 0.5 for the count figure
    return {"ap50": m.ap50, "precision": m.precision, "recall": m.recall,
            "count_error_median": m.count_error_median, "threshold": best[1]}


def train(scenes: list[Scene], out: Path, cfg: TrainConfig, *, val_scenes: list[Scene] | None = None,
          resume: bool = False, init: Path | None = None, log: Callable[[str], None] = print) -> torch.nn.Module:
    """Train into `out/` (state.pt every epoch, train.log); returns the trained network.

    `init`: start from the weights of a checkpoint (fine-tuning, e.g. on added synthetic scenes)."""
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    weights = [cfg.source_weights.get(s.source, 0.05) / sum(1 for t in scenes if t.source == s.source)
               for s in scenes]
    sampler = CropSampler(scenes, weights, size=cfg.crop, gsd_m=cfg.gsd_m, seed=cfg.seed)
    net = NETWORKS[cfg.arch](len(DETECTION_CLASSES))
    opt = torch.optim.AdamW([p for p in net.parameters() if p.requires_grad], lr=cfg.lr, weight_decay=cfg.weight_decay)
    step, elapsed_before = 0, 0.0
    state_path = out / "state.pt"
    if init is not None:
        net.load_state_dict(torch.load(init, weights_only=False)["model"])
        log(f"initialised from {init}")
    if resume and state_path.is_file():
        st = torch.load(state_path, weights_only=False)
        net.load_state_dict(st["model"])
        opt.load_state_dict(st["opt"])
        step, elapsed_before = st["step"], st["elapsed"]
        sampler.rng = np.random.default_rng([cfg.seed, step])
        log(f"resumed at step {step} ({elapsed_before / 60:.1f} min)")
    (out / "config.json").write_text(json.dumps(asdict(cfg), indent=2))
    next_batch = _prefetch(sampler, cfg.batch)
    t0 = time.time()
    budget = cfg.max_minutes * 60
    warm = 100
    run = {"loss": 0.0, "hm": 0.0, "box": 0.0, "n": 0}
    net.train()
    while True:
        elapsed = elapsed_before + time.time() - t0
        frac = max(step / cfg.steps, elapsed / budget)
        if frac >= 1.0:
            break
        lr = cfg.lr * min(1.0, (step + 1) / warm) * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        x, t = next_batch()
        xt = torch.from_numpy(x)
        tt = {k: torch.from_numpy(v) for k, v in t.items()}
        hm, box = net(xt)
        lh, lb = focal_loss(hm, tt["hm"], tt["hmask"]), box_loss(box, tt)
        loss = lh + lb
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 10.0)
        opt.step()
        step += 1
        run["loss"] += loss.item()
        run["hm"] += lh.item()
        run["box"] += lb.item()
        run["n"] += 1
        if step % cfg.steps_per_epoch == 0:
            epoch = step // cfg.steps_per_epoch
            elapsed = elapsed_before + time.time() - t0
            n = run["n"]
            msg = (f"epoch {epoch} step {step} loss {run['loss'] / n:.4f} hm {run['hm'] / n:.4f} "
                   f"box {run['box'] / n:.4f} lr {lr:.2e} {elapsed / 60:.1f} min")
            run = {"loss": 0.0, "hm": 0.0, "box": 0.0, "n": 0}
            torch.save({"model": net.state_dict(), "opt": opt.state_dict(), "step": step, "elapsed": elapsed},
                       out / "state.tmp")
            (out / "state.tmp").replace(state_path)
            if val_scenes and epoch % cfg.eval_every == 0:
                net.eval()
                m = validate(net, val_scenes, cfg.gsd_m)
                net.train()
                msg += " | val " + " ".join(f"{k} {v:.4f}" for k, v in m.items())
            log(msg)
    elapsed = elapsed_before + time.time() - t0
    torch.save({"model": net.state_dict(), "opt": opt.state_dict(), "step": step, "elapsed": elapsed}, state_path)
    torch.save({"model": net.state_dict(), "step": step, "elapsed": elapsed, "config": asdict(cfg)},
               out / "final.pt")
    log(f"done: {step} steps in {elapsed / 60:.1f} min")
    return net.eval()
