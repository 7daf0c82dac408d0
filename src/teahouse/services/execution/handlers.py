"""gRPC face of the standalone executor (``teahouse_executor_service.proto``)."""

from __future__ import annotations

import json

from teahouse.errors import InvalidArgument
from teahouse.proto import teahouse_executor_service_pb2 as pb
from teahouse.services.execution.standalone import StandaloneExecutor, StandaloneRun


class StandaloneHandlers:
    def __init__(self, executor: StandaloneExecutor) -> None:
        self._executor = executor

    async def run(self, request: pb.RunRequest) -> pb.RunResponse:
        try:
            arguments = json.loads(request.function_arguments or "{}")
        except json.JSONDecodeError as exc:
            raise InvalidArgument(f"function_arguments: not JSON ({exc})") from None
        if not isinstance(arguments, dict):
            raise InvalidArgument("function_arguments: must be a JSON object")
        inputs: dict[str, bytes] = {}
        for item in request.inputs:
            if item.name in inputs:
                raise InvalidArgument(f"inputs: {item.name!r} is given twice")
            inputs[item.name] = item.content
        result = await self._executor.run(
            StandaloneRun(
                executor_type=request.executor_type,
                function_name=request.function_name,
                payload=request.payload,
                arguments=arguments,
                inputs=inputs,
                outputs=tuple(request.outputs),
                save_log=request.save_log,
            )
        )
        return pb.RunResponse(
            ok=result.ok,
            return_value=result.return_value,
            outputs=[pb.NamedFile(name=n, content=c) for n, c in sorted(result.outputs.items())],
            log=result.log,
            failure_reason=result.failure_reason,
        )
