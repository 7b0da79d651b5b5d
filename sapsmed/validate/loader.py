"""Read a plan folder: every file parsed, checked against its model, problems placed on lines.

Problems are collected, never raised, so one run reports everything. Positions are looked up
only for the files that have problems (see :meth:`yamlio.Document.locate`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sapsmed.base.hints import did_you_mean
from sapsmed.base.problems import Problem, format_path
from sapsmed.domain.models import FILE_MODELS, Model
from sapsmed.validate.planfiles import (
    FileProblem,
    Listing,
    content_digest,
    list_plan,
    read_plan_file,
)
from sapsmed.yamlio import parse as yamlio
from sapsmed.yamlio.scalars import YamlError

PathKey = yamlio.PathKey
REQUIRED_FILES = ("plan.yaml", "countries.yaml", "kpis.yaml")
SALVAGE_ROUNDS = 8  # re-validations of a file that failed its schema, leaving out bad items
Given = str | bytes | FileProblem  # a file's text, its bytes, or why it cannot be read
ID_KINDS = {
    "country": "an ISO 3166-1 alpha-3 code, e.g. MYS",
    "slug": "lower-case words joined by dashes, e.g. micro-enterprises",
    "goal": "a capital letter and up to three capitals or digits, e.g. B or G1",
    "outcome": "goal id-number, e.g. B-2",
    "action": "outcome id-number, e.g. B-2-1 (without outcomes goal id-number, e.g. G1-1)",
    "action_line": "action id.number, e.g. B-2-1.3",
    "kpi": "KPI-<goal id><number>, e.g. KPI-D1",
    "unit": "lower-case words joined by underscores or dashes, e.g. percent_change",
}


@dataclass
class Collector:
    """Findings gathered during a run; positions are resolved once per file at the end."""

    problems: list[Problem] = field(default_factory=list)
    failed: set[Path] = field(default_factory=set)  # files that could not be read or validated
    values: dict[Path, Any] = field(default_factory=dict)  # each readable file's YAML value
    count: int = 0  # plan files read (or tried)
    # each file's content digest, as read (see :func:`content_digest`): the cache keys a
    # validated plan on them, so an edit's check needs no second read of the folder
    digests: dict[Path, str] = field(default_factory=dict)
    listed: list[Problem] = field(default_factory=list)  # what the folder listing found
    unread: set[str] = field(default_factory=set)  # ids in the items salvage cut out
    # the lists (by key: member_states, lines...) of items cut out for their own id: the id
    # they were meant to have is unknown, so references to that kind are not checked
    unnamed: set[str] = field(default_factory=set)
    # (path, bytes) -> the document read from them, kept by the caller across runs: the files
    # a revision shares with the one before are not parsed again (diff, history)
    documents: dict[tuple[Path, bytes], yamlio.Document] | None = None
    pending: dict[int, tuple[yamlio.Document, list[tuple[PathKey, str, str]]]] = field(
        default_factory=dict
    )

    def add(self, doc: yamlio.Document, path: PathKey, code: str, message: str) -> None:
        self.pending.setdefault(id(doc), (doc, []))[1].append((path, code, message))

    def finish(self) -> list[Problem]:
        out = list(self.problems)
        for doc, findings in self.pending.values():
            try:
                where = doc.locate(p for p, _, _ in findings)
            except YamlError:  # cannot happen while the fast path agrees with the parser
                where = {}
            for path, code, message in findings:
                line, column = where.get(path, (1, 1))
                shown = doc.original(path) if isinstance(doc, Salvaged) else path
                out.append(Problem.at(doc.path, line, column, code, message, format_path(shown)))
        self.pending.clear()
        return sorted(set(out))


@dataclass
class Parsed:
    """A file that passed its schema (or what of it salvage kept, see :class:`Salvaged`): the
    model and the document it came from."""

    doc: yamlio.Document
    model: Any


@dataclass
class Salvaged(yamlio.Document):
    """The document of a file that failed its schema, validated again without the list items
    holding the errors: paths into the kept model are placed on the file's own lines."""

    kept: Any = None  # the value as validated, the items cut out
    origin: dict[int, list[int]] = field(default_factory=dict)  # id(list) -> indices in file
    cut: list[PathKey] = field(default_factory=list)  # the items cut out, as paths in the file
    unnamed: set[str] = field(default_factory=set)  # see Collector.unnamed

    def original(self, path: PathKey) -> PathKey:
        """A path into the kept value as the path of the same node in the file."""
        node, out = self.kept, list[str | int]()
        for part in path:
            if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                indices = self.origin.get(id(node))
                out.append(indices[part] if indices is not None else part)
                node = node[part]
            else:
                out.append(part)
                node = node.get(part) if isinstance(node, dict) else None
        return tuple(out)

    def locate(self, paths: Iterable[PathKey]) -> dict[PathKey, tuple[int, int]]:
        inside = {path: self.original(path) for path in paths}
        where = super().locate(inside.values())
        return {path: where[original] for path, original in inside.items()}

    def was_cut(self, path: PathKey) -> bool:
        """Whether an item at or below ``path`` (into the kept value) was cut out."""
        original = self.original(path)
        return any(cut[: len(original)] == original for cut in self.cut)


