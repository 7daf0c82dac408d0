"""Code that runs inside the sandboxed worker process.

This package is loaded by the worker straight from its directory under the name
``teahouse_sandbox`` (see ``_process.LAUNCHER``), so that starting a worker does not import the
executor side (asyncio, ssl). It therefore uses only relative imports, the standard library and
``pyseccomp``. The executor imports :mod:`._protocol` from here too; nothing else of this package
runs in the executor's process.

Until :func:`._boot.main` loads the seccomp filter, everything here is trusted code; after that
the process runs the task's code and the executor treats everything it says as untrusted.
"""
