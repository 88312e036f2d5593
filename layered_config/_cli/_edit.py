"""``edit``: open the user file in the user's editor, then check what was saved."""

from __future__ import annotations

import shlex
import subprocess

from .._atomic import locked_update
from .._errors import ConfigFileError, ConfigValueError, LayeredConfigError
from ..sources._tomlfile import check_text
from ._context import Context

__all__ = ["TEMPLATE", "cmd_edit"]

TEMPLATE = """\
# Backend.AI client configuration, read by layered-config.
# Keys: endpoint, access_key, domain, group, vfolder_mounts, ...
# ('layered-config show' lists them all). Keep the secret key in the OS keyring:
#   layered-config set secret_key
#
# endpoint = "https://api.backend.ai"
# access_key = "AKIA..."
#
# [profiles.staging]
# endpoint = "https://staging.example.com"
"""


def cmd_edit(ctx: Context) -> int:
    """Open the user file in ``$VISUAL`` or ``$EDITOR``; report where it is invalid."""
    editor = ctx.environ.get("VISUAL") or ctx.environ.get("EDITOR") or "vi"
    result = locked_update(ctx.user_file, lambda text: TEMPLATE if text is None else None)
    if result.created:
        ctx.out.line(f"created {result.path} with mode {result.mode:04o}")
    try:
        words = shlex.split(editor)
    except ValueError as exc:  # an unbalanced quote
        raise LayeredConfigError(f"cannot run the editor {editor!r}: {exc}") from None
    if not words:
        raise LayeredConfigError(f"cannot run the editor {editor!r}: it names no command")
    try:
        # The command comes from the user's own $VISUAL or $EDITOR.
        status = subprocess.run([*words, ctx.user_file], check=False).returncode  # noqa: S603
    except OSError as exc:
        raise LayeredConfigError(f"cannot run the editor {editor!r}: {exc.strerror}") from None
    if status != 0:
        raise LayeredConfigError(f"the editor {editor!r} exited with status {status}")
    try:
        with open(ctx.user_file, encoding="utf-8") as handle:
            check_text(ctx.user_file, handle.read())
    except (ConfigFileError, ConfigValueError) as exc:
        raise ConfigValueError(
            f"{exc} (the file is saved as you left it; run 'layered-config edit' to fix it)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigFileError(f"{ctx.user_file}: cannot read: {exc}") from None
    ctx.out.line(f"{ctx.user_file} is valid")
    return 0
