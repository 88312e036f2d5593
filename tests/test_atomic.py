"""Tests for the locked, atomic writer of the user configuration file."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import os
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layered_config import _atomic
from layered_config._atomic import WriteResult, locked_update
from layered_config._errors import ConfigWriteError, LockTimeoutError

posix_only = pytest.mark.skipif(os.name == "nt", reason="mode bits do not apply on Windows")
root_only = pytest.mark.skipif(
    os.name == "nt" or os.geteuid() != 0, reason="only root can give a file to another user"
)

# Holds the lock in a separate process until its stdin closes.
LOCK_HOLDER = """
import sys
from filelock import FileLock
with FileLock(sys.argv[1]):
    print("locked", flush=True)
    sys.stdin.read()
"""


def mode_of(path: Path) -> int:
    """Return the permission bits of ``path``."""
    return stat.S_IMODE(os.stat(path).st_mode)


def temp_files(folder: Path) -> list[str]:
    """Return the names in ``folder`` that look like temp files."""
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


def existing(tmp_path: Path, data: bytes = b"a = 1\n", mode: int = 0o600) -> Path:
    """Create ``config.toml`` in ``tmp_path`` with ``data`` and ``mode``."""
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    os.chmod(path, mode)
    return path


def append(line: str) -> Callable[[str | None], str]:
    """Return a change that appends ``line`` to the text."""
    return lambda old: (old or "") + line


@posix_only
def test_new_file_is_0600_in_new_0700_folders(tmp_path: Path) -> None:
    """A new file is 0600, and every folder created for it is 0700, as is the lock file."""
    path = tmp_path / "made" / "for" / "config.toml"
    result = locked_update(path, append("a = 1\n"))
    assert result == WriteResult(str(path), changed=True, created=True, tightened=False, mode=0o600)
    assert mode_of(path) == 0o600
    assert mode_of(tmp_path / "made") == mode_of(tmp_path / "made" / "for") == 0o700
    assert mode_of(tmp_path / "made" / "for" / "config.toml.lock") == 0o600


@posix_only
def test_strict_umask_does_not_leave_unusable_modes(tmp_path: Path) -> None:
    """A umask that strips owner bits still yields a 0600 file in a 0700 folder."""
    path = tmp_path / "made" / "config.toml"
    old_umask = os.umask(0o277)
    try:
        locked_update(path, append("a = 1\n"))
    finally:
        os.umask(old_umask)
    assert (mode_of(path), mode_of(path.parent)) == (0o600, 0o700)


@posix_only
def test_existing_mode_is_kept(tmp_path: Path) -> None:
    """Rewriting a 0640 file without a secret keeps it 0640."""
    path = existing(tmp_path, mode=0o640)
    result = locked_update(path, append("b = 2\n"))
    assert (result.mode, result.tightened, result.created) == (0o640, False, False)
    assert mode_of(path) == 0o640


@posix_only
def test_secret_tightens_a_file_others_can_read(tmp_path: Path) -> None:
    """Writing a secret into a 0644 file makes it 0600 and reports the tightening."""
    path = existing(tmp_path, mode=0o644)
    result = locked_update(path, append("secret_key = 'x'\n"), secret=True)
    assert (result.mode, result.tightened) == (0o600, True)
    assert mode_of(path) == 0o600


@posix_only
def test_secret_leaves_a_private_file_alone(tmp_path: Path) -> None:
    """Writing a secret into a 0400 file keeps 0400 and reports no tightening."""
    path = existing(tmp_path, mode=0o400)
    result = locked_update(path, append("secret_key = 'x'\n"), secret=True)
    assert (result.mode, result.tightened, mode_of(path)) == (0o400, False, 0o400)


@root_only
def test_root_keeps_the_owner_of_an_existing_file(tmp_path: Path) -> None:
    """When root rewrites another user's file, that user still owns it."""
    path = existing(tmp_path)
    os.chown(path, 65534, 65534)
    locked_update(path, append("b = 2\n"))
    assert (os.stat(path).st_uid, os.stat(path).st_gid) == (65534, 65534)


