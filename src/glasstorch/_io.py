"""Writing files so that they are never seen half-written.

Everything glasstorch saves (histories, graph pictures, ``glasstorch fit`` results) goes
through :func:`atomic_write`: the data goes to a temporary file in the same folder, is
flushed to disk, and only then renamed over the target, so an error or a crash halfway
leaves the old file exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> None:
    r"""Write ``data`` (bytes, or text as UTF-8) to ``path`` via a temporary file and a rename.

    The new file keeps the old one's permissions, or gets a normal file's mode (mkstemp
    would make it private).

    Example:
        >>> import os, tempfile
        >>> target = os.path.join(tempfile.mkdtemp(), 'note.txt')
        >>> atomic_write(target, 'hello\\n')
        >>> open(target).read()
        'hello\\n'
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        if target.exists():
            mode = stat.S_IMODE(target.stat().st_mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
