"""Rule files -> a validated, immutable `RuleSet`, or a `RuleError` listing every problem.

A rule file is a YAML list of rules (or a mapping with a `rules:` list and pack settings). Every
rule has `id`, `kind`, `why`, optional `sites` and `enabled`, and `examples`, plus the fields
of its kind. Validation happens here, before any document is touched: unknown or missing
fields, wrong types, bad regexes, duplicate ids, and examples that the rule itself gets wrong
are all reported as `file:line:col: [id] message`.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from .derived import PatternFacts
from .kinds import KINDS, Kind, NormalizeRule, Page
from .model import DEFAULT_MAX_REMOVED_SHARE, Location, Problem, RuleError, RuleMeta
from .normalize import split_lines
from .scan import TriggerScan
from .schema import Context, Invalid, Reported, boolean, describe, fraction, mapping_items, sequence, text

COMMON_FIELDS = ("id", "kind", "why", "sites", "enabled", "examples")
PACK_FIELDS = ("rules", "max_removed_share")
_ID_SHAPE = regex.compile(r"^[a-z0-9][a-z0-9._-]*$")
_RULE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Example:
    """One example a rule carries. For a dropping kind, `text` is a little document and
    `removed` the 1-based paragraph numbers the rule must drop (all, for a `remove:` string;
    none, for `keep:`). For `normalize`, `expected` is what the transforms must give.
    """

    rule_id: str
    location: Location
    text: str
    removed: tuple[int, ...] = ()
    expected: str | None = None


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Rules in load order (files sorted, rules in file order), with their examples."""

    rules: tuple[Kind, ...]
    examples: tuple[Example, ...]
    files: tuple[str, ...]

    def by_id(self, rule_id: str) -> Kind:
        for rule in self.rules:
            if rule.meta.id == rule_id:
                return rule
        raise KeyError(rule_id)


def default_rules_dir() -> Path:
    """The shipped rules: packaged inside the wheel as `cleaner/_rules`, or `rules/` in a checkout."""
    packaged = Path(__file__).with_name("_rules")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"


def rule_files(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[Problem]]:
    """Expand folders into their .yaml/.yml files (sorted); a missing path is a problem."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.suffix in _RULE_SUFFIXES and p.is_file()
            )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(Location(str(path), 0, 0), None, "no such rule file or folder"))
    return files, problems


def site_matches(site: str | None, globs: Sequence[str]) -> bool:
    """A rule with no sites applies everywhere; `example.com` also covers `www.example.com`."""
    if not globs:
        return True
    if not site:
        return False
    host = site.lower().rstrip(".")
    return any(fnmatch.fnmatchcase(host, g) or fnmatch.fnmatchcase(host, "*." + g) for g in globs)


def _site_from_path(path: Path) -> tuple[str, ...]:
    """Rules in `sites/<domain>.yaml` default to that domain."""
    if path.parent.name == "sites":
        return (path.stem.lower(),)
    return ()


def _read_examples(node: Node, ctx: Context, rule_id: str, kind: str) -> list[Example]:
    wanted = ("change", "keep") if kind == "normalize" else ("remove", "keep")
    examples: list[Example] = []
    found = {key: (key_node, value) for key, key_node, value in mapping_items(node, "'examples'")}
    for key, (key_node, _value) in found.items():
        if key not in wanted:
            raise Invalid(key_node, f"unknown field '{key}' in examples (expected: {', '.join(wanted)})")
    for key in wanted:
        if key not in found:
            raise Invalid(node, f"examples need a non-empty '{key}' list")
        items = sequence(found[key][1], key)
        if not items:
            raise Invalid(found[key][1], f"examples need a non-empty '{key}' list")
        for item in items:
            examples.append(_read_example(item, ctx, rule_id, key))
    return examples


def _read_example(node: Node, ctx: Context, rule_id: str, key: str) -> Example:
    where = ctx.location(node)
    if key == "change":
        fields = {k: v for k, _kn, v in mapping_items(node, "a 'change' example")}
        if set(fields) != {"input", "output"}:
            raise Invalid(node, "a 'change' example needs exactly 'input' and 'output'")
        return Example(rule_id, where, scalar_text(fields["input"]), expected=scalar_text(fields["output"]))
    if key == "keep" or isinstance(node, ScalarNode):
        body = text(node)
        count = len(_paragraphs(body))
        removed = tuple(range(1, count + 1)) if key == "remove" else ()
        return Example(rule_id, where, body, removed)
    fields = {k: v for k, _kn, v in mapping_items(node, "a 'remove' example")}
    if set(fields) != {"text", "removed"}:
        raise Invalid(node, "a 'remove' example is a string, or a mapping of 'text' and 'removed'")
    body = text(fields["text"])
    numbers = []
    for item in sequence(fields["removed"], "removed"):
        value = yaml.safe_load(item.value) if isinstance(item, ScalarNode) else None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= len(_paragraphs(body)):
            raise Invalid(item, "'removed' holds paragraph numbers of the example text, from 1")
        numbers.append(value)
    return Example(rule_id, where, body, tuple(sorted(set(numbers))))


def scalar_text(node: Node) -> str:
    if not isinstance(node, ScalarNode) or node.tag != "tag:yaml.org,2002:str":
        raise Invalid(node, f"expected a string, got {describe(node)}")
    return str(node.value)


def _paragraphs(body: str) -> list[str]:
    """The example's paragraphs as the engine makes them (split on line breaks only)."""
    return [line.strip() for line in split_lines(body) if line.strip()]


