"""Run the ``ledger`` program as on Windows, as far as Linux can pretend: ``python tests/posixless.py ARGS``.

Importing fcntl, pwd, grp, termios or resource raises ImportError (as on Windows),
the ``os`` functions Windows lacks are gone (fchmod, fchown, pread, pwrite), and
``-X warn_default_encoding`` warnings from the tool's own code are errors: on
Windows a file opened without an encoding is read as GBK. (Other libraries'
are hidden: openpyxl names a temporary file that way and never writes text to it.)
"""

from __future__ import annotations

import importlib.abc
import os
import sys
import warnings

POSIX_ONLY = frozenset({"fcntl", "pwd", "grp", "termios", "resource"})
WINDOWS_LACKS = ("fchmod", "fchown", "pread", "pwrite")


class _NoPosix(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname.partition(".")[0] in POSIX_ONLY:
            raise ImportError(f"No module named {fullname!r} (simulated Windows)", name=fullname)


def simulate() -> None:
    for name in [m for m in sys.modules if m.partition(".")[0] in POSIX_ONLY]:
        del sys.modules[name]
    sys.meta_path.insert(0, _NoPosix())
    for attr in WINDOWS_LACKS:
        if hasattr(os, attr):
            delattr(os, attr)
    warnings.filterwarnings("ignore", category=EncodingWarning)
    warnings.filterwarnings("error", category=EncodingWarning, module=r"bizenv_ledger(\..*)?")  # checked first


if __name__ == "__main__":
    simulate()
    from bizenv_ledger.cli.main import main

    sys.argv[0] = "ledger"
    main()
