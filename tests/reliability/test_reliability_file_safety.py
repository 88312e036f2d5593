"""File safety: modes, tightening, read-side warnings, temp files, symlinks, write order."""

from __future__ import annotations

import os
import stat
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reliability_support import ACCESS_KEY, SECRET, record, run_cli, temp_files

import layered_config._perms
from layered_config import PermissionWarning, _atomic, resolve
from layered_config.sources import _tomlfile

posix_only = pytest.mark.skipif(os.name == "nt", reason="mode bits do not apply on Windows")
pytestmark = posix_only

OTHER_UID = 65534  # nobody


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def set_value(config: Path, *argv: str, stdin: str = "") -> str:
    result = run_cli(["set", "--config-file", str(config), *argv], stdin=stdin)
    assert result.code == 0, result
    return result.out


@pytest.fixture
def umask() -> Iterator[Any]:
    """Set a umask for the test, and restore the old one."""
    old = os.umask(0o022)
    try:
        yield os.umask
    finally:
        os.umask(old)


# Modes -------------------------------------------------------------------------------


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077, 0o277])
def test_new_file_is_0600_in_new_0700_folders(tmp_path: Path, umask: Any, mask: int) -> None:
    """Whatever the umask, a new file is 0600 and each folder made for it is 0700."""
    umask(mask)
    config = tmp_path / "a" / "b" / "config.toml"
    out = set_value(config, "domain", "d")
    assert "created" in out and "mode 0600" in out
    assert mode_of(config) == 0o600
    assert mode_of(config.parent) == 0o700
    assert mode_of(config.parent.parent) == 0o700
    assert mode_of(Path(f"{config}.lock")) == 0o600
    record("file safety", checks=1)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664, 0o400 | 0o200, 0o604])
def test_existing_mode_is_kept(tmp_path: Path, mode: int) -> None:
    """A write without a secret keeps the file's mode, and its folder's."""
    config = tmp_path / "config.toml"
    config.write_text('domain = "a"\n')
    os.chmod(config, mode)
    os.chmod(tmp_path, 0o755)  # noqa: S103  # a folder others may read
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PermissionWarning)  # 0664 and 0604 warn, rightly
        set_value(config, "domain", "b")
    assert mode_of(config) == mode
    assert mode_of(tmp_path) == 0o755
    assert 'domain = "b"' in config.read_text()
    record("file safety", checks=1)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
@pytest.mark.parametrize("profile", [None, "p"])
def test_secret_tightens_a_wider_file(tmp_path: Path, mode: int, profile: str | None) -> None:
    """A secret written into a file others can read makes it 0600, and says so."""
    config = tmp_path / "config.toml"
    config.write_text(f'access_key = "{ACCESS_KEY}"\n[profiles.p]\ndomain = "x"\n')
    os.chmod(config, mode)
    extra = ["--profile", profile] if profile else []
    out = set_value(config, *extra, "secret_key", "--plaintext", stdin=SECRET + "\n")
    assert mode_of(config) == 0o600
    assert "tightened" in out and "0600" in out
    # Already private: nothing to tighten, nothing said.
    out = set_value(config, *extra, "secret_key", "--plaintext", stdin=SECRET[::-1] + "\n")
    assert mode_of(config) == 0o600 and "tightened" not in out
    record("file safety", checks=1)


# Warnings on read --------------------------------------------------------------------


def permission_warnings(config: Path) -> list[str]:
    _tomlfile._cache.clear()
    with warnings.catch_warnings(record=True) as found:
        warnings.simplefilter("always")
        resolve(config_file=config)
    return [str(w.message) for w in found if issubclass(w.category, PermissionWarning)]


