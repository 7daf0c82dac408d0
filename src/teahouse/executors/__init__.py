"""Executors: builtin functions, sandboxed Python, WebAssembly."""

from teahouse.executors._base import Executor, FunctionFailed, Invocation, InvocationResult, Limits

__all__ = ["Executor", "FunctionFailed", "Invocation", "InvocationResult", "Limits"]
