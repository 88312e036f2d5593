"""Read-side safety checks on a configuration file and its folder, as ssh makes them."""

from __future__ import annotations

import os
import stat

__all__ = ["unsafe_reasons"]

_READ_BY_OTHERS = stat.S_IRGRP | stat.S_IROTH
_WRITTEN_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH


def unsafe_reasons(path: str, st: os.stat_result, *, holds_secret: bool, system: bool) -> list[str]:
    """Say why a configuration file cannot be trusted, or return ``[]`` when it can.

    Each reason is one line, names the path and never quotes the file's contents.
    Mode bits and owners do not apply on Windows, so there the list is empty.

    Args:
        path: The file, as the user should see it in the message.
        st: The file's ``os.stat`` result, which the caller already has.
        holds_secret: The file holds a secret key, so reading by others matters.
        system: The file is the system-wide one, which root may own.

    Returns:
        One warning per problem: secret readable by others, then writable by
        others or foreign owner, first for the file and then for its folders.

    """
    if os.name == "nt":
        return []
    reasons: list[str] = []
    if holds_secret and st.st_mode & _READ_BY_OTHERS:
        reasons.append(
            f"{path} holds a secret and is readable by others; run: chmod 600 {_quote(path)}"
        )
    reasons += _entry_reasons(path, st, "", system)
    for folder in _folders(path):
        try:
            folder_st = os.stat(folder)
        except OSError:
            continue  # a folder we cannot stat is the reader's problem, not a warning
        reasons += _entry_reasons(folder, folder_st, "the folder ", system)
    return reasons


def _entry_reasons(path: str, st: os.stat_result, kind: str, system: bool) -> list[str]:
    """Check one file or folder for write access by others and for a foreign owner."""
    reasons: list[str] = []
    mode = stat.S_IMODE(st.st_mode)
    if mode & _WRITTEN_BY_OTHERS:
        reasons.append(
            f"{kind}{path} can be written by group or others (mode {mode:04o}); "
            f"run: chmod go-w {_quote(path)}"
        )
    me = os.getuid()
    trusted = {me, 0} if system else {me}
    if st.st_uid not in trusted:
        who = "root or you" if system else "you"
        reasons.append(f"{kind}{path} is owned by uid {st.st_uid}, not by {who} (uid {me})")
    return reasons


def _folders(path: str) -> list[str]:
    """Return the folder holding ``path`` and, for a symlink, the one holding its target."""
    # Whoever can write either folder can swap the file the reader ends up opening.
    folders = [os.path.dirname(os.path.abspath(path))]
    if os.path.islink(path):
        target_folder = os.path.dirname(os.path.realpath(path))
        if target_folder not in folders:
            folders.append(target_folder)
    return folders


def _quote(path: str) -> str:
    """Quote ``path`` for the shell, so the suggested command is safe to paste."""
    import shlex  # noqa: PLC0415  # only a warning needs it, so keep it out of import time

    return shlex.quote(path)
