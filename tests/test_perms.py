"""Tests for the read-side safety checks on configuration files and folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from layered_config._perms import unsafe_reasons

pytestmark = pytest.mark.skipif(os.name == "nt", reason="mode bits do not apply on Windows")
root_only = pytest.mark.skipif(
    os.name == "nt" or os.geteuid() != 0, reason="only root can give a file to another user"
)


def make_config(
    tmp_path: Path, mode: int = 0o600, folder_mode: int = 0o700, name: str = "conf"
) -> Path:
    """Create ``<name>/config.toml`` holding a fake secret, with the given modes."""
    folder = tmp_path / name
    folder.mkdir()
    os.chmod(folder, folder_mode)
    path = folder / "config.toml"
    path.write_text("secret_key = 'SUPERSECRET'\n")
    os.chmod(path, mode)
    return path


def reasons_for(path: Path, *, holds_secret: bool = True, system: bool = False) -> list[str]:
    """Run the checks on ``path`` with its current stat."""
    return unsafe_reasons(str(path), os.stat(path), holds_secret=holds_secret, system=system)


def test_safe_file_gives_no_warning(tmp_path: Path) -> None:
    """A 0600 file in a 0700 folder, both ours, draws no warning."""
    assert reasons_for(make_config(tmp_path)) == []


def test_secret_readable_by_group_warns_with_fix(tmp_path: Path) -> None:
    """A group-readable file that holds a secret draws one warning with the chmod 600 fix."""
    path = make_config(tmp_path, mode=0o640)
    assert reasons_for(path) == [
        f"{path} holds a secret and is readable by others; run: chmod 600 {path}"
    ]


def test_readable_file_without_secret_is_fine(tmp_path: Path) -> None:
    """A 0644 file that holds no secret draws no warning."""
    assert reasons_for(make_config(tmp_path, mode=0o644), holds_secret=False) == []


def test_world_writable_file_warns(tmp_path: Path) -> None:
    """A file others can write draws a warning naming it and the fix."""
    path = make_config(tmp_path, mode=0o602)
    assert reasons_for(path, holds_secret=False) == [
        f"{path} can be written by group or others (mode 0602); run: chmod go-w {path}"
    ]


def test_world_writable_folder_warns(tmp_path: Path) -> None:
    """A folder others can write draws a warning that names the folder."""
    path = make_config(tmp_path, folder_mode=0o777)
    [reason] = reasons_for(path)
    assert reason.startswith(f"the folder {path.parent} can be written by group or others")


def test_unsafe_symlink_target_folder_warns(tmp_path: Path) -> None:
    """A symlinked file whose target sits in a world-writable folder draws a warning for it."""
    target = make_config(tmp_path, name="shared", folder_mode=0o777)
    (tmp_path / "conf").mkdir(mode=0o700)
    link = tmp_path / "conf" / "config.toml"
    link.symlink_to(target)
    [reason] = reasons_for(link)
    assert reason.startswith(f"the folder {target.parent} can be written")


def test_path_with_space_is_quoted_in_the_fix(tmp_path: Path) -> None:
    """The suggested command quotes a path with a space, so it is safe to paste."""
    path = make_config(tmp_path, mode=0o644, name="my conf")
    [reason] = reasons_for(path)
    assert reason.endswith(f"run: chmod 600 '{path}'")


def test_messages_are_single_lines_without_contents(tmp_path: Path) -> None:
    """Every warning is one line and never quotes the file's contents."""
    path = make_config(tmp_path, mode=0o666, folder_mode=0o777)
    reasons = reasons_for(path)
    assert len(reasons) == 3
    assert not any("\n" in reason or "SUPERSECRET" in reason for reason in reasons)


def test_windows_gives_no_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows, where modes and owners do not apply, nothing is reported."""
    path = make_config(tmp_path, mode=0o666, folder_mode=0o777)
    st = os.stat(path)
    with monkeypatch.context() as patch:
        patch.setattr(os, "name", "nt")
        reasons = unsafe_reasons(str(path), st, holds_secret=True, system=False)
    assert reasons == []


@root_only
@pytest.mark.parametrize("system", [False, True])
def test_foreign_owned_file_warns(tmp_path: Path, system: bool) -> None:
    """A file owned by another user draws a warning, for the user and the system file alike."""
    path = make_config(tmp_path)
    os.chown(path, 65534, 65534)
    [reason] = reasons_for(path, system=system)
    assert reason.startswith(f"{path} is owned by uid 65534, not by ")


@root_only
def test_foreign_owned_folder_warns(tmp_path: Path) -> None:
    """A folder owned by another user draws a warning that names the folder."""
    path = make_config(tmp_path)
    os.chown(path.parent, 65534, 65534)
    [reason] = reasons_for(path)
    assert reason.startswith(f"the folder {path.parent} is owned by uid 65534")


def test_root_owned_system_file_is_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    """A root-owned system file is trusted, while a root-owned user file is not."""
    path = "/etc/hosts"
    st = os.stat(path)
    if st.st_uid != 0 or os.path.islink(path):
        pytest.skip("/etc/hosts is not a root-owned regular file here")
    with monkeypatch.context() as patch:
        patch.setattr(os, "getuid", lambda: 54321)  # act as an ordinary user
        as_system = unsafe_reasons(path, st, holds_secret=False, system=True)
        as_user = unsafe_reasons(path, st, holds_secret=False, system=False)
    assert as_system == []
    assert as_user == [
        f"{path} is owned by uid 0, not by you (uid 54321)",
        "the folder /etc is owned by uid 0, not by you (uid 54321)",
    ]
