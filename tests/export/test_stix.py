"""The STIX 2.1 bundle validates with the stix2 library, strictly (no custom properties)."""

from __future__ import annotations

import json
from collections import Counter

import stix2

from basewatch.export import stix_bundle
from basewatch.export.stix import ASSESSMENT_DETAIL, CLAIM_DETAIL, IMAGERY_DETECTIONS
from populated import HOSTILE_QUOTE


def test_bundle_validates_and_maps_everything(populated):
    text = stix_bundle(populated).serialize()
    bundle = stix2.parse(text, allow_custom=False)  # raises on any invalid or unknown property
    by_type = Counter(o.type for o in bundle.objects)
    assert by_type["location"] == 2
    assert by_type["extension-definition"] == 3
    assert by_type["sighting"] >= 5 and by_type["infrastructure"] == 5
    assert by_type["report"] == 1 and by_type["note"] == 3
    assert by_type["opinion"] == 1 and by_type["grouping"] == 1
    ids = {o.id for o in bundle.objects}
    for o in bundle.objects:  # every reference resolves inside the bundle
        for ref in [*getattr(o, "object_refs", []), *getattr(o, "where_sighted_refs", []),
                    getattr(o, "sighting_of_ref", None), getattr(o, "created_by_ref", None)]:
            assert ref is None or ref in ids, (o.id, ref)
    ext_defs = {o.id: o for o in bundle.objects if o.type == "extension-definition"}
    assert set(ext_defs) == {IMAGERY_DETECTIONS, CLAIM_DETAIL, ASSESSMENT_DETAIL}
    schema = json.loads(ext_defs[IMAGERY_DETECTIONS].schema)
    assert "detections" in schema["properties"]
    an124 = [s for s in bundle.objects if s.type == "sighting" and s.count == 2]
    assert an124 and an124[0].extensions[IMAGERY_DETECTIONS]["detections"][0]["footprint"]["type"] == "Polygon"
    notes = [o for o in bundle.objects if o.type == "note"]
    assert any(n.content == HOSTILE_QUOTE for n in notes)
    grouping = next(o for o in bundle.objects if o.type == "grouping")
    assert grouping.extensions[ASSESSMENT_DETAIL]["leading"]["id"] == "withdrawal"
    opinion = next(o for o in bundle.objects if o.type == "opinion")
    assert opinion.opinion == "disagree" and opinion.object_refs[0].startswith("note--")


def test_ids_are_stable_and_cli_writes_the_bundle(populated, cli, tmp_path):
    a = {o.id for o in stix_bundle(populated).objects}
    b = {o.id for o in stix_bundle(populated).objects}
    assert a == b
    out = tmp_path / "bundle.json"
    r = cli("export", "stix", "--workspace", populated.root, "--site", "Hmeimim", "--out", out)
    assert r.exit_code == 0, r.output
    parsed = stix2.parse(out.read_text("utf-8"), allow_custom=False)
    assert {o.type for o in parsed.objects} >= {"location", "sighting", "infrastructure", "identity"}
