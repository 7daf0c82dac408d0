"""The file agent: how execution fetches a task's inputs and stores its outputs.

URL schemes: ``file://``, ``http://``, ``https://`` (GET / PUT), ``data:`` (read only) and
``fusion:///TEACLAVE_FUSION_BASE/<rel>`` (under the configured fusion base directory).
Transfers stream in bounded memory, run in worker threads, and retry transient network
failures with backoff; every other failure raises a ``FileAgentError`` naming URL and cause.
"""

from teahouse.fileagent._agent import FileAgent, FileAgentConfig
from teahouse.fileagent._errors import (
    DestinationExists,
    FileAgentError,
    HTTPStatusError,
    InvalidURL,
    NetworkError,
    SourceNotFound,
    TransferFailed,
    TransferTimeout,
)
from teahouse.fileagent._urls import FUSION_PREFIX, redact

__all__ = [
    "FUSION_PREFIX",
    "DestinationExists",
    "FileAgent",
    "FileAgentConfig",
    "FileAgentError",
    "HTTPStatusError",
    "InvalidURL",
    "NetworkError",
    "SourceNotFound",
    "TransferFailed",
    "TransferTimeout",
    "redact",
]
