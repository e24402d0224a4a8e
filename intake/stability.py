"""Is a file complete? Ask the kernel whether anyone still has it open for writing."""

from __future__ import annotations

import errno
import fcntl
import os
import stat

# Linux only: a read lease cannot be taken while any process has the file open for writing.
F_SETLEASE = getattr(fcntl, "F_SETLEASE", 1024)
F_RDLCK = getattr(fcntl, "F_RDLCK", 0)
F_UNLCK = getattr(fcntl, "F_UNLCK", 2)


def open_for_writing(path: str | os.PathLike[str]) -> bool | None:
    """True if a writer still holds the file open, False if none does, None if unknowable
    (network filesystems and other owners' files refuse leases: rely on the settle time)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_NOCTTY)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        try:
            fcntl.fcntl(fd, F_SETLEASE, F_RDLCK)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EBUSY):
                return True
            return None
        fcntl.fcntl(fd, F_SETLEASE, F_UNLCK)
        return False
    finally:
        os.close(fd)
