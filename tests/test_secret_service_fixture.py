"""The secret_service fixtures give a real, private Secret Service, or fail loudly in CI."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import keyring
import keyring.errors
import pytest
from secret_service import PrivateSecretService, start_secret_service

pytestmark = pytest.mark.secret_service

SERVICE = "backend.ai"
USER = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TESTS_DIR = Path(__file__).parent


def test_keyring_round_trip(secret_service_keyring: PrivateSecretService) -> None:
    """A secret set through keyring can be read back and then deleted."""
    keyring.set_password(SERVICE, USER, SECRET)
    assert keyring.get_password(SERVICE, USER) == SECRET
    keyring.delete_password(SERVICE, USER)
    assert keyring.get_password(SERVICE, USER) is None


def test_secret_tool_value_is_found_by_keyring(
    secret_service_keyring: PrivateSecretService,
) -> None:
    """A secret stored with secret-tool is returned by keyring."""
    secret_service_keyring.store(SERVICE, USER, SECRET)
    assert keyring.get_password(SERVICE, USER) == SECRET


def test_keyring_value_is_found_by_secret_tool(
    secret_service_keyring: PrivateSecretService,
) -> None:
    """A secret set through keyring is returned by secret-tool."""
    keyring.set_password(SERVICE, USER, SECRET)
    assert secret_service_keyring.lookup(SERVICE, USER) == SECRET


def test_each_test_starts_with_an_empty_collection(
    secret_service_keyring: PrivateSecretService,
) -> None:
    """The per-test fixture deletes what earlier tests stored."""
    assert secret_service_keyring.lookup(SERVICE, USER) is None


@pytest.mark.timeout(30)
def test_locked_collection_raises_keyring_locked_until_unlocked(
    secret_service_keyring: PrivateSecretService,
) -> None:
    """A locked collection makes keyring raise KeyringLocked at once, and unlock() restores it."""
    keyring.set_password(SERVICE, USER, SECRET)
    secret_service_keyring.lock()
    with pytest.raises(keyring.errors.KeyringLocked):
        keyring.get_password(SERVICE, USER)
    secret_service_keyring.unlock()
    assert keyring.get_password(SERVICE, USER) == SECRET


def test_bus_lives_in_the_fixture_temp_dir(secret_service: PrivateSecretService) -> None:
    """The bus address is a socket inside the fixture's own temp dir."""
    assert secret_service.address == f"unix:path={secret_service.tmp_dir / 'bus'}"
    assert secret_service.env == {"DBUS_SESSION_BUS_ADDRESS": secret_service.address}


def test_subprocess_reaches_the_service_through_env(
    secret_service_keyring: PrivateSecretService,
) -> None:
    """A subprocess given handle.env over a bogus inherited bus address finds the secret."""
    secret_service_keyring.store(SERVICE, USER, SECRET)
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"}
    code = (
        "import keyring.backends.SecretService as s;"
        f"print(s.Keyring().get_password({SERVICE!r}, {USER!r}))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, **secret_service_keyring.env},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert found.stdout.strip() == SECRET


def test_inherited_bus_is_ignored_and_everything_is_removed(
    monkeypatch: pytest.MonkeyPatch, secret_service: PrivateSecretService
) -> None:
    """A new service ignores an inherited bus, and on exit stops its daemons and removes its dir."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", secret_service.address)
    user = "only-in-the-other-service"
    with start_secret_service() as other:
        assert other.address != secret_service.address
        other.store(SERVICE, user, SECRET)
        assert other.lookup(SERVICE, user) == SECRET
        assert secret_service.lookup(SERVICE, user) is None
    assert not other.tmp_dir.exists()
    for pid in other.pids:
        assert not Path(f"/proc/{pid}").exists(), f"daemon {pid} still running"


def _run_without_daemons(tmp_path: Path, ci: str) -> subprocess.CompletedProcess[str]:
    """Run a one-test suite that uses the fixture, with a PATH where no daemon is found."""
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["secret_service"]\n')
    (tmp_path / "test_inner.py").write_text(
        textwrap.dedent("""
            def test_needs_service(secret_service):
                pass
        """)
    )
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    env = {**os.environ, "PATH": str(empty_bin), "PYTHONPATH": str(TESTS_DIR), "CI": ci}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("ci", ["", "false"])
def test_missing_daemons_skip_with_reason_outside_ci(tmp_path: Path, ci: str) -> None:
    """Without the daemons and outside CI, the test is skipped with the install hint."""
    run = _run_without_daemons(tmp_path, ci)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 skipped" in run.stdout
    assert "gnome-keyring-daemon" in run.stdout
    assert "run .ci/system-deps" in run.stdout


@pytest.mark.parametrize("ci", ["true"])
def test_missing_daemons_fail_the_run_in_ci(tmp_path: Path, ci: str) -> None:
    """Without the daemons and with CI set, the run exits 1 and names the skipped test."""
    run = _run_without_daemons(tmp_path, ci)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Secret Service missing in CI" in run.stdout
    assert "test_inner.py::test_needs_service" in run.stdout
