"""Code that runs in the template process and in the sandboxed workers forked from it.

The template loads this package straight from its directory under the name
``teahouse_sandbox`` (see ``_template.LAUNCHER``), so that it does not import the executor side
(asyncio, ssl). It therefore uses only relative imports and the standard library (libseccomp is
called through ctypes). The executor imports :mod:`._protocol`, and the error strings of
:mod:`._teaclave`, from here too; nothing else of this package runs in the executor's process.

Until :func:`._boot.become_worker` loads the seccomp filter, everything here is trusted code;
after that the process runs the task's code and the executor treats everything it says as
untrusted.
"""
