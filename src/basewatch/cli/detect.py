"""`basewatch detect`: find aircraft, helicopters, vehicles and ships in images (files or archived evidence)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from basewatch.cli.options import JsonOpt, WorkspaceOpt, console, open_workspace, print_json, print_table

ModelOpt = Annotated[Path | None, typer.Option("--model", help="Model folder (model.onnx + model.json card); "
                                                                "default: the packaged detector.")]


def _center(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    from basewatch.errors import InvalidValueError

    try:
        lon, lat = (float(v) for v in value.split(","))
    except ValueError:
        raise InvalidValueError(f"--center {value!r}: give LON,LAT in degrees, e.g. 35.401,35.412") from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidValueError(f"--center {value!r}: longitude must be -180..180 and latitude -90..90")
    return lon, lat


def detect(
    images: Annotated[list[Path] | None, typer.Argument(help="Image files: GeoTIFF/COG, JPEG2000, PNG, JPEG.")]
    = None,
    gsd: Annotated[float | None, typer.Option("--gsd", help="Ground sample distance in metres per pixel "
                                                            "(needed for images without georeferencing).")] = None,
    center: Annotated[str | None, typer.Option("--center", help="LON,LAT of the image centre (with --gsd, "
                                                                "north-up) to georeference a screenshot.")] = None,
    crs: Annotated[str | None, typer.Option("--crs", help="CRS of a world file (e.g. EPSG:32637).")] = None,
    model: ModelOpt = None,
    threshold: Annotated[float | None, typer.Option("--threshold", help="Score threshold (default: the "
                                                                        "model card's).")] = None,
    evidence: Annotated[list[str] | None, typer.Option("--evidence", help="Archived image evidence id(s) "
                                                                          "instead of files: detections are "
                                                                          "stored as observations.")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Detect objects; with --evidence, store them (and the image's coverage) in the workspace."""
    from basewatch.errors import InvalidValueError
    from basewatch.imagery.detect import detect_evidence, detect_image
    from basewatch.imagery.runtime import load_detector

    if not images and not evidence:
        raise InvalidValueError("give image files, or --evidence ID with --workspace")
    det = load_detector(model)
    if evidence:
        out = {}
        with open_workspace(workspace) as ws:
            for ev in evidence:
                found = detect_evidence(ws, ev, model=det, gsd=gsd, threshold=threshold)
                out[ev] = [d.to_dict() for d in found]
        if json_:
            print_json({"evidence": out})
        else:
            for ev, dets in out.items():
                console.print(f"{escape(ev)}: {len(dets)} detections stored")
        return
    results = []
    if json_ or len(images or []) == 1:
        for img in images or []:
            results.append(detect_image(img, gsd=gsd, model=det, threshold=threshold, center=_center(center),
                                        crs=crs))
    else:
        from rich.progress import Progress

        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Detecting", total=len(images or []))
            for img in images or []:
                results.append(detect_image(img, gsd=gsd, model=det, threshold=threshold, center=_center(center),
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
