"""What every benchmark does with its result: print it, and append it as one JSON line to bench/results/NAME.jsonl.

Run benchmarks as `python bench/bench_NAME.py`, so that this module is importable as `record`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def save(name: str, result: dict[str, Any], *, write: bool = True, indent: int = 2) -> None:
    """Print `result` and, unless `write` is False, append it to `bench/results/<name>.jsonl`."""
    print(json.dumps(result, indent=indent))
    if write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        with (RESULTS / f"{name}.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(result) + "\n")
