"""``_numpypy`` on top of numpy, for payloads written for MesaPy's micronumpy.

MesaPy exposed PyPy's micronumpy as ``_numpypy`` with the submodules ``multiarray`` (arrays:
``array``, ``zeros``, ``frombuffer``, ...) and ``umath`` (ufuncs: ``exp``, ``log``, ...). Each
of the three modules here carries numpy's public namespace, so ``import _numpypy as np`` followed
by ``np.multiarray.array(...)``, ``from _numpypy import umath`` and ``import _numpypy.multiarray``
all work. Only what is loaded before the sandbox closes is available, so numpy's submodules are
imported first (see ``_boot.PRELOAD``).
"""

from __future__ import annotations

import sys
import types


def install() -> bool:
    """Register the shim modules; False if numpy is not installed."""
    try:
        import numpy
    except ImportError:
        return False
    public = {name: value for name, value in vars(numpy).items() if not name.startswith("_")}
    top = types.ModuleType("_numpypy", "MesaPy's micronumpy names, served by numpy.")
    top.__path__ = []  # a package, so that "import _numpypy.multiarray" resolves
    for part in ("multiarray", "umath"):
        module = types.ModuleType(f"_numpypy.{part}", f"MesaPy's _numpypy.{part}, served by numpy.")
        module.__dict__.update(public)
        setattr(top, part, module)
        sys.modules[module.__name__] = module
    for name, value in public.items():
        top.__dict__.setdefault(name, value)
    sys.modules["_numpypy"] = top
    return True
