"""Throwaway venvs under ``benchmarks/.venvs/``, one per contestant family.

Each venv records what it was built from in a stamp file and is reused while the
stamp matches.  The layered-config venv reinstalls the project (non-editable, so
pip compiles its ``.pyc`` files) whenever the project's source changes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import venv
from dataclasses import dataclass, field
from pathlib import Path

STAMP = ".bench-stamp.json"
PROJECT_STAMP = ".bench-project.json"

# Prints {distribution: version} for the names given on the command line.
_VERSIONS = (
    "import importlib.metadata as m, json, sys\n"
    "out = {}\n"
    "for n in sys.argv[1:]:\n"
    "    try: out[n] = m.version(n)\n"
    "    except m.PackageNotFoundError: pass\n"
    "print(json.dumps(out))\n"
)


@dataclass(frozen=True)
class VenvSpec:
    """What goes into one venv."""

    name: str
    requirements: tuple[str, ...]
    smoke: str
    report: tuple[str, ...]
    project: Path | None = None


@dataclass
class Venv:
    """A built venv, or the reason it could not be built."""

    spec: VenvSpec
    path: Path
    ok: bool
    versions: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    project_ok: bool = False

    @property
    def python(self) -> Path:
        """The venv's interpreter."""
        return self.path / "bin" / "python"


def _tail(text: str, lines: int = 6) -> str:
    kept = [line for line in text.splitlines() if not line.startswith("WARNING: Location")]
    return " | ".join(kept[-lines:]).strip()


def _pip(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("pip") is not None:
        cmd = [sys.executable, "-m", "pip", "--python", str(python)]
    else:
        cmd = [str(python), "-m", "pip"]
    return subprocess.run(
        [*cmd, "install", "--disable-pip-version-check", "--quiet", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def project_hash(project: Path) -> str:
    """A hash of everything that goes into the project's wheel."""
    digest = hashlib.sha256()
    files = [project / "pyproject.toml", project / "README.md"]
    files += sorted(p for p in (project / "layered_config").rglob("*") if p.is_file())
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(project)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _stamp(spec: VenvSpec) -> dict[str, object]:
    return {"python": sys.version, "requirements": list(spec.requirements)}


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _create(spec: VenvSpec, path: Path) -> str | None:
    """Create the venv and install its requirements; return an error or None."""
    shutil.rmtree(path, ignore_errors=True)
    with_pip = importlib.util.find_spec("pip") is None
    venv.EnvBuilder(with_pip=with_pip, symlinks=True, clear=True).create(path)
    if spec.requirements:
        done = _pip(path / "bin" / "python", *spec.requirements)
        if done.returncode != 0:
            return f"pip install {' '.join(spec.requirements)} failed: {_tail(done.stderr)}"
    (path / STAMP).write_text(json.dumps(_stamp(spec)))
    return None


def _install_project(spec: VenvSpec, path: Path) -> str | None:
    """(Re)install the project when its source changed; return an error or None."""
    if spec.project is None:
        return None
    wanted = {"hash": project_hash(spec.project)}
    if _read_json(path / PROJECT_STAMP) == wanted:
        return None
    (path / PROJECT_STAMP).unlink(missing_ok=True)
    done = _pip(path / "bin" / "python", "--force-reinstall", "--no-deps", str(spec.project))
    if done.returncode == 0:
        done = _pip(path / "bin" / "python", str(spec.project))
    if done.returncode != 0:
        return f"pip install {spec.project} failed: {_tail(done.stderr)}"
    (path / PROJECT_STAMP).write_text(json.dumps(wanted))
    return None


def _python(python: Path, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` isolated, in an empty folder, so no source tree shadows the venv."""
    with tempfile.TemporaryDirectory() as cwd:
        return subprocess.run(
            [str(python), "-I", "-c", code, *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )


def _check(venv_: Venv) -> None:
    """Run the smoke import and collect the versions."""
    done = _python(venv_.python, venv_.spec.smoke)
    if done.returncode != 0:
        venv_.ok = False
        venv_.note = f"{venv_.spec.name}: import failed: {_tail(done.stderr, 2)}"
        return
    done = _python(venv_.python, _VERSIONS, *venv_.spec.report)
    venv_.versions = json.loads(done.stdout or "{}")


def build(spec: VenvSpec, root: Path, *, rebuild: bool) -> Venv:
    """Build or reuse the venv for ``spec``."""
    path = root / spec.name
    built = Venv(spec=spec, path=path, ok=True)
    if rebuild or _read_json(path / STAMP) != _stamp(spec) or not built.python.exists():
        print(f"  building venv {spec.name} ...", file=sys.stderr, flush=True)
        error = _create(spec, path)
        if error:
            return Venv(spec=spec, path=path, ok=False, note=f"{spec.name}: {error}")
    _check(built)
    if not built.ok or spec.project is None:
        return built
    error = _install_project(spec, path)
    if error:
        built.note = f"layered_config: {error}"
        return built
    done = _python(built.python, "import layered_config; layered_config.get_config")
    if done.returncode != 0:
        built.note = f"layered_config: not usable yet: {_tail(done.stderr, 2)}"
        return built
    built.project_ok = True
    _check(built)
    return built
