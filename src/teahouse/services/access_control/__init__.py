"""The access-control service: which role may call which frontend API.

Domain code only; the RPC handlers live in ``handlers.py``.
"""

from teahouse.services.access_control.policy import (
    FRONTEND_APIS,
    Policy,
    PolicyError,
    decide,
    default_policy,
    load_policy,
    parse_policy,
)

__all__ = [
    "FRONTEND_APIS",
    "Policy",
    "PolicyError",
    "decide",
    "default_policy",
    "load_policy",
    "parse_policy",
]
