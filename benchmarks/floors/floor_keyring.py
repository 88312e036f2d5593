"""Cold-start floor with the secret from the keyring.

The cold floor, plus ``import keyring`` and one ``keyring.get_password`` call for
the secret key, made only when no file or env var gave it.  The harness names the
backend in ``PYTHON_KEYRING_BACKEND`` (``keyrings.alt.file.PlaintextKeyring``) for
the budgeted case, and leaves it unset for the autodetection case.
"""

from __future__ import annotations

import floor_cold
import keyring


def main() -> None:
    """Resolve, fetch the secret from the keyring if still missing, print the endpoint."""
    values, origins = floor_cold.resolve([floor_cold.user_file()])
    if "secret_key" not in values:
        secret = keyring.get_password("backend.ai", values["access_key"])
        if secret is not None:
            values["secret_key"] = secret
            origins["secret_key"] = ("keyring", "backend.ai")
    print(values["endpoint"])


if __name__ == "__main__":
    main()
