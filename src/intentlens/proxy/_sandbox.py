"""Resource limits for an upstream server's process: memory, CPU time, open files, and no network.

Applied in the child between ``fork`` and ``exec`` (``preexec_fn``), so they bind the server and
everything it starts, never the gateway. Memory, CPU and files are POSIX ``setrlimit`` limits; no
network is a fresh Linux network namespace with nothing in it but a loopback that is down
(``unshare``; as an ordinary user through a user namespace that maps the user to itself). Where the
platform cannot do what is asked, :meth:`ProcessLimits.problem` says so before anyone is served:
a limit is never dropped in silence.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from dataclasses import dataclass
from functools import cache

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


@dataclass(frozen=True)
class ProcessLimits:
    """What an upstream process may use (None: no limit)."""

    memory_mb: int | None = None
    """Address space, in MiB (``RLIMIT_AS``)."""
    cpu_seconds: int | None = None
    """CPU time, in seconds (``RLIMIT_CPU``): past it the process is killed."""
    open_files: int | None = None
    """Open file descriptors (``RLIMIT_NOFILE``)."""
    network: bool = True
    """False: the process and its children reach no network, loopback included."""

    def apply(self) -> None:
        """Set the limits in the current process (the child, before ``exec``)."""
        import resource

        for limit, value in ((resource.RLIMIT_AS, self.memory_mb and self.memory_mb * 1024 * 1024),
                             (resource.RLIMIT_CPU, self.cpu_seconds),
                             (resource.RLIMIT_NOFILE, self.open_files)):
            if value:
                resource.setrlimit(limit, (value, value))
        if not self.network:
            _no_network()

    def problem(self) -> str | None:
        """Why these limits cannot be applied here, or None."""
        if sys.platform == "win32":
            return "process limits need a POSIX system"
        if not self.network and (why := _network_namespaces()) is not None:
            return f"network = false needs Linux network namespaces, which this machine refuses ({why})"
        return None


def _no_network() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(_CLONE_NEWNET) == 0:
        return
    uid, gid = os.getuid(), os.getgid()  # an ordinary user: a user namespace first, mapped to itself
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "unshare: cannot make a network namespace")
    for path, text in (("/proc/self/setgroups", "deny"), ("/proc/self/uid_map", f"{uid} {uid} 1"),
                       ("/proc/self/gid_map", f"{gid} {gid} 1")):
        with open(path, "w", encoding="ascii") as handle:
            handle.write(text)


@cache
def _network_namespaces() -> str | None:
    """None when a child can be put in a network namespace of its own here, else why not."""
    if not sys.platform.startswith("linux"):
        return "not Linux"
    try:
        subprocess.run([sys.executable, "-c", "pass"], preexec_fn=_no_network, check=True,
                       capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return str(exc)
    return None
