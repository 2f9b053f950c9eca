"""JSON Schema validation, with every error explained at the position it points to."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any
from urllib.parse import urljoin

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ..errors import Problem
from ..model.kinds import KINDS
from ..parse import JsonPath, Source
from ..resources import schema_dir
from .suggest import choices, closest

ONE_LINE = "^[^\\n]+$(?!\\n)"  # the schemas' pattern for a text of one line
SCHEMA_OF_KIND = {
    "playbook": "playbook",
    "glossary": "glossary",
    "onboarding": "onboarding",
    "team": "team",
    **{k.name: k.schema for k in KINDS},
}
JSON_TYPE_NAMES = {
    dict: "mapping",
    list: "list",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "nothing (null)",
}


@cache
def load_schemas() -> dict[str, dict[str, Any]]:
    return {
        path.name.removesuffix(".schema.json"): json.loads(path.read_text("utf-8"))
        for path in sorted(schema_dir().glob("*.schema.json"))
    }


def schema_uri(name: str) -> str:
    """Where a schema lives, as a URI: its file. The schemas declare no `$id`, so a relative
    `$ref` (`defs.schema.json#/$defs/id`) resolves against the referring file's location,
    here as in editors and in `check-jsonschema` (and in an organisation's copy of
    `schemas/`, wherever it is)."""
    return (schema_dir() / f"{name}.schema.json").as_uri()


@cache
def registry() -> Registry:
    """Every schema, keyed by its file's URI; nothing outside it is ever retrieved."""
    return Registry().with_resources(
        (schema_uri(name), Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in load_schemas().items()
    )


def inline_refs(node: Any, base: str) -> Any:
    """The schema with every `$ref` replaced by its target (ours are not recursive).

    Resolving references while validating costs most of jsonschema's time; once,
    up front, it costs nothing. Keywords beside a `$ref` win over the target's.
    """
    if isinstance(node, list):
        return [inline_refs(item, base) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = registry().resolver(base_uri=base).lookup(node["$ref"])
        target_base = urljoin(base, node["$ref"].split("#", 1)[0])
        rest = {k: v for k, v in node.items() if k != "$ref"}
        return {**inline_refs(target.contents, target_base), **inline_refs(rest, base)}
    return {key: inline_refs(value, base) for key, value in node.items()}


FORMATS = Draft202012Validator.FORMAT_CHECKER
# keywords that mean the same in draft 7 (what fastjsonschema knows) and in 2020-12
SHARED_KEYWORDS = frozenset(
    {
        "type", "properties", "required", "additionalProperties", "items", "minItems",
        "maxItems", "uniqueItems", "enum", "const", "pattern", "minimum", "maximum",
        "minLength", "maxLength", "format", "anyOf", "propertyNames", "minProperties",
        # annotations, which validate nothing
        "$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default",
    }
)  # fmt: skip


@cache
def validator_for(kind: str) -> Draft202012Validator:
    name = SCHEMA_OF_KIND[kind]
    return Draft202012Validator(
        inline_refs(load_schemas()[name], schema_uri(name)),
        registry=registry(),
        format_checker=FORMATS,
    )


def keywords(schema: Any) -> set[str]:
    """Every keyword a schema uses (property names and enum values are not keywords)."""
    if isinstance(schema, list):
        return {k for item in schema for k in keywords(item)}
    if not isinstance(schema, dict):
        return set()
    found = set(schema)
    for key, value in schema.items():
        if key == "properties" and isinstance(value, dict):
            found |= {k for sub in value.values() for k in keywords(sub)}
        elif key not in ("enum", "const", "examples", "default", "required"):
            found |= keywords(value)
    return found


@cache
def fast_check_for(kind: str) -> Any:
    """A compiled validator that only answers valid or not, 20x faster than jsonschema;
    None if the schema uses a keyword whose meaning differs between the drafts.

    fastjsonschema knows drafts up to 7. Our schemas, with references inlined, keep to
    keywords that mean the same there; `date` gets jsonschema's own format checker.
    """
    name = SCHEMA_OF_KIND[kind]
    schema = inline_refs(load_schemas()[name], schema_uri(name))
    if not keywords(schema) <= SHARED_KEYWORDS:
        return None
    formats = {"date": lambda value: FORMATS.conforms(value, "date")}
    return fastjsonschema.compile(without_annotations(schema), formats=formats, use_default=False)


ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default"}
)


def without_annotations(schema: Any) -> Any:
    """The schema without the keywords that validate nothing (less code to compile)."""
    if isinstance(schema, list):
        return [without_annotations(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {}
    for key, value in schema.items():
        if key == "properties" and isinstance(value, dict):  # keys are names here
            result[key] = {name: without_annotations(sub) for name, sub in value.items()}
        elif key in ("enum", "const", "required"):
            result[key] = value
        elif key not in ANNOTATIONS:
            result[key] = without_annotations(value)
    return result


def passes_fast(source: Source) -> bool:
    fast = fast_check_for(source.kind)
    if fast is None:
        return False
    try:
        fast(source.data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


FAST_FROM = 50  # files of one kind; compiling costs about as much as jsonschema on 45 files


def check(source: Source, *, fast: bool = False) -> list[Problem]:
    """Every schema problem of one source. With `fast` (for kinds with many files), valid
    documents are passed by the compiled check; jsonschema explains the others and has
    the last word."""
    if fast and passes_fast(source):
        return []
    errors = validator_for(source.kind).iter_errors(source.data)
    return [problem for error in errors for problem in explain(source, error) if problem]


def _closest_branch_error(error: ValidationError) -> ValidationError:
    """The error of the branch that nearly matched: a branch whose type does not even fit
    the value is the wrong branch, whatever else it says."""
    depth = len(error.absolute_path)
    fitting = [
        e
        for e in error.context or []
        if not (e.validator == "type" and len(e.absolute_path) == depth)
    ]
    best: ValidationError = best_match(fitting or error.context or [error])
    return best


def describe(value: Any) -> str:
    name = JSON_TYPE_NAMES.get(type(value), type(value).__name__)
    if isinstance(value, str):
        # a line break or tab is shown, not stripped: it may be what is wrong
        shown = value.strip(" ").translate({10: "\\n", 13: "\\r", 9: "\\t"})
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        return f'{name} "{shown}"'
    if isinstance(value, bool):
        return f"{name} {str(value).lower()}"
    if isinstance(value, int | float):
        return f"{name} {value}"
    return name


def _schema_of(error: ValidationError) -> dict[str, Any]:
    """The schema the failing value was checked against (references are inlined)."""
    return error.schema if isinstance(error.schema, dict) else {}


def _property_description(schema: dict[str, Any], name: str) -> str:
    prop = schema.get("properties", {}).get(name, {})
    return prop.get("description", "") if isinstance(prop, dict) else ""


def explain(source: Source, error: ValidationError) -> Iterator[Problem | None]:
    path: JsonPath = tuple(error.absolute_path)
    kind = error.validator
    schema = _schema_of(error)
    value: Any = error.instance  # the document's data (never Unset on a validator's error)

    if kind in ("oneOf", "anyOf") and error.context:
        yield from explain(source, _closest_branch_error(error))
    elif kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        for key in value:
            if key in allowed:
                continue
            near = closest(key, allowed)
            hint = (
                f"a key with a similar name exists: `{near}`"
                if near
                else f"allowed keys here: {choices(allowed, 30)}"
            )
            yield source.problem(
                (*path, key), "unknown-key", f"unknown key `{key}`", hint, at_key=True
            )
    elif kind == "required":
        for name in schema.get("required", []):
            if isinstance(value, dict) and name not in value:
                description = _property_description(schema, name)
                hint = f"add `{name}:`" + (f" ({description})" if description else "")
                where = f" in `{path[-1]}`" if path and isinstance(path[-1], str) else ""
                yield source.problem(
                    path, "missing-key", f"missing key `{name}`{where}", hint, at_key=True
                )
    elif kind == "type":
        yield source.problem(path, "wrong-type", *_type_message(error))
    else:
        explained = _value_message(error)
        yield source.problem(path, "bad-value", *explained) if explained else None


def _type_message(error: ValidationError) -> tuple[str, str]:
    expected = error.validator_value
    expected_text = " or ".join(expected) if isinstance(expected, list) else str(expected)
    expected_text = {"object": "a mapping (key: value)", "array": "a list"}.get(
        expected_text, expected_text
    )
    value = error.instance
    message = f"expected {expected_text}, found {describe(value)}"
    if expected == "string" and _reference_read_as_mapping(value):
        hint = (
            "a text that starts with `{` is read as a mapping: put it in quotes, "
            "e.g. '{rabatt-freigabe} entscheidest du selbst'"
        )
    elif expected == "string" and isinstance(value, list | dict):
        hint = "write a single text value here, not a list or mapping"
    elif expected == "string" and value is not None:
        hint = 'put the value in quotes: "…"'
    elif expected == "boolean" and isinstance(value, str):
        hint = "write true or false (YAML 1.2: yes/no/on/off are text)"
    elif expected in ("integer", "number") and isinstance(value, str):
        hint = "write the number in digits, without unit or quotes"
    elif expected == "array":
        hint = "write a list, one item per line starting with `- `"
    elif value is None:
        hint = "fill in a value after the colon"
    else:
        hint = _schema_of(error).get("description", "")
    return message, hint


def _reference_read_as_mapping(value: Any) -> bool:
    """`- {rabatt-freigabe}` or `summary: {rabatt-freigabe:teamleitung} …`: YAML read the
    reference that starts the text as a flow mapping."""
    return (
        isinstance(value, dict)
        and len(value) == 1
        and all(isinstance(k, str) and re.fullmatch(r"[a-z0-9-]+", k) for k in value)
        and all(v is None or isinstance(v, str) for v in value.values())
    )


GERMAN_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})\Z")


def _handle_hint(value: str, pattern: str) -> str:
    """How to write a code-host handle, from what was written instead."""
    usual = (
        "write `@user` or `@org/team` (GitHub) or `@group/subgroup/team` (GitLab): "
        "letters, digits, `-`, `_` and `.` after the `@`"
    )
    if "://" in value:
        return f"a web address is no handle; {usual}"
    if "@" in value.lstrip("@"):
        return f"an e-mail address is no handle; {usual}"
    fixed = "@" + value.strip().lstrip("@")
    if fixed != value and re.search(pattern, fixed):
        return f"write it as `{fixed}`"
    return usual


def _value_message(error: ValidationError) -> tuple[str, str] | None:
    """Message and hint; None where another error at the same value says it better."""
    kind = error.validator
    # the document's value and the schema's limit: any JSON (never Unset on a validator's error)
    value: Any = error.instance
    limit: Any = error.validator_value
    schema = _schema_of(error)
    description = schema.get("description", "")
    examples = schema.get("examples") or []
    example = f"e.g. `{examples[0]}`" if examples and not isinstance(examples[0], list) else ""
    shown = describe(value)
    if kind == "enum":
        near = closest(str(value), [str(v) for v in limit])
        hint = f"did you mean `{near}`?" if near else f"allowed values: {choices(map(str, limit))}"
        return f"{shown} is not an allowed value", hint
    if kind == "pattern":
        if limit == ONE_LINE:
            return (f"{shown} spans several lines", "keep this to one line") if value else None
        if schema.get("format") == "date":
            german = GERMAN_DATE.match(value.strip())
            iso = f"{german[3]}-{int(german[2]):02d}-{int(german[1]):02d}" if german else ""
            return f"{shown} is not a date as YYYY-MM-DD", f'write it as "{iso or "2026-01-31"}"'
        if schema.get("title") == "Handle":
            return f"{shown} is not a GitHub or GitLab handle", _handle_hint(value, limit)
        if "a-z0-9" in limit:
            return (
                f"{shown} is not a valid id",
                "use lower-case letters, digits and single hyphens (no umlauts, spaces or "
                f"underscores){', ' + example if example else ''}",
            )
        return f"{shown} does not have the expected form", " ".join(
            filter(None, [description, example])
        )
    if kind == "format":
        pattern = schema.get("pattern")
        if pattern and isinstance(value, str) and not re.search(pattern, value):
            return None  # the pattern error already explains it
        return f"{shown} is not a valid {limit}", f"write it as {example or limit}"
    if kind == "minLength":
        return "text is empty", "write something, or remove the key"
    if kind == "maxLength":
        return f"text is {len(value)} characters long, at most {limit} allowed", "shorten it"
    if kind == "minItems":
        return f"list needs at least {limit} item(s)", description
    if kind == "uniqueItems":
        return "list has duplicate items", "remove the repeated item"
    if kind in ("minimum", "exclusiveMinimum"):
        return f"{value} is below the minimum of {limit}", description
    if kind in ("maximum", "exclusiveMaximum"):
        return f"{value} is above the maximum of {limit}", description
    return error.message, description