def doctor_problems(config: Path) -> str:
    result = run_cli(["doctor", "--config-file", str(config)])
    assert result.code == 1, result
    return result.out


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """A private folder for the config, reset to 0700 afterwards."""
    path = tmp_path / "conf"
    path.mkdir(mode=0o700)
    yield path
    os.chmod(path, 0o700)


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644])
def test_secret_readable_by_others_warns_with_the_fix(folder: Path, mode: int) -> None:
    """ssh's rule: a secret that group or others can read is reported, with chmod 600."""
    config = folder / "config.toml"
    config.write_text(f'secret_key = "{SECRET}"\n')
    os.chmod(config, mode)
    (message,) = permission_warnings(config)
    assert "holds a secret" in message and f"chmod 600 {config}" in message
    assert SECRET not in message
    assert f"chmod 600 {config}" in doctor_problems(config)
    os.chmod(config, 0o600)
    assert permission_warnings(config) == []
    record("file safety", checks=1)


def test_readable_file_without_secret_is_fine(folder: Path) -> None:
    config = folder / "config.toml"
    config.write_text('domain = "d"\n')
    os.chmod(config, 0o644)
    assert permission_warnings(config) == []


@pytest.mark.parametrize("target", ["file", "folder"])
@pytest.mark.parametrize("mode", [0o020, 0o002])
def test_writable_by_others_warns(folder: Path, target: str, mode: int) -> None:
    """A file or folder that group or others can write is reported."""
    config = folder / "config.toml"
    config.write_text('domain = "d"\n')
    os.chmod(config, 0o600)
    victim = config if target == "file" else folder
    os.chmod(victim, mode_of(victim) | mode)
    (message,) = permission_warnings(config)
    assert f"{victim} can be written by group or others" in message
    assert "chmod go-w" in message
    assert "can be written by group or others" in doctor_problems(config)
    record("file safety", checks=1)


