"""YAML reading that remembers line numbers, so scenario errors can point at the offending line.

`load_marked(text, name)` composes the document (not just loads it) and converts nodes into `MDict` / `MList`
(plain dict / list subclasses) that carry the 1-based line of the node and of every key or item.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from basewatch.errors import ScenarioError


class MDict(dict):
    """A mapping with `line` (where it starts) and `key_lines[key]` (where each key is written)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class MList(list):
    """A sequence with `line` (where it starts) and `item_lines[i]`."""

    line: int = 0
    item_lines: list[int]


_CONSTRUCTOR = SafeConstructor()


def _convert(node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = MDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node)
            key = str(key)
            out[key] = _convert(value_node)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = MList(_convert(v) for v in node.value)
        seq.line = node.start_mark.line + 1
        seq.item_lines = [v.start_mark.line + 1 for v in node.value]
        return seq
    try:
        return _CONSTRUCTOR.construct_object(node, deep=True)
    except (ValueError, yaml.constructor.ConstructorError):
        return node.value  # e.g. an impossible date: keep the text so validation can name it


def load_marked(text: str, name: str) -> Any:
    """Parse YAML text into MDict/MList/scalars; a syntax error becomes a ScenarioError naming the line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise ScenarioError(f"{name} line {line}: invalid YAML ({exc.problem}); fix: correct the syntax") from exc
    if node is None:
        raise ScenarioError(f"{name} line 1: the file is empty; fix: write a scenario (see synth/FORMAT.md)")
    return _convert(node)
