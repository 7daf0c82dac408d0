"""Role-to-API access decisions (spec/wire.md §2.5, spec/behaviour.md §3).

The policy is data (``policy.toml``, shipped with the package) and is validated when loaded:
a malformed file fails with a :class:`PolicyError` that names the file and the problem.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

# The frontend's 22 RPCs in snake_case, the api names the policy decides on (spec/wire.md §2.4).
FRONTEND_APIS = frozenset(
    {
        "register_input_file",
        "update_input_file",
        "register_output_file",
        "update_output_file",
        "register_fusion_output",
        "register_input_from_output",
        "get_output_file",
        "get_input_file",
        "register_function",
        "update_function",
        "get_function",
        "get_function_usage_stats",
        "delete_function",
        "disable_function",
        "list_functions",
        "create_task",
        "get_task",
        "assign_data",
        "approve_task",
        "invoke_task",
        "cancel_task",
        "query_audit_logs",
    }
)

DEFAULT_POLICY_FILE = "policy.toml"


class PolicyError(ValueError):
    """The policy file is missing, is not TOML, or does not have the expected shape."""


@dataclass(frozen=True)
class Policy:
    superusers: frozenset[str]
    role_groups: Mapping[str, str]
    group_apis: Mapping[str, frozenset[str]]

    def decide(self, role_name: str, api: str) -> bool:
        """Whether a caller whose role name is ``role_name`` may call ``api``."""
        if role_name in self.superusers:
            return True
        group = self.role_groups.get(role_name)
        return group is not None and api in self.group_apis[group]


def parse_policy(text: str, source: str = "<policy>") -> Policy:
    """Build a :class:`Policy` from TOML text, validating every part of it."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}: not valid TOML: {exc}") from exc
    _expect_keys(data, {"superusers", "roles", "groups"}, source, "the top level")
    superusers = _string_list(data["superusers"], f"{source}: superusers")
    groups = _table(data["groups"], f"{source}: [groups]")
    group_apis: dict[str, frozenset[str]] = {}
    for group, apis in groups.items():
        where = f"{source}: [groups] {group}"
        names = _string_list(apis, where)
        unknown = sorted(set(names) - FRONTEND_APIS)
        if unknown:
            raise PolicyError(f"{where}: unknown api {', '.join(unknown)}")
        group_apis[group] = frozenset(names)
    role_groups: dict[str, str] = {}
    for role, group in _table(data["roles"], f"{source}: [roles]").items():
        where = f"{source}: [roles] {role}"
        if "-" in role or not role:
            raise PolicyError(f"{where}: a role name is non-empty and has no '-'")
        if role in superusers:
            raise PolicyError(f"{where}: already a superuser")
        if not isinstance(group, str) or group not in group_apis:
            raise PolicyError(f"{where}: {group!r} is not a group of [groups]")
        role_groups[role] = group
    return Policy(frozenset(superusers), MappingProxyType(role_groups), MappingProxyType(group_apis))


def load_policy(path: Path | None = None) -> Policy:
    """Load the policy from ``path``, or the one shipped with Teahouse."""
    if path is None:
        source = resources.files(__package__ or "teahouse.services.access_control") / DEFAULT_POLICY_FILE
        name = DEFAULT_POLICY_FILE
    else:
        source, name = path, str(path)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{name}: cannot read the policy: {exc}") from exc
    return parse_policy(text, name)


@functools.cache
def default_policy() -> Policy:
    return load_policy()


def decide(role_name: str, api: str) -> bool:
    """The decision of the shipped policy (loaded once, on first use)."""
    return default_policy().decide(role_name, api)


def _expect_keys(data: Mapping[str, Any], keys: set[str], source: str, where: str) -> None:
    missing, extra = keys - data.keys(), data.keys() - keys
    if missing:
        raise PolicyError(f"{source}: {where} lacks {', '.join(sorted(missing))}")
    if extra:
        raise PolicyError(f"{source}: {where} has unknown keys {', '.join(sorted(extra))}")


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PolicyError(f"{where}: expected a table")
    return value


def _string_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise PolicyError(f"{where}: expected a list of non-empty strings")
    if len(set(value)) != len(value):
        raise PolicyError(f"{where}: lists a name twice")
    return value