def read_folder(
    root: Path, out: Collector, overrides: Mapping[Path, Given], listing: Listing | None = None
) -> dict[str, list[Parsed]]:
    """Parse and schema-check every plan file; return what passed, by file kind, with what
    salvage kept of the files that failed (:class:`Salvaged` documents).

    ``listing`` names the files (default: the folder's); ``overrides`` gives the contents of
    some of them (an edit's new text, a revision's blobs, or a :class:`FileProblem` for a
    blob that cannot be read): the others are read from disk."""
    result: dict[str, list[Parsed]] = {kind: [] for kind in FILE_MODELS}
    if listing is None:
        listing = list_plan(root)
    out.problems.extend(listing.problems)
    out.listed = list(listing.problems)
    files = list(listing.files)
    listed = {path for _, path in files}
    folders = {"goals": "goal", "readings": "readings"}
    files += sorted(
        (folders[p.parent.name], p)
        for p in overrides  # files an edit creates
        if p not in listed and p.parent == root / p.parent.name and p.parent.name in folders
    )
    present = {path.name for _, path in files if path.parent == root}
    for name in REQUIRED_FILES:
        if name not in present:
            out.problems.append(Problem.at(root / name, 1, 1, "F-MISSING", f"{name} is missing"))
    out.count = len(files)
    for kind, path in files:
        parsed = read_file(root, path, FILE_MODELS[kind], out, overrides.get(path), kind)
        if parsed is not None:
            result[kind].append(parsed)
            kpi = parsed.model.kpi if kind == "readings" else ""
            if kpi and path.stem != kpi and not path.stem.startswith(f"{kpi}-"):
                out.add(
                    parsed.doc,
                    ("kpi",),
                    "R-ID-PARENT",
                    f"readings of {kpi} are in "
                    f"{path.name}; their file should be {kpi}.yaml (or {kpi}-*.yaml)",
                )
    return result


def read_file(
    root: Path,
    path: Path,
    model: type[Model],
    out: Collector,
    given: Given | None = None,
    kind: str = "",
) -> Parsed | None:
    try:
        if isinstance(given, FileProblem):
            raise given
        doc = None
        if isinstance(given, bytes) and out.documents is not None:
            doc = out.documents.get((path, given))
        raw = read_plan_file(root, path) if given is None else given
        out.digests[path] = content_digest(raw)
        if doc is None:
            text = raw if isinstance(raw, str) else yamlio.decode(raw)
            doc = yamlio.load(path, text)
            if isinstance(given, bytes) and out.documents is not None:
                out.documents[(path, given)] = doc
    except FileProblem as exc:
        out.digests[path] = f"unreadable {exc.code}"
        out.problems.append(Problem.at(path, 1, 1, exc.code, exc.message))
        out.failed.add(path)
        return None
    except YamlError as exc:
        out.problems.append(Problem.at(path, exc.line, exc.column, exc.code, exc.message))
        out.failed.add(path)
        return None
    out.problems.extend(doc.warnings)
    out.values[path] = doc.data
    try:
        return Parsed(doc, model.model_validate(doc.data))
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            path_key, code, message = describe_error(doc.data, error)
            out.add(doc, path_key, code, message)
        out.failed.add(path)
        kept = salvage(model, doc, exc) if kind else None
        if kept is None:
            return None
        out.unread |= ids_in([data_at(doc.data, cut) for cut in kept[0].cut])
        out.unnamed |= kept[0].unnamed
        return Parsed(*kept)


def salvage(
    model: type[Model], doc: yamlio.Document, error: ValidationError
) -> tuple[Salvaged, Model] | None:
    """What of a file that failed its schema still validates: the cross-file rules check it,
    and a broken revision is shown from it.

    The smallest list item holding each error (a reading row, an update, an action line, an
    outcome...) is left out and the rest validated again, a few rounds at most. None when an
    error lies outside every list item (a file-level field): the file is left out whole."""
    data = copy.deepcopy(doc.data)
    kept = Salvaged(doc.path, doc.text, doc.data, kept=data)
    errors = error.errors(include_url=False)
    for _ in range(SALVAGE_ROUNDS):
        cuts = set()
        for found in errors:
            cut = item_holding(data, found["loc"])
            if cut is None:
                return None
            cuts.add(cut)
            if len(cut) > 1 and yaml_path(data, found["loc"]) == (*cut, "id"):
                kept.unnamed.add(str(cut[-2]))
        for cut in sorted(cuts, key=_order, reverse=True):  # deepest and last first
            parent = data
            for part in cut[:-1]:
                parent = parent[part]
            index, indices = cut[-1], kept.origin.setdefault(id(parent), [*range(len(parent))])
            assert isinstance(index, int)  # an item: a place in a list
            kept.cut.append(kept.original(cut))
            del parent[index], indices[index]
        try:
            return kept, model.model_validate(data)
        except ValidationError as again:
            errors = again.errors(include_url=False)
    return None


