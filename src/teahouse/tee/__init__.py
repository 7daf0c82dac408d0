"""The TEE platform interface and its backends (``sim`` by default)."""

from teahouse.tee._platform import Measurement, SealPolicy, TeePlatform

__all__ = ["Measurement", "SealPolicy", "TeePlatform"]
