"""Connection settings of the client commands, the saved login (profile) and the SDK clients built from them.

Each setting comes from, in order: the command line (``--trust``, ``--auth``, ``--frontend``,
``--profile``), the environment (``TEAHOUSE_TRUST``, ``TEAHOUSE_AUTH``, ``TEAHOUSE_FRONTEND``,
``TEAHOUSE_PROFILE``), the profile that ``teahouse login`` wrote, and Teaclave's defaults.
"""

from __future__ import annotations

import functools
import logging
import os
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
import tomli_w

from teahouse.cli._errors import USER_META
from teahouse.cli._output import CliError, OneLineUsageError
from teahouse.sdk import SIMULATION_WARNING, AuthenticationClient, Credentials, FrontendClient, Trust

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_AUTH = "localhost:7776"
DEFAULT_FRONTEND = "localhost:7777"
PROFILE_NAME = "credentials.toml"
#: How long a command keeps trying to reach a service that does not answer (yet).
CONNECT_TIMEOUT_S = 5.0
_PRIVATE = 0o600


def default_profile() -> Path:
    """``$XDG_CONFIG_HOME/teahouse/credentials.toml`` (``~/.config/...`` without the variable)."""
    return Path(click.get_app_dir("teahouse")) / PROFILE_NAME


@dataclass(frozen=True)
class Profile:
    """What ``teahouse login`` keeps: the user, the token and where the platform is."""

    user: str = ""
    token: str = ""
    auth: str = ""
    frontend: str = ""
    trust: str = ""

    @classmethod
    def load(cls, path: Path) -> Profile | None:
        """The profile at ``path``, ``None`` if there is none; refuses one that others can read."""
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            return None
        if mode & 0o077:
            raise CliError(
                f"profile {path} can be read by other users (mode {mode & 0o777:o}): "
                f"run `chmod 600 {path}` or log in again"
            )
        try:
            data = tomllib.loads(path.read_text())
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise CliError(f"profile {path} is unreadable ({exc}); delete it and log in again") from None
        known = {k: str(v) for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def save(self, path: Path) -> None:
        """Write the profile readable by the user only (0600), replacing any older one at once."""
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        content = tomli_w.dumps({k: v for k, v in asdict(self).items() if v}).encode()
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, _PRIVATE)
        try:
            os.fchmod(fd, _PRIVATE)
            os.write(fd, content)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)

    @property
    def credentials(self) -> Credentials | None:
        return Credentials(self.user, self.token) if self.user and self.token else None


class Connection:
    """The settings of one command invocation and the SDK clients made from them."""

    def __init__(
        self,
        *,
        trust: Path | None,
        auth: str | None,
        frontend: str | None,
        profile: Path | None,
        connect_timeout: float = CONNECT_TIMEOUT_S,
    ) -> None:
        self.connect_timeout = connect_timeout
        self.profile_path = profile if profile is not None else default_profile()
        self._given_trust = trust
        self._given_auth = auth
        self._given_frontend = frontend
        self._profile: Profile | None = None
        self._loaded = False
        self._notice = _NoticeHandler()
        self._trust: Trust | None = None

    @property
    def profile(self) -> Profile | None:
        if not self._loaded:
            self._profile = Profile.load(self.profile_path)
            self._loaded = True
        return self._profile

    @property
    def auth_address(self) -> str:
        saved = self.profile.auth if self.profile is not None else ""
        return self._given_auth or saved or DEFAULT_AUTH

    @property
    def frontend_address(self) -> str:
        saved = self.profile.frontend if self.profile is not None else ""
        return self._given_frontend or saved or DEFAULT_FRONTEND

    @property
    def trust_dir(self) -> Path | None:
        if self._given_trust is not None:
            return self._given_trust
        saved = self.profile.trust if self.profile is not None else ""
        return Path(saved) if saved else None

    def trust(self) -> Trust:
        """The trust folder, loaded and checked once per command."""
        if self._trust is not None:
            return self._trust
        folder = self.trust_dir
        if folder is None:
            raise OneLineUsageError(
                "no trust folder: pass --trust DIR or set TEAHOUSE_TRUST "
                "(the platform operator writes one with `teahouse trust export DIR`)",
                click.get_current_context(silent=True),
            )
        self._trust = Trust.load(folder)
        return self._trust

    def credentials(self) -> Credentials:
        found = self.profile.credentials if self.profile is not None else None
        if found is None:
            raise CliError("not logged in: run `teahouse login USER`")
        click.get_current_context().meta[USER_META] = found.id
        return found

    @contextmanager
    def authentication(self, *, logged_in: bool = True) -> Iterator[AuthenticationClient]:
        """A client of the authentication service; with the saved login unless ``logged_in`` is False."""
        credentials = self.credentials() if logged_in else None
        trust = self.trust()
        with (
            self._notices(),
            AuthenticationClient(
                self.auth_address, trust, credentials, connect_timeout=self.connect_timeout
            ) as client,
        ):
            yield client

    @contextmanager
    def frontend(self, credentials: Credentials | None = None) -> Iterator[FrontendClient]:
        """A client of the frontend service with the saved login (or ``credentials``)."""
        credentials = credentials or self.credentials()
        trust = self.trust()
        with (
            self._notices(),
            FrontendClient(
                self.frontend_address, trust, credentials, connect_timeout=self.connect_timeout
            ) as client,
        ):
            yield client

    @contextmanager
    def _notices(self) -> Iterator[None]:
        """Show the SDK's warnings while a client is open (the simulation one once per command)."""
        logger = logging.getLogger("teahouse.sdk")
        if self._notice in logger.handlers:
            yield
            return
        logger.addHandler(self._notice)
        try:
            yield
        finally:
            logger.removeHandler(self._notice)


