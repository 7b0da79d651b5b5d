"""JSON Schemas for the plan files, generated from the models (draft-07, which editors know)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sapsmed.domain.models import FILE_MODELS

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def generate() -> dict[str, str]:
    """File name -> schema text, one schema per kind of plan file."""
    out = {}
    for kind, model in FILE_MODELS.items():
        schema = to_draft07(model.model_json_schema(mode="validation"))
        schema = {"$schema": DRAFT_07, "$id": f"{kind}.schema.json", **schema}
        out[f"{kind}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out


def to_draft07(node: Any) -> Any:
    """pydantic writes 2020-12 (`$defs`, `prefixItems`); rewrite those two for draft-07."""
    if isinstance(node, list):
        return [to_draft07(x) for x in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$defs":
            out["definitions"] = to_draft07(value)
        elif key == "$ref" and isinstance(value, str):
            out[key] = value.replace("#/$defs/", "#/definitions/")
        elif key == "prefixItems":
            out["items"] = to_draft07(value)
            out["additionalItems"] = False
        else:
            out[key] = to_draft07(value)
    return out


def write(folder: Path) -> list[Path]:
    """Write every schema into ``folder``; return the files that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in generate().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