def check_example(rule: Kind, example: Example, scan: TriggerScan | None = None) -> str | None:
    """What the rule gets wrong about one of its own examples, or None when it gets it right.
    `scan` is the plain scan of the rule's triggers, when the caller has built it once for all
    the rule's examples (else it is built here)."""
    if isinstance(rule, NormalizeRule):
        expected = example.text if example.expected is None else example.expected
        actual = rule.transform(example.text)
        if actual != expected:
            return f"example gives {actual!r}, expected {expected!r}"
        return None
    texts = _paragraphs(example.text)
    sources = rule.triggers()
    if sources:  # the engine's scan (joined only where joining is safe), one paragraph at a time
        scan = scan if scan is not None else TriggerScan.plain(sources)
        candidates = tuple(i for i, t in enumerate(texts) if scan(t))
    else:
        candidates = tuple(range(len(texts)))
    dropped = {i + 1 for i in rule.select(Page(texts, candidates))}
    wanted = set(example.removed)
    if dropped == wanted:
        return None
    kept_wrongly = sorted(wanted - dropped)
    dropped_wrongly = sorted(dropped - wanted)
    parts = []
    if kept_wrongly:
        parts.append("keeps " + ", ".join(repr(texts[n - 1]) for n in kept_wrongly))
    if dropped_wrongly:
        parts.append("drops " + ", ".join(repr(texts[n - 1]) for n in dropped_wrongly))
    return "example wrong: rule " + " and ".join(parts)


def _read_rule(
    node: Node, ctx: Context, default_sites: tuple[str, ...], share: float
) -> tuple[Kind, list[Example]] | None:
    """Read one rule; report its problems in ctx and return None if it cannot be used."""
    ctx.rule_id = None
    try:
        items = mapping_items(node, "a rule")
    except Invalid as error:
        ctx.report_invalid(error)
        return None
    fields = {key: (key_node, value) for key, key_node, value in items}
    if "id" in fields:
        try:
            ctx.rule_id = text(fields["id"][1])
            if not _ID_SHAPE.match(ctx.rule_id):
                ctx.report(fields["id"][1], "id must be lower-case letters, digits, '.', '_' or '-'")
        except Invalid as error:
            ctx.report_invalid(error)
    problems_before = len(ctx.problems)
    for required in ("id", "kind", "why", "examples"):
        if required not in fields:
            ctx.report(node, f"missing field '{required}'")
    kind_name = None
    if "kind" in fields:
        try:
            kind_name = text(fields["kind"][1])
            if kind_name not in KINDS:
                ctx.report(fields["kind"][1], f"unknown kind '{kind_name}' (expected: {', '.join(KINDS)})")
                kind_name = None
        except Invalid as error:
            ctx.report_invalid(error)
    if kind_name is None:
        return None
    kind = KINDS[kind_name]
    values: dict[str, Any] = {}
    for key, (key_node, value_node) in fields.items():
        if key in COMMON_FIELDS:
            continue
        if key not in kind.FIELDS:
            expected = ", ".join(kind.FIELDS)
            ctx.report(key_node, f"unknown field '{key}' for kind '{kind_name}' (expected: {expected})")
            continue
        try:
            values[key] = kind.FIELDS[key].convert(value_node, ctx)
        except Invalid as error:
            ctx.report(error.node, f"{key}: {error.message}", error.column_offset)
        except Reported:
            pass
    for name, spec in kind.FIELDS.items():
        if name not in fields:
            if spec.required:
                ctx.report(node, f"missing field '{name}' for kind '{kind_name}'")
            values[name] = spec.default
    meta_values: dict[str, Any] = {"why": "", "sites": default_sites, "enabled": True}
    for key, convert in (("why", text), ("enabled", boolean), ("sites", _site_list)):
        if key in fields:
            try:
                meta_values[key] = convert(fields[key][1])
            except Invalid as error:
                ctx.report(error.node, f"{key}: {error.message}", error.column_offset)
    examples: list[Example] = []
    if "examples" in fields:
        try:
            examples = _read_examples(fields["examples"][1], ctx, ctx.rule_id or "", kind_name)
        except Invalid as error:
            ctx.report_invalid(error)
    if len(ctx.problems) > problems_before or ctx.rule_id is None:
        return None
    meta = RuleMeta(
        ctx.rule_id,
        kind_name,
        meta_values["why"],
        meta_values["sites"],
        meta_values["enabled"],
        ctx.location(node),
        share,
    )
    try:
        rule = kind.build(meta, values, node, ctx.facts)
    except Invalid as error:
        ctx.report_invalid(error)
        return None
    scan = TriggerScan.plain(rule.triggers()) if examples and rule.triggers() else None
    for example in examples:
        message = check_example(rule, example, scan)
        if message:
            ctx.problems.append(Problem(example.location, ctx.rule_id, message))
    return rule, examples


