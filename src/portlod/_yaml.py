"""Line-aware YAML: every mapping and sequence remembers the line of each of its items.

Values are kept as the YAML text says them (a date stays a string, so ``2023-02-30`` becomes a
clear error of ours rather than a traceback of the YAML library's date constructor).
"""

from __future__ import annotations

from pathlib import Path
from typing import Union

import yaml

from .errors import Problem

__all__ = ["YList", "YMap", "YValue", "load_yaml"]


class YMap(dict[str, "YValue"]):
    """A YAML mapping with the 1-based line of itself (``line``) and of each key (``lines``)."""

    line: int
    lines: dict[str, int]


class YList(list["YValue"]):
    """A YAML sequence with the 1-based line of itself and of each item."""

    line: int
    lines: list[int]


YValue = Union[YMap, YList, str, int, float, bool, None]

_BOOL = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}


def _scalar(node: yaml.ScalarNode) -> YValue:
    tag = node.tag.rsplit(":", 1)[-1]
    text: str = node.value
    if node.style in ("'", '"'):
        return text
    if tag == "null":
        return None
    if tag == "bool":
        return _BOOL.get(text.lower(), text)
    if tag == "int":
        try:
            return int(text, 0) if not text.lstrip("+-").startswith("0") or text.strip("+-") == "0" else int(text)
        except ValueError:
            return text
    if tag == "float":
        try:
            return float(text)
        except ValueError:
            return text
    return text  # str, timestamp and anything else stay text


def _convert(node: yaml.Node, file: str, problems: list[Problem]) -> YValue:
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        seq = YList()
        seq.line = node.start_mark.line + 1
        seq.lines = []
        for item in node.value:
            seq.append(_convert(item, file, problems))
            seq.lines.append(item.start_mark.line + 1)
        return seq
    assert isinstance(node, yaml.MappingNode)
    mapping = YMap()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(file, line, None, "a mapping key must be a plain word",
                                    "write `field: value`"))
            continue
        key = key_node.value
        if key in mapping:
            problems.append(Problem(file, line, key, f"field {key!r} is given twice in one mapping "
                                    f"(first on line {mapping.lines[key]})", "keep one of them"))
            continue
        mapping[key] = _convert(value_node, file, problems)
        mapping.lines[key] = line
    return mapping


def load_yaml(path: Path, display: str) -> tuple[YValue, list[Problem]]:
    """Read one YAML file; syntax errors come back as problems naming the line, never raised."""
    problems: list[Problem] = []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(display, None, None, f"the file is not UTF-8 ({exc.reason})",
                              "save it as UTF-8")]
    except OSError as exc:
        return None, [Problem(display, None, None, f"cannot read the file: {exc.strerror}", None)]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return None, [Problem(display, line, None, f"YAML syntax error: {exc.problem or exc.context}",
                              "check indentation, colons and quotes on this line")]
    except yaml.YAMLError as exc:
        return None, [Problem(display, None, None, f"YAML error: {exc}", None)]
    if node is None:
        return None, [Problem(display, 1, None, "the file is empty", "see docs/source-format.md")]
    return _convert(node, display, problems), problems
