"""Benchmark of the claim extractor (not a timed test).

1. Accuracy on the seed article's gold (../shared/texts, skipped when absent): recall on core rows, precision,
   per-field accuracy. Targets: core recall 1.0, precision >= 0.8, site and state >= 0.95.
2. Accuracy on the project's own gold texts (tests/text/gold/*.gold.jsonl, micro-averaged). Target: core recall
   >= 0.8.
3. Throughput on ONE core (CPU affinity pinned, BLAS threads 1), model load excluded: articles of about 700 words
   (built from the example texts), median of N passes. Target: >= 10 articles/s.

Prints the figures and appends one JSON line to bench/results/claims.jsonl.
Run: .venv/bin/python bench/bench_claims.py [--repeat 5]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import glob  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from importlib import resources  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402
from record import save  # noqa: E402

from basewatch.eval.claims import combine, evaluate_gold  # noqa: E402
from basewatch.text import extract_claims  # noqa: E402
from basewatch.text.nlp import pipeline  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "texts" / "seed-article.gold.jsonl"


def _articles(words: int = 700) -> list[tuple[str, str]]:
    """~700-word articles made of the example texts (each text once per article, rotating the start)."""
    texts = []
    for name in ("khmeimim-dec2024", "tartus-dec2024"):
        data = yaml.safe_load(resources.files("basewatch.synth").joinpath("scenarios", f"{name}.texts.yaml")
                              .read_text("utf-8"))
        texts += [(t["body"], str(t["published"])[:10]) for t in data["texts"]]
    out = []
    for start in range(len(texts)):
        parts, n, i = [], 0, start
        while n < words:
            body, pub = texts[i % len(texts)]
            parts.append(body)
            n += len(body.split())
            i += 1
        out.append(("\n\n".join(parts), texts[start][1]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    record: dict = {"date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                    "machine": platform.machine(), "nproc": os.cpu_count(), "python": platform.python_version()}
    t0 = time.perf_counter()
    pipeline()
    record["model_load_s"] = round(time.perf_counter() - t0, 3)
    if SEED.is_file():
        r = evaluate_gold(SEED, published="2024-12-14")
        record["seed"] = {k: r[k] for k in ("gold", "core", "predicted", "matched", "recall", "recall_core",
                                             "precision", "precision_strict", "field_accuracy")}
    else:
        record["seed"] = "skipped: ../shared/texts absent"
    own = [evaluate_gold(p) for p in sorted(glob.glob(str(ROOT / "tests" / "text" / "gold" / "*.gold.jsonl")))]
    record["own_gold"] = combine(own)
    docs = _articles()
    extract_claims(docs[0][0], published=docs[0][1])  # warm-up (gazetteer build)
    walls, cpus, claims = [], [], 0
    for _ in range(args.repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        claims = sum(len(extract_claims(text, published=pub)) for text, pub in docs)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    words = statistics.mean(len(t.split()) for t, _ in docs)
    record["throughput"] = {"articles": len(docs), "mean_words": round(words), "claims_per_pass": claims,
                            "articles_per_s_wall": round(len(docs) / statistics.median(walls), 1),
                            "articles_per_s_cpu": round(len(docs) / statistics.median(cpus), 1),
                            "runs_wall_s": [round(w, 3) for w in walls]}
    record["targets"] = {"seed_recall_core": 1.0, "seed_precision": 0.8, "seed_site_state": 0.95,
                         "own_recall_core": 0.8, "articles_per_s": 10}
    save("claims", record)


if __name__ == "__main__":
    main()