def _site_list(node: Node) -> tuple[str, ...]:
    items = sequence(node, "sites")
    if not items:
        raise Invalid(node, "must not be an empty list (leave it out to mean every site)")
    return tuple(text(item).lower() for item in items)


def _read_file(
    path: Path, display: str, facts: PatternFacts
) -> tuple[list[tuple[Kind, list[Example]]], list[Problem]]:
    ctx = Context(display, facts=facts)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [], [Problem(Location(display, 0, 0), None, f"cannot read rule file: {error}")]
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = f"YAML syntax error: {error.problem}"
        if error.context and error.context_mark and error.context_mark is not mark:
            where = f"line {error.context_mark.line + 1}, column {error.context_mark.column + 1}"
            message += f" ({error.context} at {where})"
        return [], [Problem(Location(display, line, column), None, message)]
    except yaml.YAMLError as error:  # the reader's refusal of a control character has no mark
        position = getattr(error, "position", 0)
        line = source.count("\n", 0, position) + 1
        column = position - source.rfind("\n", 0, position)
        return [], [Problem(Location(display, line, column), None, f"YAML error: {error}".split("\n")[0])]
    if root is None:
        return [], [Problem(Location(display, 1, 1), None, "rule file holds no rules")]
    share = DEFAULT_MAX_REMOVED_SHARE
    rules_node: Node = root
    if isinstance(root, MappingNode):
        try:
            pack = {k: (kn, v) for k, kn, v in mapping_items(root, "a rule file")}
            for key, (key_node, _v) in pack.items():
                if key not in PACK_FIELDS:
                    raise Invalid(key_node, f"unknown field '{key}' in rule file (expected: {', '.join(PACK_FIELDS)})")
            if "rules" not in pack:
                raise Invalid(root, "a rule file mapping needs a 'rules' list")
            rules_node = pack["rules"][1]
            if "max_removed_share" in pack:
                share = fraction(pack["max_removed_share"][1])
        except Invalid as error:
            ctx.report_invalid(error)
            return [], ctx.problems
    try:
        nodes = sequence(rules_node, "rules")
    except Invalid:
        ctx.report(rules_node, "a rule file is a list of rules (or a mapping with a 'rules' list)")
        return [], ctx.problems
    loaded = []
    for node in nodes:
        result = _read_rule(node, ctx, _site_from_path(path), share)
        if result is not None:
            loaded.append(result)
    return loaded, ctx.problems


def _display_path(path: Path) -> str:
    """Paths are shown relative to the working folder when they are inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_rules(
    paths: Iterable[str | os.PathLike[str]] = (), *, defaults: bool = True, facts: PatternFacts | None = None
) -> RuleSet:
    """Load and validate rule files and folders (the shipped rules first, unless `defaults=False`).

    Raises `RuleError` with every problem in every file; returns a `RuleSet` only when there
    are none. `facts` is what is known about pattern texts (`cleaner.derived`): pass the one
    the scan will be built with, so that each answer is worked out once.
    """
    facts = facts if facts is not None else PatternFacts()
    sources = ([default_rules_dir()] if defaults else []) + [Path(p) for p in paths]
    files, problems = rule_files(sources)
    rules: list[Kind] = []
    examples: list[Example] = []
    first_seen: dict[str, Location] = {}
    for path in files:
        loaded, file_problems = _read_file(path, _display_path(path), facts)
        problems.extend(file_problems)
        for rule, rule_examples in loaded:
            previous = first_seen.get(rule.meta.id)
            if previous is not None:
                problems.append(
                    Problem(rule.meta.location, rule.meta.id, f"duplicate id '{rule.meta.id}' (first defined at {previous})")
                )
                continue
            first_seen[rule.meta.id] = rule.meta.location
            rules.append(rule)
            examples.extend(rule_examples)
    if problems:
        raise RuleError(problems)
    return RuleSet(tuple(rules), tuple(examples), tuple(_display_path(f) for f in files))