@pytest.mark.parametrize("target", ["file", "folder"])
def test_owned_by_someone_else_warns(
    folder: Path, target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file or folder owned by another user is reported (root may own only the system file)."""
    config = folder / "config.toml"
    config.write_text('domain = "d"\n')
    victim = config if target == "file" else folder
    if os.geteuid() == 0:
        os.chown(victim, OTHER_UID, OTHER_UID)
    else:  # an unprivileged run cannot give a file away, so it pretends to be someone else
        me = os.getuid()
        monkeypatch.setattr(layered_config._perms.os, "getuid", lambda: me + 1)
        if target == "file":
            os.chmod(folder, 0o700)
    messages = permission_warnings(config)
    assert any(f"{victim} is owned by uid" in m for m in messages), messages
    if os.geteuid() == 0:
        assert "is owned by uid" in doctor_problems(config)
        os.chown(victim, 0, 0)
    record("file safety", checks=1)


# Temp files and symlinks -------------------------------------------------------------


def plant(monkeypatch: pytest.MonkeyPatch, names: list[str]) -> None:
    """Make the writer try these temp-name suffixes, in order."""
    queue = iter(names)
    monkeypatch.setattr(_atomic, "_random_suffix", lambda: next(queue))


@pytest.mark.parametrize("kind", ["symlink", "dangling symlink", "hard link", "file"])
def test_temp_file_never_follows_or_reuses_a_planted_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """An entry planted at the temp name is skipped: O_EXCL, and no symlink followed."""
    config = tmp_path / "conf" / "config.toml"
    config.parent.mkdir()
    config.write_text('domain = "old"\n')
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious\n")
    planted = config.parent / ".config.toml.aaaaaaaaaaaa.tmp"
    if kind == "symlink":
        planted.symlink_to(victim)
    elif kind == "dangling symlink":
        planted.symlink_to(tmp_path / "would-be-created")
    elif kind == "hard link":
        os.link(victim, planted)
    else:
        planted.write_bytes(b"planted\n")
    plant(monkeypatch, ["aaaaaaaaaaaa", "bbbbbbbbbbbb"])
    set_value(config, "domain", "new")
    assert 'domain = "new"' in config.read_text()
    assert victim.read_bytes() == b"precious\n"
    assert not (tmp_path / "would-be-created").exists()
    assert temp_files(config.parent) == []  # the planted name is swept, not followed
    assert victim.read_bytes() == b"precious\n"
    record("file safety", checks=1)


def test_every_temp_name_taken_fails_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When every name tried is planted, the set fails with one line and changes nothing."""
    config = tmp_path / "config.toml"
    config.write_text('domain = "old"\n')
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious\n")
    (tmp_path / ".config.toml.cccccccccccc.tmp").symlink_to(victim)
    plant(monkeypatch, ["cccccccccccc"] * 5)
    result = run_cli(["set", "--config-file", str(config), "domain", "new"])
    assert result.code == 1 and len(result.errors) == 1
    assert config.read_text() == 'domain = "old"\n'
    assert victim.read_bytes() == b"precious\n"


@pytest.mark.parametrize("relative", [False, True])
def test_symlinked_config_is_written_through(tmp_path: Path, relative: bool) -> None:
    """A symlinked config file: the target is written, the link stays a link."""
    target = tmp_path / "dotfiles" / "backend.toml"
    target.parent.mkdir()
    target.write_text('# mine\ndomain = "old"\n')
    os.chmod(target, 0o640)
    link = tmp_path / "conf" / "config.toml"
    link.parent.mkdir()
    link.symlink_to(os.path.relpath(target, link.parent) if relative else target)
    before = os.readlink(link)
    set_value(link, "domain", "new")
    assert link.is_symlink() and os.readlink(link) == before
    assert target.read_text() == '# mine\ndomain = "new"\n'
    assert mode_of(target) == 0o640
    assert temp_files(target.parent) == [] and temp_files(link.parent) == []
    record("file safety", checks=1)


def test_dangling_symlink_is_written_through(tmp_path: Path) -> None:
    """A dangling link: its target is created (0600, folder 0700) and the link is kept."""
    target = tmp_path / "elsewhere" / "config.toml"
    link = tmp_path / "config.toml"
    link.symlink_to(target)
    set_value(link, "domain", "new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == 'domain = "new"\n'
    assert mode_of(target) == 0o600 and mode_of(target.parent) == 0o700
    record("file safety", checks=1)


# The order of the write --------------------------------------------------------------


class SpyOs:
    """``os`` for the writer, recording the calls that make a write atomic and durable."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any, ...]] = []
        self.names: dict[int, str] = {}

    def open(self, path: str, flags: int, mode: int = 0o777) -> int:
        fd = os.open(path, flags, mode)
        self.names[fd] = path
        self.calls.append(("open", path, flags))
        return fd

    def fsync(self, fd: int) -> None:
        os.fsync(fd)
        self.calls.append(("fsync", self.names.get(fd, os.readlink(f"/proc/self/fd/{fd}"))))

    def replace(self, src: str, dst: str) -> None:
        os.replace(src, dst)
        self.calls.append(("replace", src, dst))

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to name descriptors")
def test_write_order_is_exclusive_temp_fsync_rename_fsync_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temp file is O_CREAT|O_EXCL|O_NOFOLLOW, synced before the rename; then the folder."""
    config = tmp_path / "config.toml"
    config.write_text('domain = "old"\n')
    spy = SpyOs()
    monkeypatch.setattr(_atomic, "os", spy)
    set_value(config, "domain", "new")
    opens = [c for c in spy.calls if c[0] == "open" and str(c[1]).endswith(".tmp")]
    (_, temp, flags) = opens[0]
    wanted = os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_WRONLY
    assert flags & wanted == wanted
    order = [c[:2] for c in spy.calls if c[0] in {"fsync", "replace"}]
    folder = os.path.realpath(tmp_path)
    assert order == [("fsync", temp), ("replace", temp), ("fsync", folder)]
    assert spy.calls[-1] == ("fsync", folder)
    assert ("replace", temp, os.path.realpath(config)) in spy.calls
    record("file safety", checks=1)
