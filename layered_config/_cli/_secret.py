"""The secret key: read it safely, store it in the keyring, or remove it."""

from __future__ import annotations

import sys

from .._errors import ConfigValueError, LayeredConfigError, SecretStoreError
from .._paths import KEYRING_SERVICE, KEYRING_TIMEOUT_VAR
from .._tomledit import remove_key, set_key
from ..sources._keyring_call import (
    KeyringUnavailable,
    backend_name,
    delete_secret,
    get_secret,
    insecure_reason,
    storage_backend,
)
from ..sources._keyring_call import (
    set_secret as store_secret,
)
from ..sources.os_keyring import keyring_timeout
from ._context import Context, UsageError, interactive
from ._keyring_info import write_timeout
from ._write import describe_target, note_shadowing, write

__all__ = ["read_secret", "set_secret", "unset_secret", "warn_secret_left_behind"]


def read_secret(ctx: Context) -> str:
    """Read the secret from a no-echo prompt, or from stdin when it is not a terminal."""
    if ctx.args.value is not None:
        raise UsageError(
            "refusing to take secret_key from the command line, where shell history and "
            "the process list can see it; type it at the prompt or pipe it on stdin"
        )
    if interactive():
        import getpass  # noqa: PLC0415

        try:
            text = getpass.getpass("secret_key: ")
        except EOFError:  # Ctrl-D at the prompt
            text = ""
    else:
        text = _read_stdin()
    for ending in ("\r\n", "\n", "\r"):
        if text.endswith(ending):
            text = text[: -len(ending)]
            break
    if not text:
        raise ConfigValueError("secret_key: the input is empty; nothing was stored")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise ConfigValueError(
            "secret_key: the input holds a newline or control character; nothing was stored"
        )
    return text


def _read_stdin() -> str:
    # Bytes, decoded strictly: a lone surrogate must not reach the keyring or a file.
    if sys.stdin is None:
        return ""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        return sys.stdin.read()
    try:
        return bytes(stream.read()).decode("utf-8")
    except UnicodeDecodeError:
        problem = "secret_key: the input is not UTF-8 text; nothing was stored"
        raise ConfigValueError(problem) from None


def _access_key(ctx: Context) -> str:
    access_key = ctx.resolve(keyring=False).values.get("access_key")
    if not access_key:
        raise LayeredConfigError(
            "access_key is not set, and the keyring stores the secret under it; "
            "run 'layered-config set access_key VALUE' first"
        )
    return str(access_key)


def set_secret(ctx: Context) -> int:
    """Store the secret key in the keyring (or, with ``--plaintext``, in the user file)."""
    secret = read_secret(ctx)
    if ctx.args.plaintext:
        return _set_plaintext(ctx, secret)
    access_key = _access_key(ctx)
    backend = _secure_backend(ctx)
    timeout = write_timeout(ctx)
    stored: list[str] = []

    def change(text: str | None) -> str | None:
        # The keyring write happens under the file lock, so no other writer
        # can put a plaintext copy back between the two steps.
        try:
            stored.append(store_secret(KEYRING_SERVICE, access_key, secret, timeout))
        except KeyringUnavailable as exc:
            raise _write_failed(exc.reason) from None
        return _without_secret(text, tables)

    tables = _tables_of(ctx, access_key)
    result = write(ctx, change)
    where = f"service={KEYRING_SERVICE} username={access_key}"
    ctx.out.line(f"stored secret_key in the keyring ({stored[0] if stored else backend} {where})")
    if result.changed:
        ctx.out.line(f"removed the plaintext copy of secret_key from {ctx.user_file}")
    note_shadowing(ctx, "secret_key")
    _warn_base_secret_kept(ctx)
    return 0


def _tables_of(ctx: Context, access_key: str | None) -> list[str | None]:
    # The active table's secret_key is this account's. The base table's is too, and
    # shadows the keyring, unless the base resolves to another access key: then it is
    # another account's only copy, and deleting it would lose that credential.
    if ctx.profile is None:
        return [None]
    try:
        base_key = ctx.resolve(keyring=False, base=True).values.get("access_key")
    except LayeredConfigError:
        base_key = None
    same = access_key is not None and base_key is not None and str(base_key) == access_key
    return [ctx.profile, None] if same else [ctx.profile]


