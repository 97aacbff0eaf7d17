"""The Bot API reference as data (api.json), and decoding of request parameters against it.

Telegram takes parameters as query string, form fields or a JSON body. In form fields every value
is a string: integers and booleans as text, objects and arrays as JSON-serialised strings (this
is how python-telegram-bot sends them). Decoding follows each parameter's documented type.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

_SPEC_FILE = Path(__file__).with_name("api.json")
_INTEGER = re.compile(r"[+-]?\d+")
# Telegram truncates a fractional getUpdates timeout; the fake honours it, for fast tests.
_FRACTIONAL = {("getUpdates", "timeout")}


class BotApiError(Exception):
    """A Bot API error reply: HTTP status, Telegram's description, optional `parameters`."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def bad_request(reason: str) -> BotApiError:
    return BotApiError(400, f"Bad Request: {reason}")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    types: tuple[str, ...]
    required: bool
    description: str

    @property
    def kind(self) -> str:
        """How a string value decodes: int, int_or_str, bool, float, str, file or json."""
        types = set(self.types)
        if types == {"Integer"}:
            return "int"
        if types == {"Integer", "String"}:
            return "int_or_str"
        if types == {"Boolean"}:
            return "bool"
        if types <= {"Float", "Float number", "Integer"}:
            return "float"
        if types == {"String"}:
            return "str"
        if "InputFile" in types:
            return "file"
        return "json"


@dataclass(frozen=True)
class MethodSpec:
    name: str
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)


class ApiSpec:
    """Methods and types of the Bot API; method names match case-insensitively, as in Telegram."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.version: str = raw["version"]
        self.methods = {
            name: MethodSpec(name, _fields(method.get("fields", [])))
            for name, method in raw["methods"].items()
        }
        self.types = {
            name: _fields(type_.get("fields", [])) for name, type_ in raw["types"].items()
        }
        self._by_lower = {name.lower(): name for name in self.methods}

    def canonical_method(self, name: str) -> str | None:
        return self._by_lower.get(name.lower())

    def type_field_names(self, type_name: str) -> list[str]:
        return [f.name for f in self.types[type_name]]

    def decode_params(self, method: str, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Decode raw parameters by their documented types; unknown parameters pass unchanged.

        An empty string is the same as an absent parameter, as in the Bot API server.
        """
        spec = self.methods[method]
        params: dict[str, Any] = {}
        for name, value in raw.items():
            if value is None or value == "":
                continue
            field_spec = spec.field(name)
            if field_spec is None:
                params[name] = value
            elif (method, name) in _FRACTIONAL:
                params[name] = _decode(replace(field_spec, types=("Float",)), value)
            else:
                params[name] = _decode(field_spec, value)
        return params


def _fields(raw_fields: list[dict[str, Any]]) -> tuple[FieldSpec, ...]:
    return tuple(
        FieldSpec(f["name"], tuple(f["types"]), bool(f["required"]), f.get("description", ""))
        for f in raw_fields
    )


def _json_error(name: str) -> BotApiError:
    if name == "reply_markup":
        return bad_request("can't parse reply keyboard markup JSON object")
    return bad_request(f"can't parse {name} JSON object")


def _decode(field_spec: FieldSpec, value: Any) -> Any:
    kind = field_spec.kind
    name = field_spec.name
    if kind == "file":
        return value
    if kind == "json":
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise _json_error(name) from None
        return value
    if kind == "str":
        return value if isinstance(value, str) else json.dumps(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        if text in {"true", "1"}:
            return True
        if text in {"false", "0"}:
            return False
        raise bad_request(f'field "{name}" must be of type Boolean')
    if isinstance(value, bool):
        raise bad_request(f'field "{name}" must be of type {" or ".join(field_spec.types)}')
    if kind == "float":
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be of type Float') from None
    # int or int_or_str
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value)
    if kind == "int_or_str" and isinstance(value, str):
        return value
    raise bad_request(f'field "{name}" must be of type Integer')


@functools.cache
def load_spec() -> ApiSpec:
    """The API reference shipped next to this module (loaded once per test session)."""
    return ApiSpec(json.loads(_SPEC_FILE.read_text(encoding="utf-8")))