def test_text_round_trips_byte_for_byte(tmp_path: Path) -> None:
    """``change`` sees CRLF and non-ASCII exactly as stored, and its text is stored exactly."""
    original = "# caf\u00e9\r\na = 1\r\n\r\n".encode()
    path = existing(tmp_path, original)
    seen: list[str | None] = []

    def change(old: str | None) -> str:
        seen.append(old)
        return (old or "") + "b = '\u2603'\r\n"

    locked_update(path, change)
    assert seen == [original.decode()]
    assert path.read_bytes() == original + "b = '\u2603'\r\n".encode()


@settings(max_examples=50, deadline=None)
@given(st.text(st.characters(blacklist_categories=["Cs"])))
def test_any_text_is_stored_as_its_utf8_bytes(text: str) -> None:
    """Any text, CR and LF included, is stored as its exact UTF-8 and read back unchanged."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        locked_update(path, lambda old: text)
        assert path.read_bytes() == text.encode()
        seen: list[str | None] = []
        locked_update(path, seen.append)  # returns None, so nothing is written
        assert seen == [text]


@pytest.mark.parametrize("answer", [None, "a = 1\n"], ids=["none", "same-text"])
def test_no_change_writes_nothing(tmp_path: Path, answer: str | None) -> None:
    """A change returning ``None`` or the same text leaves inode, mtime and folder alone."""
    path = existing(tmp_path)
    before = os.stat(path)
    result = locked_update(path, lambda old: answer)
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert (result.changed, result.created) == (False, False)
    assert temp_files(tmp_path) == []


def test_no_change_and_no_file_creates_no_file(tmp_path: Path) -> None:
    """A change returning ``None`` when there is no file creates none."""
    path = tmp_path / "config.toml"
    result = locked_update(path, lambda old: None)
    assert not path.exists()
    assert (result.changed, result.mode) == (False, 0)


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="needs POSIX symlinks")
def test_symlinked_config_is_written_through(tmp_path: Path) -> None:
    """A symlinked config writes the target and stays a symlink; the lock sits by the link."""
    (tmp_path / "dotfiles").mkdir()
    target = existing(tmp_path / "dotfiles")
    link = tmp_path / "config.toml.link"
    link.symlink_to(target)
    result = locked_update(link, append("b = 2\n"))
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == b"a = 1\nb = 2\n"
    assert result.path == os.path.realpath(target)
    assert (tmp_path / "config.toml.link.lock").exists()


@pytest.mark.skipif(os.name == "nt", reason="needs POSIX symlinks")
def test_planted_symlink_at_temp_name_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A symlink planted at the chosen temp name is not followed; a fresh name is used.

    Names are random, so the test makes the generator pick the planted name first.
    """
    victim = tmp_path / "victim"
    victim.write_bytes(b"untouched")
    (tmp_path / ".config.toml.aaaaaaaaaaaa.tmp").symlink_to(victim)
    names = iter(["aaaaaaaaaaaa", "bbbbbbbbbbbb"])
    monkeypatch.setattr(_atomic, "_random_suffix", lambda: next(names))
    path = existing(tmp_path)
    locked_update(path, append("b = 2\n"))
    assert victim.read_bytes() == b"untouched"
    assert path.read_bytes() == b"a = 1\nb = 2\n"


