"""`basewatch detect`: find aircraft, helicopters, vehicles and ships in images (files or archived evidence)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from basewatch.cli.options import (
    CenterOpt,
    JsonOpt,
    LonLatOpt,
    WorkspaceOpt,
    console,
    open_workspace,
    parse_center,
    print_json,
    print_table,
)

ModelOpt = Annotated[Path | None, typer.Option("--model", help="Model folder (model.onnx + model.json card); "
                                                                "default: the packaged detector.")]


def detect(
    images: Annotated[list[str] | None, typer.Argument(help="Image files (GeoTIFF/COG, JPEG2000, PNG, JPEG), or "
                                                           "evidence ids with --evidence.")] = None,
    gsd: Annotated[float | None, typer.Option("--gsd", help="Ground sample distance in metres per pixel "
                                                            "(needed for images without georeferencing).")] = None,
    center: CenterOpt = None,
    lonlat: LonLatOpt = False,
    crs: Annotated[str | None, typer.Option("--crs", help="CRS of a world file (e.g. EPSG:32637).")] = None,
    model: ModelOpt = None,
    threshold: Annotated[float | None, typer.Option("--threshold", help="Score threshold (default: the "
                                                                        "model card's).")] = None,
    evidence: Annotated[bool, typer.Option("--evidence", help="The arguments are archived image evidence ids: "
                                                              "detections and coverage are stored, replacing "
                                                              "this model's earlier run when georeferencing "
                                                              "options are given.")] = False,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Detect objects; with --evidence, store them (and the image's coverage) in the workspace."""
    from basewatch.errors import InvalidValueError
    from basewatch.imagery.detect import detect_evidence, detect_image
    from basewatch.imagery.runtime import load_detector

    if not images:
        raise InvalidValueError("give image files, or --evidence ID [ID...] with --workspace")
    point = parse_center(center, lonlat=lonlat)
    det = load_detector(model)
    if evidence:
        out = {}
        with open_workspace(workspace) as ws:
            for ev_id in images:
                ws.evidence(ev_id)  # every id checked before the first is processed
            for ev in images:
                found = detect_evidence(ws, ev, model=det, gsd=gsd, center=point, crs=crs, threshold=threshold)
                out[ev] = [d.to_dict() for d in found]
        if json_:
            print_json({"evidence": out})
        else:
            for ev, dets in out.items():
                console.print(f"{escape(ev)}: {len(dets)} detections stored")
        return
    results = []
    if json_ or len(images) == 1:
        for img in map(Path, images):
            results.append(detect_image(img, gsd=gsd, model=det, threshold=threshold, center=point,
                                        crs=crs))
    else:
        from rich.progress import Progress

        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Detecting", total=len(images))
            for img in map(Path, images):
                results.append(detect_image(img, gsd=gsd, model=det, threshold=threshold, center=point,
                                            crs=crs))
                bar.advance(task)
    if json_:
        print_json(results[0].to_dict() if len(results) == 1 else {"results": [r.to_dict() for r in results]})
        return
    for r in results:
        counts = ", ".join(f"{n} {c}" for c, n in sorted(r.counts().items())) or "nothing"
        cov = r.coverage
        console.print(f"[bold]{escape(r.image)}[/]: {counts} ({r.width} x {r.height} px at {r.gsd_m:.2f} m, "
                      f"{r.tiles} tile(s), {r.seconds:.2f} s; cloud {cov.cloud_fraction:.0%}, "
                      f"no-data {cov.nodata_fraction:.0%}; model {escape(r.model)})")
        if r.detections:
            print_table("Detections", ["class", "score", "centre px", "length m", "width m", "lon, lat"],
                        [[d.cls, f"{d.score:.2f}",
                          f"{sum(p[0] for p in d.polygon_px) / 4:.0f}, {sum(p[1] for p in d.polygon_px) / 4:.0f}",
                          f"{d.length_m:.1f}", f"{d.width_m:.1f}",
                          None if d.polygon_lonlat is None else
                          f"{sum(p[0] for p in d.polygon_lonlat) / 4:.5f}, "
                          f"{sum(p[1] for p in d.polygon_lonlat) / 4:.5f}"] for d in r.detections[:50]])
