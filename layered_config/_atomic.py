"""Locked, atomic read-change-write of the user configuration file."""

from __future__ import annotations

import contextlib
import os
import stat
from typing import TYPE_CHECKING, NamedTuple

from ._errors import ConfigWriteError, LockTimeoutError

if TYPE_CHECKING:
    from collections.abc import Callable

    from filelock import BaseFileLock

__all__ = ["WriteResult", "locked_update"]

_NEW_FILE_MODE, _NEW_DIR_MODE, _GROUP_OTHER = 0o600, 0o700, 0o077
_RANDOM_BYTES, _HEX = 6, frozenset("0123456789abcdef")
# A planted name makes O_EXCL fail; a few fresh names cover bad luck, not a siege.
_TEMP_ATTEMPTS = 5
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
# O_NOFOLLOW: a planted symlink at the temp name must fail, never redirect the write.
_TEMP_FLAGS |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_POSIX = os.name != "nt"


class WriteResult(NamedTuple):
    """What :func:`locked_update` did; ``mode`` is the final mode, or 0 with no file."""

    path: str
    changed: bool
    created: bool
    tightened: bool
    mode: int


def locked_update(
    path: str | os.PathLike[str],
    change: Callable[[str | None], str | None],
    *,
    secret: bool = False,
    lock_timeout: float = 10.0,
) -> WriteResult:
    """Apply ``change`` to the file at ``path`` under its lock, atomically.

    A symlink at ``path`` is kept and its target is written. A crash leaves
    either the old file or the new one, never a mix.

    Args:
        path: The configuration file; it need not exist yet.
        change: Gets the current text (``None`` when there is no file) and
            returns the new text, or ``None`` to leave the file alone.
        secret: The new text holds a secret, so a file readable by group or
            others is tightened to 0600.
        lock_timeout: Seconds to wait for the lock held by another writer.

    Returns:
        Where the text went and what changed.

    Raises:
        LockTimeoutError: Another process held the lock past ``lock_timeout``.
        ConfigWriteError: The file could not be read or written; it is unchanged.

    """
    given = os.path.abspath(os.fspath(path))
    try:
        _ensure_folder(os.path.dirname(given))
    except OSError as exc:
        raise _write_error(exc.filename or given, exc) from exc
    lock = _acquire(given + ".lock", lock_timeout)
    try:
        # Resolve under the lock: the link may have moved since the caller looked.
        real = os.path.realpath(given)
        old, st = _read(real)
        # ``change`` runs outside any OSError mapping: its errors are the caller's own.
        new = change(old)
        if new is None or new == old:
            mode = 0 if st is None else stat.S_IMODE(st.st_mode)
            return WriteResult(real, changed=False, created=False, tightened=False, mode=mode)
        try:
            data = new.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate, from undecodable argv bytes
            msg = f"cannot write {real}: the new text is not valid UTF-8 at character {exc.start}"
            raise ConfigWriteError(msg) from None
        return _commit(real, data, st, secret)
    finally:
        lock.release()


def _acquire(lock_path: str, timeout: float) -> BaseFileLock:
    """Take the flock on ``lock_path``, mapping filelock's errors to ours."""
    from filelock import FileLock, Timeout  # noqa: PLC0415  # keeps filelock out of import time

    lock = FileLock(lock_path, timeout=timeout, mode=_NEW_FILE_MODE)
    try:
        lock.acquire()
    except Timeout:
        msg = (
            f"gave up after {timeout:g} s waiting for the lock {lock_path}: "
            "another layered-config process is writing the configuration"
        )
        raise LockTimeoutError(msg) from None
    except OSError as exc:
        raise _write_error(lock_path, exc) from exc
    return lock


def _write_error(path: str, exc: OSError) -> ConfigWriteError:
    """Build a one-line error that names ``path`` and the system's reason."""
    error = ConfigWriteError(f"cannot write {path}: {exc.strerror or exc}")
    error.errno = exc.errno
    return error


def _ensure_folder(folder: str) -> None:
    """Create ``folder`` and its missing parents as 0700; leave existing ones alone."""
    missing: list[str] = []
    while folder and not os.path.isdir(folder):
        missing.append(folder)
        parent = os.path.dirname(folder)
        folder = "" if parent == folder else parent
    for leaf in reversed(missing):
        try:
            os.mkdir(leaf, _NEW_DIR_MODE)
        except FileExistsError:
            continue  # another writer made it first, so its mode is not ours to set
        if _POSIX:
            os.chmod(leaf, _NEW_DIR_MODE)  # mkdir's mode is masked by the umask


