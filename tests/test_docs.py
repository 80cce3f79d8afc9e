"""Every command has help text and is documented in the README (sqlite-utils' test_docs habit)."""

from pathlib import Path

import typer

from basewatch.cli.main import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix: str = "basewatch"):
    for name, cmd in group.commands.items():
        path = f"{prefix} {name}"
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, path)
        else:
            yield path, cmd


def test_every_command_has_help_and_is_in_the_readme():
    root = typer.main.get_command(app)
    commands = list(_commands(root))
    assert len(commands) >= 12
    for path, cmd in commands:
        assert (cmd.help or "").strip(), f"{path} has no help"
        group, _, leaf = path.rpartition(" ")
        documented = any(path in line or (f"{group} " in line and leaf in line.split(group, 1)[1])
                         for line in README.splitlines())
        assert documented, f"{path} is not documented in README.md"
        for param in cmd.params:
            if param.param_type_name == "option" and not getattr(param, "hidden", False):
                assert param.help, f"{path} {param.opts[0]} has no help"


def test_the_cli_reference_is_up_to_date():
    from basewatch.cli.reference import reference

    committed = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == reference(), "docs/cli.md is stale: run 'python -m basewatch.cli.reference > docs/cli.md'"
