"""Errors of the file agent. Every message names the URL (without its query) and the cause.

::

    FileAgentError (DomainError)
    ├── InvalidURL           unusable URL: bad syntax, unsupported scheme or direction, bad fusion path
    ├── SourceNotFound       the file to read does not exist (file://, fusion, local upload source)
    ├── DestinationExists    refusing to overwrite (file://, fusion, or the local download target)
    └── TransferFailed       the remote side failed; ``transient`` says if a retry may help
        ├── HTTPStatusError  the server answered with an error status
        └── NetworkError     connection, DNS or TLS failure
            └── TransferTimeout

Integrity failures of downloaded files are ``teahouse.crypto.files.FileCryptoError`` subclasses.
"""

from __future__ import annotations

from teahouse.errors import DomainError


class FileAgentError(DomainError):
    """Base of every failure to fetch or store a file."""

    message = "file transfer failed"

    def __init__(self, url: str, cause: str) -> None:
        self.url = url
        self.cause = cause
        super().__init__(f"{url}: {cause}")


class InvalidURL(FileAgentError):
    pass


class SourceNotFound(FileAgentError):
    pass


class DestinationExists(FileAgentError):
    pass


class TransferFailed(FileAgentError):
    """``transient`` failures are retried by the agent before they are raised."""

    transient: bool = False

    def __init__(self, url: str, cause: str, *, transient: bool) -> None:
        self.transient = transient
        super().__init__(url, cause)

    def gave_up_after(self, attempts: int) -> None:
        """Record in the message that this was the last of ``attempts`` tries."""
        self.message = f"{self.message} (gave up after {attempts} attempts)"
        self.args = (self.message,)


class HTTPStatusError(TransferFailed):
    def __init__(self, url: str, method: str, status: int, reason: str, *, transient: bool) -> None:
        self.status = status
        super().__init__(url, f"{method} returned HTTP {status} {reason}".rstrip(), transient=transient)


class NetworkError(TransferFailed):
    pass


class TransferTimeout(NetworkError):
    pass