def _read(real: str) -> tuple[str | None, os.stat_result | None]:
    """Return the file's exact text (CRLF kept) and its stat, or ``(None, None)``."""
    try:
        with open(real, "rb") as file:
            data = file.read()
            st = os.fstat(file.fileno())
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        raise _write_error(real, exc) from exc
    try:
        return data.decode("utf-8"), st
    except UnicodeDecodeError as exc:
        msg = f"cannot update {real}: not valid UTF-8 at byte {exc.start}"
        raise ConfigWriteError(msg) from None


def _commit(real: str, data: bytes, st: os.stat_result | None, secret: bool) -> WriteResult:
    """Write ``data`` beside ``real`` and rename it into place, or raise with nothing changed."""
    folder, name = os.path.split(real)
    mode, tightened = _target_mode(st, secret)
    try:
        _ensure_folder(folder)  # a dangling symlink may point into a missing folder
        _replace(folder, name, data, st, mode)
    except ConfigWriteError:
        raise
    except OSError as exc:
        raise _write_error(real, exc) from exc
    _sweep(folder, name)
    return WriteResult(real, changed=True, created=st is None, tightened=tightened, mode=mode)


def _replace(folder: str, name: str, data: bytes, st: os.stat_result | None, mode: int) -> None:
    """Write a synced temp file and rename it over ``name``; remove it on any failure."""
    fd, temp = _open_temp(folder, name)
    try:
        with open(fd, "wb") as file:
            _copy_owner_and_mode(file.fileno(), st, mode)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, os.path.join(folder, name))
    except BaseException:
        _unlink_quietly(temp)
        raise
    _fsync_folder(folder)


def _target_mode(st: os.stat_result | None, secret: bool) -> tuple[int, bool]:
    """Return the new file's mode and whether it is tighter than the old one."""
    if st is None:
        return _NEW_FILE_MODE, False
    old = stat.S_IMODE(st.st_mode)
    tighten = secret and _POSIX and bool(old & _GROUP_OTHER)
    return (_NEW_FILE_MODE if tighten else old), tighten


def _random_suffix() -> str:
    """Return the random part of a temp name; tests replace it to plant a name."""
    return os.urandom(_RANDOM_BYTES).hex()


def _open_temp(folder: str, name: str) -> tuple[int, str]:
    """Create a fresh temp file that is not, and does not follow, an existing entry."""
    for _ in range(_TEMP_ATTEMPTS):
        temp = os.path.join(folder, f".{name}.{_random_suffix()}.tmp")
        try:
            return os.open(temp, _TEMP_FLAGS, _NEW_FILE_MODE), temp
        except FileExistsError:
            continue
    msg = f"cannot write {os.path.join(folder, name)}: every temp name tried already exists"
    raise ConfigWriteError(msg)


def _copy_owner_and_mode(fd: int, st: os.stat_result | None, mode: int) -> None:
    """Give the temp file the old owner (as root, best effort) and the final mode."""
    if not _POSIX:
        return
    if st is not None and os.geteuid() == 0:
        # Keeping root as the owner is safe, only less convenient, so failure is fine.
        with contextlib.suppress(OSError):
            os.fchown(fd, st.st_uid, st.st_gid)
    # After fchown, which clears set-id bits; explicit, because os.open's mode is masked.
    os.fchmod(fd, mode)


def _fsync_folder(folder: str) -> None:
    """Make the rename durable where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder; the rename still happened
    with contextlib.suppress(OSError):  # some file systems refuse fsync on folders
        os.fsync(fd)
    os.close(fd)


def _sweep(folder: str, name: str) -> None:
    """Remove temp files of ``name`` that crashed writers left behind."""
    prefix = f".{name}."
    try:
        entries = os.listdir(folder)
    except OSError:
        return  # the write already succeeded; leftovers wait for the next one
    # We hold the lock, so no live writer owns any of these names.
    for entry in entries:
        middle = entry[len(prefix) : -len(".tmp")]
        named_like_ours = len(middle) == 2 * _RANDOM_BYTES and set(middle) <= _HEX
        if named_like_ours and entry.startswith(prefix) and entry.endswith(".tmp"):
            _unlink_quietly(os.path.join(folder, entry))


def _unlink_quietly(path: str) -> None:
    """Remove ``path`` if it is there; a failed cleanup must not hide the real error."""
    with contextlib.suppress(OSError):
        os.unlink(path)
