"""Synthetic site imagery with ground truth: scenario files in, georeferenced COGs, labels, STAC and texts out.

    from basewatch.synth import render, load_scenario, builtin_scenarios
    result = render("khmeimim-dec2024", "out/khmeimim")
    result.manifest_path, [i.path for i in result.images]

The scenario format is documented in `basewatch.synth.scenario` and `synth/FORMAT.md`. The library never imports
typer or click; the CLI lives in `basewatch.cli.synth`.
"""

from basewatch.synth.render import RenderedImage, RenderResult, Scene, render, render_scene, scene_frame
from basewatch.synth.scenario import (
    Acquisition,
    DateSpec,
    EquipmentSpec,
    Footprint,
    Scenario,
    TextItem,
    builtin_scenarios,
    load_scenario,
    parse_scenario,
    scenario_path,
)

__all__ = [
    "Acquisition",
    "DateSpec",
    "EquipmentSpec",
    "Footprint",
    "RenderResult",
    "RenderedImage",
    "Scenario",
    "Scene",
    "TextItem",
    "builtin_scenarios",
    "load_scenario",
    "parse_scenario",
    "render",
    "render_scene",
    "scenario_path",
    "scene_frame",
]