@pytest.mark.skipif(os.name == "nt", reason="needs POSIX symlinks")
def test_only_planted_temp_names_fail_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When every temp name tried is planted, the write fails and nothing is written."""
    victim = tmp_path / "victim"
    victim.write_bytes(b"untouched")
    (tmp_path / ".config.toml.aaaaaaaaaaaa.tmp").symlink_to(victim)
    monkeypatch.setattr(_atomic, "_random_suffix", lambda: "aaaaaaaaaaaa")
    path = existing(tmp_path)
    with pytest.raises(ConfigWriteError, match="temp name"):
        locked_update(path, append("b = 2\n"))
    assert (victim.read_bytes(), path.read_bytes()) == (b"untouched", b"a = 1\n")


def test_orphaned_temp_files_are_swept(tmp_path: Path) -> None:
    """A write removes temp files that crashed writers left, and nothing else."""
    path = existing(tmp_path)
    keep = [".config.toml.notes.tmp", ".other.toml.0123456789ab.tmp", "config.toml.bak"]
    for name in [*keep, ".config.toml.0123456789ab.tmp", ".config.toml.fedcba987654.tmp"]:
        (tmp_path / name).write_text("x")
    locked_update(path, append("b = 2\n"))
    assert temp_files(tmp_path) == sorted(n for n in keep if n.endswith(".tmp"))
    assert (tmp_path / "config.toml.bak").exists()


def test_error_in_change_propagates_and_changes_nothing(tmp_path: Path) -> None:
    """An exception inside ``change`` reaches the caller unwrapped and changes nothing."""
    path = existing(tmp_path)

    def change(old: str | None) -> str:
        raise RuntimeError("bad value")

    with pytest.raises(RuntimeError, match="bad value"):
        locked_update(path, change)
    assert path.read_bytes() == b"a = 1\n"
    assert temp_files(tmp_path) == []


def test_failed_rename_removes_temp_and_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An OSError after the temp file exists is a one-line ConfigWriteError; nothing changes."""
    path = existing(tmp_path)

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied", src, None, dst)

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ConfigWriteError) as info:
        locked_update(path, append("b = 2\n"))
    monkeypatch.undo()
    assert str(info.value) == f"cannot write {path}: Permission denied"
    assert path.read_bytes() == b"a = 1\n"
    assert temp_files(tmp_path) == []


def test_undecodable_file_is_refused(tmp_path: Path) -> None:
    """A file that is not UTF-8 is left alone and the error says where decoding failed."""
    path = existing(tmp_path, b"a = '\xff'\n")
    with pytest.raises(ConfigWriteError, match="not valid UTF-8 at byte 5"):
        locked_update(path, append("b = 2\n"))
    assert path.read_bytes() == b"a = '\xff'\n"


def test_lock_held_elsewhere_times_out(tmp_path: Path) -> None:
    """A lock held by another process gives LockTimeoutError naming the lock file."""
    path = existing(tmp_path)
    lock = f"{path}.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, lock],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        with pytest.raises(LockTimeoutError) as info:
            locked_update(path, append("b = 2\n"), lock_timeout=0.2)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    message = str(info.value)
    assert lock in message and "another layered-config process" in message
    assert "\n" not in message
    assert isinstance(info.value, TimeoutError)
    assert path.read_bytes() == b"a = 1\n"


def test_lock_is_free_after_holder_exits(tmp_path: Path) -> None:
    """Once the holding process has exited, its lock no longer blocks writers."""
    path = existing(tmp_path)
    subprocess.run([sys.executable, "-c", LOCK_HOLDER, f"{path}.lock"], input="", check=True)
    assert locked_update(path, append("b = 2\n"), lock_timeout=5).changed


def append_in_child(path: str, number: int, start: multiprocessing.synchronize.Event) -> None:
    """Wait for the start signal, then append one numbered line under the lock."""
    start.wait()
    locked_update(path, append(f"line {number}\n"), lock_timeout=60)


def test_concurrent_writers_lose_no_update(tmp_path: Path) -> None:
    """Twenty processes appending one line each at the same moment all land."""
    path = tmp_path / "config.toml"
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    writers = [
        context.Process(target=append_in_child, args=(str(path), number, start))
        for number in range(20)
    ]
    for writer in writers:
        writer.start()
    start.set()
    for writer in writers:
        writer.join(timeout=100)
    assert [writer.exitcode for writer in writers] == [0] * 20
    lines = path.read_text().splitlines()
    assert sorted(lines) == sorted(f"line {number}" for number in range(20))
    assert temp_files(tmp_path) == []
