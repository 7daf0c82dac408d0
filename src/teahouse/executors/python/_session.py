"""One task on one worker: hand over the task, serve its files, collect the outcome."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import struct
from dataclasses import dataclass

from teahouse.executors._base import FunctionFailed, Invocation, InvocationResult
from teahouse.executors.python import _verdict
from teahouse.executors.python._errors import SandboxError
from teahouse.executors.python._files import OpenRefused, OutputLimitExceeded, ProtocolViolation, TaskFiles
from teahouse.executors.python._process import UNKNOWN_EXIT, WorkerProcess
from teahouse.executors.python._sandbox._protocol import (
    CHUNK,
    HANDLE,
    HEADER,
    MAX_CONTROL,
    MAX_FAILURE,
    READ_REQUEST,
    Kind,
    decode_header,
    dump_json,
    load_json,
)

log = logging.getLogger(__name__)

# How long a worker that closed its result pipe gets to finish dying on its own, so that the
# reason names what killed it (a CPU limit, a crash) rather than the executor's SIGKILL.
_SETTLE_S = 1.0


@dataclass(frozen=True)
class _Returned:
    value: bytes


@dataclass(frozen=True)
class _Raised:
    type_name: str
    message: str
    traceback: str
    memory: bool


@dataclass(frozen=True)
class _Stopped:
    reason: str


_Verdict = _Returned | _Raised | _Stopped | None

# Largest frame body accepted from a worker, by kind (RETURN is bounded by the output limit).
_LARGEST: dict[int, int] = {Kind.WRITE: HANDLE.size + CHUNK, Kind.RAISE: MAX_FAILURE}


class _Output:
    """What the function printed, up to a limit."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._data = bytearray()
        self._truncated = False

    def add(self, chunk: bytes) -> None:
        room = self._limit - len(self._data)
        self._data += chunk[: max(room, 0)]
        self._truncated = self._truncated or len(chunk) > room

    def lines(self) -> list[str]:
        lines = self._data.decode("utf-8", "replace").splitlines()
        if self._truncated:
            lines.append(f"[output truncated after {self._limit} bytes]")
        return lines


async def run_task(
    worker: WorkerProcess, invocation: Invocation, argv: list[str], log_bytes: int
) -> InvocationResult:
    """Run ``invocation`` on ``worker`` and kill the worker afterwards, whatever happens."""
    limits = invocation.limits
    files = TaskFiles(invocation.inputs, invocation.outputs, limits.open_files, limits.output_bytes)
    output = _Output(log_bytes)
    abandoned = False
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(_drain(worker, output))
            try:
                verdict = await _converse_within(worker, invocation, argv, files)
                if verdict is None:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(_SETTLE_S):
                            await worker.wait()
                    abandoned = worker.alive
            finally:
                worker.kill()
                files.close_all()
        status = await worker.wait()
    finally:
        worker.close()
    lines = output.lines()
    if isinstance(verdict, _Returned):
        return InvocationResult(return_value=verdict.value, log=lines if invocation.save_log else [])
    if isinstance(verdict, _Raised):
        if verdict.memory and limits.memory_bytes is not None:
            reason = _verdict.memory(limits)
        else:
            reason = _verdict.raised(verdict.type_name, verdict.message)
        raise FunctionFailed(reason, lines + verdict.traceback.splitlines())
    if isinstance(verdict, _Stopped):
        raise FunctionFailed(verdict.reason, lines)
    if abandoned:
        raise FunctionFailed("function closed its channel to the executor", lines)
    if status is UNKNOWN_EXIT:
        # The template went away and took the worker with it: not the function's doing.
        raise SandboxError("the python sandbox failed while the function ran")
    boot_cpu = float(worker.hello.get("cpu_s", 0.0))
    raise FunctionFailed(_verdict.died(status, limits, boot_cpu), lines)


async def _drain(worker: WorkerProcess, output: _Output) -> None:
    while chunk := await worker.log.read_some():
        output.add(chunk)


async def _converse_within(
    worker: WorkerProcess, invocation: Invocation, argv: list[str], files: TaskFiles
) -> _Verdict:
    try:
        async with asyncio.timeout(invocation.limits.wall_time_s):
            return await _converse(worker, invocation, argv, files)
    except TimeoutError:
        return _Stopped(_verdict.wall_time(invocation.limits))


async def _converse(
    worker: WorkerProcess, invocation: Invocation, argv: list[str], files: TaskFiles
) -> _Verdict:
    limits = invocation.limits
    task = {"argv": argv, "limits": {"cpu_time_s": limits.cpu_time_s, "memory_bytes": limits.memory_bytes}}
    try:
        await worker.send(Kind.TASK, dump_json(task))
        await worker.send(Kind.PAYLOAD, invocation.payload)
        while True:
            kind, length = decode_header(await worker.results.read_exactly(HEADER.size))
            verdict = await _serve(worker, files, kind, length)
            if verdict is not None:
                return verdict
    except (EOFError, BrokenPipeError):
        return None
    except OutputLimitExceeded:
        return _Stopped(_verdict.output(limits))
    except ProtocolViolation as violation:
        log.warning("python worker %d broke the protocol: %s", worker.pid, violation)
        return _Stopped("function broke the executor protocol")


async def _serve(worker: WorkerProcess, files: TaskFiles, kind: int, length: int) -> _Verdict:
    """Answer one frame of the worker; return a verdict when the function has finished."""
    if kind == Kind.RETURN:
        files.count_output(length)
        return _Returned(await worker.results.read_exactly(length))
    largest = _LARGEST.get(kind, MAX_CONTROL)
    if length > largest:
        raise ProtocolViolation(f"frame {kind} of {length} bytes")
    body = await worker.results.read_exactly(length)
    try:
        if kind == Kind.OPEN:
            await _open(worker, files, body)
        elif kind == Kind.READ:
            handle, size = READ_REQUEST.unpack(body)
            try:
                data = files.read(handle, min(size, CHUNK))
            except OSError as error:
                await worker.send(Kind.ERROR, f"read failed: {error.strerror}".encode())
            else:
                await worker.send(Kind.DATA, data)
        elif kind == Kind.WRITE:
            (handle,) = HANDLE.unpack(body[: HANDLE.size])
            files.write(handle, body[HANDLE.size :])
        elif kind == Kind.CLOSE:
            files.close(*HANDLE.unpack(body))
        elif kind == Kind.RAISE:
            info = load_json(body)
            return _Raised(
                str(info["type"]), str(info["message"]), str(info["traceback"]), info["memory"] is True
            )
        else:
            raise ProtocolViolation(f"unexpected frame {kind}")
    except (struct.error, ValueError, KeyError, TypeError) as error:
        raise ProtocolViolation(f"malformed frame {kind}: {error!r}") from None
    return None


async def _open(worker: WorkerProcess, files: TaskFiles, body: bytes) -> None:
    request = load_json(body)
    name, mode = request["name"], request["mode"]
    if not isinstance(name, str) or not isinstance(mode, str):
        raise ProtocolViolation("OPEN without a name and a mode")
    try:
        handle = files.open(name, mode)
    except OpenRefused as refusal:
        await worker.send(Kind.ERROR, str(refusal).encode())
    else:
        await worker.send(Kind.OK, HANDLE.pack(handle))
