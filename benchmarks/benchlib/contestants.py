"""The contestants: how each one is started, cold and warm, and in which venv."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .cold import Proc
from .venvs import Venv
from .warm import WorkerSpec
from .workspace import Workspace, base_env

BENCH = Path(__file__).resolve().parent.parent
FLOORS = BENCH / "floors"
ADAPTERS = BENCH / "adapters"

UNIT = "python -c pass"  # the unit every cold time is divided by
FLOOR = "floor"
LC = "layered_config"
BAI = "backend.ai-client"
PYDANTIC = "pydantic-settings"
DYNACONF = "dynaconf"
PEERS = (BAI, PYDANTIC, DYNACONF)

LC_COLD = "from layered_config import get_config; print(get_config().endpoint)"
BAI_COLD = "from ai.backend.client.config import get_config; print(get_config().endpoint)"


def _import_and_call(directory: Path, module: str, call: str = "main()") -> str:
    return f"import sys; sys.path.insert(0, {str(directory)!r}); import {module}; {module}.{call}"


FLOOR_COLD = _import_and_call(FLOORS, "floor_cold")
FLOOR_COLD_TWO_FILES = _import_and_call(FLOORS, "floor_cold", "main(system_file=True)")
FLOOR_KEYRING = _import_and_call(FLOORS, "floor_keyring")

# Peer -> (cold snippet, warm adapter module).
PEER_CODE = {
    BAI: (BAI_COLD, "backendai_peer"),
    PYDANTIC: (_import_and_call(ADAPTERS, "pydantic_peer"), "pydantic_peer"),
    DYNACONF: (_import_and_call(ADAPTERS, "dynaconf_peer"), "dynaconf_peer"),
}


@dataclass
class Context:
    """What the cases share: the workspace, the venvs and the run's sizes."""

    ws: Workspace
    lc_venv: Venv
    peers: dict[str, Venv]
    cold_rounds: int
    warm_rounds: int
    import_runs: int
    warm_target: float
    progress: Callable[[str], None]
    homes: dict[str, Path] = field(default_factory=dict)

    @property
    def has_lc(self) -> bool:
        """Whether layered_config itself is installed and importable."""
        return self.lc_venv.project_ok

    def proc(
        self,
        label: str,
        code: str,
        home: Path,
        extra: Mapping[str, str],
        expect: str,
        *,
        venv: Venv | None = None,
        launcher: str = "local",
    ) -> Proc:
        """A cold contestant run with ``venv``'s python (the layered_config venv by default)."""
        python = (venv or self.lc_venv).python
        return Proc(
            label=label,
            argv=(str(python), "-c", code),
            env=base_env(home, python, extra),
            cwd=str(self.ws.cwd),
            expect=expect,
            launcher=launcher,
        )

    def worker(
        self,
        label: str,
        module: str,
        home: Path,
        extra: Mapping[str, str],
        expect: str,
        *,
        venv: Venv | None = None,
    ) -> WorkerSpec:
        """A warm contestant: ``module.make()`` from the floors or adapters folder."""
        python = (venv or self.lc_venv).python
        directory = FLOORS if module.startswith("floor_") else ADAPTERS
        return WorkerSpec(
            label=label,
            python=python,
            directory=directory,
            module=module,
            env=base_env(home, python, extra),
            cwd=str(self.ws.cwd),
            expect=expect,
        )

    def cold_field(
        self, home: Path, extra: Mapping[str, str], expect: str, *, suffix: str = ""
    ) -> list[Proc]:
        """python -c pass, the floor, layered_config and every installed peer."""
        procs = [
            self.proc(UNIT + suffix, "pass", home, extra, ""),
            self.proc(FLOOR + suffix, FLOOR_COLD, home, extra, expect),
        ]
        if self.has_lc:
            procs.append(self.proc(LC + suffix, LC_COLD, home, extra, expect))
        for name, venv in self.peers.items():
            procs.append(
                self.proc(name + suffix, PEER_CODE[name][0], home, extra, expect, venv=venv)
            )
        return procs

    def warm_field(
        self, home: Path, extra: Mapping[str, str], expect: str, *, suffix: str = ""
    ) -> list[WorkerSpec]:
        """The warm floor, layered_config's ``APIConfig()`` and every installed peer."""
        specs = [self.worker(FLOOR + suffix, "floor_warm", home, extra, expect)]
        if self.has_lc:
            specs.append(self.worker(LC + suffix, "layered_config_adapter", home, extra, expect))
        for name, venv in self.peers.items():
            specs.append(
                self.worker(name + suffix, PEER_CODE[name][1], home, extra, expect, venv=venv)
            )
        return specs
