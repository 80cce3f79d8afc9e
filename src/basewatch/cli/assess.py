"""`basewatch assess SITE`: key judgements, the ACH matrix, contradictions and gaps for a site as of a date."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from basewatch.cli.options import JsonOpt, WorkspaceOpt, console, open_workspace, print_json, print_table


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    """Like print_table, but long ids fold instead of being cut, so they stay searchable."""
    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*["" if v is None else escape(str(v)) for v in row])
    console.print(table)


def assess(
    site: Annotated[str, typer.Argument(help="Site id or name (see 'basewatch sites list').")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Assess with what was known by this date "
                                                              "(ISO 8601); default: the latest data.")] = None,
    history: Annotated[bool, typer.Option("--history", help="Show the stored assessments of the site instead.")]
    = False,
    no_store: Annotated[bool, typer.Option("--no-store", help="Do not store the result in the workspace.")] = False,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Assess a site: indicators, competing hypotheses (ACH), ICD 203 likelihood, confidence, contradictions, gaps.

    Indicators and hypotheses are read from the built-in definitions, overridden by indicators.yaml and
    hypotheses.yaml in the workspace directory.
    """
    from basewatch.assess import assess_site, assessment_history

    with open_workspace(workspace) as ws:
        if history:
            items = assessment_history(ws, site)
            if json_:
                print_json({"site": ws.site(site).id, "assessments": [a.to_dict() for a in items]})
            else:
                print_table(f"Assessments of {ws.site(site).id}", ["as of", "leading", "likelihood", "confidence",
                                                                    "created"],
                            [[a.as_of.isoformat(), a.leading.id if a.leading else None,
                              a.leading.likelihood if a.leading else None, a.confidence,
                              a.created_at.isoformat() if a.created_at else None] for a in items])
            return
        result = assess_site(ws, site, as_of, store=not no_store)
        if not no_store:
            from basewatch.alerts import check_alerts

            check_alerts(ws, result.site.id)  # a changed judgement or a newly fired indicator is recorded and posted
    data = result.to_dict()
    if json_:
        print_json(data)
        return
    _print_readable(data)


def _print_readable(data: dict[str, Any]) -> None:
    lead = data["leading"]
    if lead is None:
        head = "[bold]no judgement yet[/]"
    else:
        tied = " = ".join([lead["id"], *lead.get("tied_with", [])]) if lead.get("tied_with") else lead["label"]
        head = f"leading hypothesis [bold]{escape(tied)}[/] ({escape(lead['likelihood'])})"
    console.print(f"[bold]{escape(data['site'])}[/] as of {escape(data['as_of'])}: {head}; "
                  f"confidence {escape(data['confidence'])}.")
    console.print("[bold]Key judgements[/]")
    for j in data["judgements"]:
        console.print(f"  - {escape(j)}")
    hyps = [h["id"] for h in data["hypotheses"]]
    short = [h[:6] for h in hyps]
    _table("Hypotheses", ["hypothesis", "probability", "likelihood", "weighted inconsistency"],
                [[h["label"], f"{h['score']:.2f}", h["likelihood"], f"{h['inconsistency']:.2f}"]
                 for h in data["hypotheses"]])
    _table("ACH matrix (ratings CC C N I II; weight = credibility x diagnosticity)",
                ["indicator", "value", "weight", *short],
                [[r["indicator"], r["value"], f"{r['weight']:.2f}", *[r["ratings"][h] for h in hyps]]
                 for r in data["matrix"]])
    _table("Indicators", ["indicator", "value", "detail", "evidence"],
                [[i["id"], i["value"], i["detail"][:90], ", ".join(i["evidence"][:3])] for i in data["indicators"]])
    if data["contradictions"]:
        _table("Contradictions", ["claim", "against", "explanation"],
                    [[f"{c['claim']['speaker']} ({c['claim']['source']}, {c['claim']['grade']}): "
                      f"{c['claim']['state']}", c["against"]["summary"][:80], c["explanation"][:140]]
                     for c in data["contradictions"]])
    if data["gaps"]:
        console.print("[bold]Gaps[/]")
        for g in data["gaps"]:
            console.print(f"  - {escape(g['text'])}")