def connection_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add --trust/--auth/--frontend/--profile and pass them to ``fn`` as ``conn: Connection``."""

    @functools.wraps(fn)
    def wrapper(
        *args: Any,
        trust: Path | None,
        auth: str | None,
        frontend: str | None,
        profile: Path | None,
        connect_timeout: float,
        **kwargs: Any,
    ) -> Any:
        kwargs["conn"] = Connection(
            trust=trust, auth=auth, frontend=frontend, profile=profile, connect_timeout=connect_timeout
        )
        return fn(*args, **kwargs)

    options = [
        click.option(
            "--trust",
            envvar="TEAHOUSE_TRUST",
            type=click.Path(file_okay=False, path_type=Path),
            help="Trust folder exported by the platform (`teahouse trust export`); "
            "default: $TEAHOUSE_TRUST, then the one saved at login.",
        ),
        click.option(
            "--auth",
            envvar="TEAHOUSE_AUTH",
            metavar="HOST:PORT",
            help=f"Authentication service; default: $TEAHOUSE_AUTH, the login's, then {DEFAULT_AUTH}.",
        ),
        click.option(
            "--frontend",
            envvar="TEAHOUSE_FRONTEND",
            metavar="HOST:PORT",
            help=f"Frontend service; default: $TEAHOUSE_FRONTEND, the login's, then {DEFAULT_FRONTEND}.",
        ),
        click.option(
            "--profile",
            envvar="TEAHOUSE_PROFILE",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Where the login is kept; default: $TEAHOUSE_PROFILE or "
            "$XDG_CONFIG_HOME/teahouse/credentials.toml.",
        ),
        click.option(
            "--connect-timeout",
            envvar="TEAHOUSE_CONNECT_TIMEOUT",
            type=click.FloatRange(min=0.1),
            default=CONNECT_TIMEOUT_S,
            hidden=True,
            help="Seconds to keep trying to reach a service.",
        ),
    ]
    decorated: Callable[..., Any] = wrapper
    for option in reversed(options):
        decorated = option(decorated)
    return decorated


class _NoticeHandler(logging.Handler):
    """The SDK's warnings as ``warning: ...`` lines on stderr, the simulation warning only once.

    The SDK logs from its clients' event-loop threads; click.echo writes to whatever stderr is.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.simulation_shown = False

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if text.startswith(SIMULATION_WARNING):
            if self.simulation_shown:
                return
            self.simulation_shown = True
            text = SIMULATION_WARNING
        click.echo(f"warning: {text}", err=True)