def _warn_base_secret_kept(ctx: Context) -> None:
    if ctx.profile is None:
        return
    try:
        origin = ctx.resolve(keyring=False).origin("secret_key")
    except LayeredConfigError:
        return
    location = (origin.location if origin else None) or ""
    in_base = origin is not None and origin.source == "file" and origin.profile is None
    if in_base and location.startswith(ctx.user_file + ":"):
        ctx.out.warn(
            f"{location}: the base table's secret_key belongs to another access key, so "
            f"it was kept; it still decides secret_key under profile {ctx.profile!r}. "
            "To move it to the keyring, run 'layered-config set secret_key' without --profile"
        )


def _write_failed(reason: str) -> SecretStoreError:
    if reason.startswith("timed out"):
        return SecretStoreError(
            f"the keyring did not answer ({reason}); state unknown; run 'layered-config doctor'"
        )
    return SecretStoreError(f"the keyring refused to store secret_key: {reason}")


def _secure_backend(ctx: Context) -> str:
    if keyring_timeout(ctx.environ) == 0:
        raise SecretStoreError(
            f"refusing to store secret_key: keyring lookups are off ({KEYRING_TIMEOUT_VAR}=0); "
            f"use --plaintext to write it to {ctx.user_file} with mode 0600"
        )
    try:
        backend = storage_backend(write_timeout(ctx))
    except KeyringUnavailable as exc:
        raise _refusal(ctx, exc.reason, "none") from None
    problem = insecure_reason(backend, interactive=interactive())
    if problem:
        raise _refusal(ctx, problem, backend_name(backend))
    return backend_name(backend)


def _refusal(ctx: Context, problem: str, backend: str) -> SecretStoreError:
    return SecretStoreError(
        f"refusing to store secret_key: {problem} (backend: {backend}); unlock or install a "
        "keyring such as gnome-keyring, KWallet or the macOS Keychain, or add --plaintext to "
        f"write it to {ctx.user_file} with mode 0600"
    )


def _set_plaintext(ctx: Context, secret: str) -> int:
    result = write(ctx, lambda text: set_key(text, ctx.profile, "secret_key", secret), secret=True)
    ctx.out.line(f"set secret_key in {describe_target(ctx)}")
    if result.tightened:
        ctx.out.line(f"tightened {result.path} to mode 0600, because it now holds a secret")
    ctx.out.warn(
        f"secret_key is stored in plaintext in {result.path} (mode {result.mode:04o}); "
        "the OS keyring is safer: run 'layered-config set secret_key' without --plaintext"
    )
    note_shadowing(ctx, "secret_key")
    return 0


def _without_secret(text: str | None, tables: list[str | None]) -> str | None:
    current = text
    for table in tables:
        current = remove_key(current, table, "secret_key") or current
    return current if current != text else None


def unset_secret(ctx: Context) -> int:
    """Remove the secret key from the keyring and from the user file."""
    access_key = ctx.resolve(keyring=False).values.get("access_key")
    tables = _tables_of(ctx, str(access_key) if access_key else None)
    if access_key:
        try:
            deleted = delete_secret(KEYRING_SERVICE, str(access_key), write_timeout(ctx))
        except KeyringUnavailable as exc:
            ctx.out.warn(f"could not reach the keyring: {exc.reason}")
            deleted = False
        where = f"service={KEYRING_SERVICE} username={access_key}"
        ctx.out.line(f"{'removed' if deleted else 'no'} secret_key in the keyring ({where})")
    result = write(ctx, lambda text: _without_secret(text, tables))
    if result.changed:
        ctx.out.line(f"removed secret_key from {ctx.user_file}")
    _warn_base_secret_kept(ctx)
    return 0


def warn_secret_left_behind(ctx: Context, old: str, new: str) -> None:
    """Warn when the keyring holds a secret under the access key just replaced."""
    timeout = keyring_timeout(ctx.environ)
    if timeout == 0:
        return
    try:
        secret, _ = get_secret(KEYRING_SERVICE, old, timeout)
    except KeyringUnavailable:
        return
    if secret is not None:
        ctx.out.warn(
            f"the keyring holds a secret key under the old access key {old!r}, and it stays "
            f"there; to move it, run 'layered-config set secret_key' (it stores the secret under "
            f"{new!r}), then 'keyring del {KEYRING_SERVICE} {old}'"
        )
