"""The throwaway world each contestant runs in: homes, config files, env, keyring.

Every case gets its own ``HOME`` (with ``XDG_*`` pointing inside it) in one temp
folder, and every contestant runs in an empty working directory there, so
nothing from the developer's machine (``~/.config``, a ``.env``, a keyring)
leaks in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

# Fake credentials, made up for the benchmark.
ACCESS_KEY = "AKIABENCHMARKFILE001"
SECRET_KEY = "benchmark-secret-key-from-the-file-0001"  # noqa: S105
ENV_ACCESS_KEY = "AKIABENCHMARKENV0001"
ENV_SECRET_KEY = "benchmark-secret-key-from-the-env-0001"  # noqa: S105
KEYRING_SECRET = "benchmark-secret-key-from-the-keyring"  # noqa: S105

ENV_ENDPOINT = "https://env.example.com:8443/"
FILE_ENDPOINT = "https://file.example.com:8081/"
SYSTEM_ENDPOINT = "https://system.example.com/"
PLAINTEXT = "keyrings.alt.file.PlaintextKeyring"

# The 10-key user file.
USER_FILE = f"""\
endpoint = "{FILE_ENDPOINT}"
access_key = "{ACCESS_KEY}"
secret_key = "{SECRET_KEY}"
version = "v4.20190315"
hash_type = "sha256"
vfolder_mounts = ["data", "models"]
skip_sslcert_validation = false
domain = "default"
group = "research"
connection_timeout = 10.0
"""

# The 10-key system file (no secret: it is readable by everyone).
SYSTEM_FILE = f"""\
endpoint = "{SYSTEM_ENDPOINT}"
version = "v4.20190315"
hash_type = "sha256"
vfolder_mounts = ["shared"]
skip_sslcert_validation = false
endpoint_type = "api"
domain = "default"
group = "default"
connection_timeout = 10.0
read_timeout = 0.0
"""


def profile_name(index: int) -> str:
    """The name of the ``index``-th generated profile."""
    return f"p{index:03d}"


def profile_endpoint(index: int) -> str:
    """The endpoint that the ``index``-th generated profile sets."""
    return f"https://{profile_name(index)}.example.com/"


def with_profiles(count: int) -> str:
    """The user file plus ``count`` ``[profiles.NAME]`` tables of three keys."""
    parts = [USER_FILE]
    for i in range(count):
        parts.append(
            f'\n[profiles.{profile_name(i)}]\nendpoint = "{profile_endpoint(i)}"\n'
            f'access_key = "AKIAPROFILE{i:09d}"\ndomain = "domain-{i}"\n'
        )
    return "".join(parts)


def unrelated_env(count: int) -> dict[str, str]:
    """``count`` env vars that no contestant should care about."""
    return {f"UNRELATED_SETTING_{i:04d}": f"value-{i:04d}-" + "x" * 24 for i in range(count)}


class Workspace:
    """A temp folder holding the empty cwd and one home per case."""

    def __init__(self, keep: bool = False) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="lc-bench-"))
        self.cwd = self.root / "cwd"
        self.cwd.mkdir()
        self.keep = keep

    def home(self, name: str) -> Path:
        """A fresh home folder with its XDG folders."""
        home = self.root / "homes" / name
        for sub in (".config", ".local/share", ".cache", ".local/state"):
            (home / sub).mkdir(parents=True, exist_ok=True)
        return home

    def home_with_file(self, name: str, text: str) -> Path:
        """A home whose platformdirs user config file holds ``text`` (mode 0600)."""
        home = self.home(name)
        folder = home / ".config" / "backend.ai"
        folder.mkdir(mode=0o700, exist_ok=True)
        path = folder / "config.toml"
        path.write_text(text)
        path.chmod(0o600)
        return home

    def close(self) -> None:
        """Remove the temp folder unless asked to keep it."""
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)


def base_env(home: Path, python: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A clean environment: HOME, XDG_* inside it, PATH, LANG, plus ``extra``."""
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "PATH": os.pathsep.join([str(python.parent), "/usr/local/bin", "/usr/bin", "/bin"]),
        "LANG": "C.UTF-8",
    }
    env.update(extra or {})
    return env


def seed_keyring(python: Path, home: Path) -> str | None:
    """Store the secret in the Plaintext keyring under ``home``; return an error or None."""
    code = (
        "import keyring, sys\n"
        "keyring.set_password('backend.ai', sys.argv[1], sys.argv[2])\n"
        "assert keyring.get_password('backend.ai', sys.argv[1]) == sys.argv[2]\n"
    )
    env = base_env(home, python, {"PYTHON_KEYRING_BACKEND": PLAINTEXT})
    done = subprocess.run(
        [str(python), "-c", code, ACCESS_KEY, KEYRING_SECRET],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return f"could not seed the Plaintext keyring: {done.stderr.strip()[-300:]}"
    return None
