"""Teahouse: a confidential function-as-a-service platform, wire compatible with Teaclave."""

__version__ = "0.1.0"