def item_holding(data: Any, loc: tuple[Any, ...]) -> PathKey | None:
    """The path of the innermost list item that is a mapping or a row and holds ``loc``."""
    found: PathKey | None = None
    node: Any = data
    walked: PathKey = ()
    for part in yaml_path(data, loc):
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            walked, node = (*walked, part), node[part]
            if isinstance(node, dict | list):
                found = walked
        elif isinstance(node, dict) and part in node:
            walked, node = (*walked, part), node[part]
        else:
            break
    return found


def data_at(data: Any, path: PathKey) -> Any:
    for part in path:
        data = data[part]
    return data


def ids_in(value: Any) -> set[str]:
    """Every id in a YAML value, at any depth."""
    if isinstance(value, list):
        return {i for item in value for i in ids_in(item)}
    if not isinstance(value, dict):
        return set()
    found = {value["id"]} if isinstance(value.get("id"), str) else set()
    return found.union(*(ids_in(v) for k, v in value.items() if k != "id"))


def _order(path: PathKey) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in path)


def describe_error(data: Any, error: Any) -> tuple[PathKey, str, str]:
    """Turn one pydantic error into (YAML path, rule code, message)."""
    path = yaml_path(data, error["loc"])
    kind, loc = error["type"], error["loc"]
    field_name = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        others = [f for f in known_fields() if f != field_name]
        suggestion = did_you_mean(str(field_name), others)
        return path, "S-UNKNOWN-FIELD", f"unknown field {field_name!r}{suggestion}"
    if kind == "missing":
        return path, "S-MISSING-FIELD", f"missing required field {field_name!r}"
    value = error.get("input")
    if kind == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == r"\S":
        return path, "S-INVALID", f"{field_name} is blank: write the text it stands for"
    if kind == "string_pattern_mismatch" and field_name == "id":
        return path, "R-ID-FORMAT", f"malformed id {value!r}: {id_hint(path)}"
    if kind in ("greater_than_equal", "less_than_equal") and field_name == "percent":
        return path, "P-PERCENT", f"percent complete is 0-100, not {value}"
    if kind == "greater_than_equal" and field_name in ("planned", "spent", "used"):
        return path, "P-NEGATIVE", f"{field_name} cannot be negative ({value})"
    shown = f" (got {value!r})" if isinstance(value, str | int | float | bool) else ""
    message = str(error["msg"]).removeprefix("Value error, ")  # the models' own words
    return path, "S-INVALID", f"{message}{shown}"


def id_hint(path: PathKey) -> str:
    names = [p for p in path if isinstance(p, str)]
    container = names[-2] if len(names) >= 2 else ""
    kind = {
        "outcomes": "outcome",
        "actions": "action",
        "lines": "action_line",
        "kpis": "kpi",
        "member_states": "country",
        "themes": "slug",
        "phases": "slug",
        "pathways": "slug",
        "types_of_measures": "slug",
        "units": "unit",
    }.get(container, "goal")
    return f"expected {ID_KINDS[kind]}"


def yaml_path(data: Any, loc: tuple[Any, ...]) -> PathKey:
    """Keep the parts of a pydantic location that exist in the YAML (drop union tags)."""
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
        if in_dict or in_list:
            node = node[part]
            path.append(part)
        elif i == len(loc) - 1 and isinstance(node, dict):
            path.append(part)  # a missing or unknown key: Document.locate falls back to the parent
    return tuple(path)


_FIELDS: list[str] = []


def known_fields() -> list[str]:
    """Every field name the schema defines, for did-you-mean hints on unknown keys."""
    if not _FIELDS:
        seen: set[str] = set()
        stack: list[type[Model]] = list(FILE_MODELS.values())
        while stack:
            model = stack.pop()
            for name, info in model.model_fields.items():
                seen.add(name)
                stack.extend(_models_in(info.annotation))
        _FIELDS.extend(sorted(seen))
    return _FIELDS


def _models_in(annotation: Any) -> list[type[Model]]:
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models_in(arg)]
