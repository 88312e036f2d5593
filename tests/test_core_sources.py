"""The contract every source keeps, one test class per built-in source.

``SourceContract`` states what a source must do, as keyring's ``BackendBasicTests``
does for backends; each subclass supplies ``make(populated)``. A populated source
offers ``SAMPLE`` (converted values); an empty one offers nothing it could miss.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
from strategies import check_converted
from yarl import URL

from layered_config import (
    FIELDS,
    MISSING,
    ArgumentSource,
    Candidate,
    DefaultsSource,
    EnvSource,
    FileSource,
    KeyringSource,
    Origin,
    Query,
    Reading,
    Source,
)
from layered_config._origin import STATUSES

ACCESS_KEY = "AKTESTCONTRACT"

# What a source may hand out; "offered" becomes winner or shadowed in the resolver.
SOURCE_STATUSES = {"offered", *STATUSES} - {"winner"}


class SourceContract:
    """What every source must do; subclasses set ``NAME`` and ``SAMPLE`` and define ``make``."""

    NAME: ClassVar[str]
    SAMPLE: ClassVar[dict[str, Any]]

    @pytest.fixture
    def make(self, tmp_path: Path) -> Any:
        """Return ``make(populated)``, which builds the source under test."""
        raise NotImplementedError

    @staticmethod
    def offered(reading: Reading) -> dict[str, Any]:
        """The values a reading offers, deferred lookups (the keyring's) included."""
        values = dict(reading.values)
        for name, lookup in reading.deferred.items():
            for entry in lookup.run({"access_key": ACCESS_KEY}):
                if entry.status == "offered":
                    values[name] = entry.value
        return values

    @staticmethod
    def entries(reading: Reading, name: str) -> list[Candidate]:
        """Every entry of a reading for ``name``, deferred lookups included."""
        entries = list(reading.explain(name))
        if name in reading.deferred:
            entries += reading.deferred[name].run({"access_key": ACCESS_KEY})
        return entries

    def test_is_a_source_with_its_name(self, make: Any) -> None:
        """A source satisfies the Source protocol and names its layer."""
        source = make(True)
        assert isinstance(source, Source)
        assert source.name == self.NAME

    def test_read_returns_a_reading(self, make: Any) -> None:
        """read() returns a Reading for the default query and for a profile query."""
        source = make(True)
        assert isinstance(source.read(Query()), Reading)
        assert isinstance(source.read(Query("some-profile")), Reading)

    def test_values_are_converted_field_values(self, make: Any) -> None:
        """Every offered value belongs to a field and is already converted to its type."""
        offered = self.offered(make(True).read(Query()))
        assert set(offered) <= set(FIELDS)
        for name, value in offered.items():
            check_converted(name, value)

    def test_populated_source_offers_the_sample(self, make: Any) -> None:
        """A populated source offers exactly the sample values it was given."""
        offered = self.offered(make(True).read(Query()))
        assert {name: offered.get(name) for name in self.SAMPLE} == self.SAMPLE

    def test_every_value_has_an_origin_from_this_source(self, make: Any) -> None:
        """Each offered value has an Origin whose source is this layer's name."""
        reading = make(True).read(Query())
        assert set(reading.origins) == set(reading.values)
        for origin in reading.origins.values():
            assert isinstance(origin, Origin)
            assert origin.source == self.NAME
        for name in reading.deferred:
            for entry in reading.deferred[name].run({"access_key": ACCESS_KEY}):
                assert entry.origin.source == self.NAME

    @pytest.mark.parametrize("populated", [True, False], ids=["populated", "empty"])
    def test_explain_gives_candidates_with_valid_statuses(self, make: Any, populated: bool) -> None:
        """explain(name) returns Candidates from this layer with a status a source may give."""
        reading = make(populated).read(Query())
        for name in FIELDS:
            for entry in self.entries(reading, name):
                assert isinstance(entry, Candidate)
                assert entry.source == self.NAME
                assert entry.status in SOURCE_STATUSES, (name, entry)

    @pytest.mark.parametrize("populated", [True, False], ids=["populated", "empty"])
    def test_absent_and_skipped_entries_carry_missing(self, make: Any, populated: bool) -> None:
        """An entry that offers nothing has the value MISSING, and an offered one does not."""
        reading = make(populated).read(Query())
        for name in FIELDS:
            for entry in self.entries(reading, name):
                if entry.status in ("absent", "skipped"):
                    assert entry.value is MISSING, (name, entry)
                if entry.status == "offered":
                    assert entry.value is not MISSING, (name, entry)

    def test_explain_agrees_with_the_values(self, make: Any) -> None:
        """The first offered entry of a field holds the value and the origin read() gave."""
        reading = make(True).read(Query())
        offered = self.offered(reading)
        for name in FIELDS:
            first = [e for e in self.entries(reading, name) if e.status == "offered"][:1]
            if name not in offered:
                assert first == []
                continue
            assert first[0].value == offered[name]
            if name in reading.origins:
                assert first[0].origin == reading.origins[name]

    def test_never_raises_for_missing_values(self, make: Any) -> None:
        """An empty source reads and explains every field without raising."""
        reading = make(False).read(Query())
        offered = self.offered(reading)
        for name in FIELDS:
            entries = self.entries(reading, name)
            if name not in offered:
                assert all(e.status != "offered" for e in entries)
        assert not any(FIELDS[name].required for name in offered)


class TestDefaultsSource(SourceContract):
    """The defaults layer keeps the contract."""

    NAME = "default"
    SAMPLE: ClassVar[dict[str, Any]] = {
        "endpoint": (URL("https://api.backend.ai"),),
        "version": "v4.20190315",
        "hash_type": "sha256",
        "skip_sslcert_validation": False,
        "vfolder_mounts": (),
    }

    @pytest.fixture
    def make(self, tmp_path: Path) -> Any:
        return lambda populated: DefaultsSource()


class TestFileSource(SourceContract):
    """The file layer keeps the contract; an empty one is a file that does not exist."""

    NAME = "file"
    SAMPLE: ClassVar[dict[str, Any]] = {
        "endpoint": (URL("https://file.example"), URL("https://file2.example")),
        "domain": "file-domain",
        "access_key": "AKFILE",
        "secret_key": "file-secret",
        "vfolder_mounts": ("a", "b"),
        "storage_proxy_address_map": {"s1": "http://proxy"},
        "skip_sslcert_validation": True,
        "connection_timeout": 5.0,
    }

    @pytest.fixture
    def make(self, tmp_path: Path) -> Any:
        path = tmp_path / "contract.toml"
        path.write_text(
            'endpoint = ["https://file.example", "https://file2.example"]\n'
            'domain = "file-domain"\n'
            'access_key = "AKFILE"\n'
            'secret_key = "file-secret"\n'
            'vfolder_mounts = ["a", " b ", ""]\n'
            "skip_sslcert_validation = true\n"
            "connection_timeout = 5\n"
            "[storage_proxy_address_map]\n"
            's1 = "http://proxy"\n'
        )
        path.chmod(0o600)
        return lambda populated: FileSource(path if populated else tmp_path / "absent.toml")


class TestKeyringSource(SourceContract):
    """The keyring layer keeps the contract through its deferred lookup."""

    NAME = "keyring"
    SAMPLE: ClassVar[dict[str, Any]] = {"secret_key": "keyring-secret"}

    @pytest.fixture
    def make(self, tmp_path: Path, memory_keyring: Any) -> Any:
        def make(populated: bool) -> KeyringSource:
            memory_keyring.secrets.clear()
            if populated:
                memory_keyring.secrets["backend.ai", ACCESS_KEY] = "keyring-secret"
            return KeyringSource(environ={})

        return make


@pytest.mark.filterwarnings("ignore::layered_config.LegacyEnvWarning")
class TestEnvSource(SourceContract):
    """The env layer keeps the contract, reading the mapping it is given."""

    NAME = "env"
    SAMPLE: ClassVar[dict[str, Any]] = {
        "endpoint": (URL("https://env.example"), URL("https://env2.example")),
        "domain": "env-domain",
        "access_key": "AKENV",
        "vfolder_mounts": ("x", "y"),
        "storage_proxy_address_map": {"k": "v"},
        "skip_sslcert_validation": True,
        "read_timeout": 2.5,
    }

    @pytest.fixture
    def make(self, tmp_path: Path) -> Any:
        environ = {
            "BACKEND_ENDPOINT": "https://env.example, https://env2.example",
            "BACKEND_DOMAIN": "env-domain",
            "SORNA_ACCESS_KEY": "AKENV",
            "BACKEND_VFOLDER_MOUNTS": "x, y,,",
            "BACKEND_OVERRIDE_STORAGE_PROXY": "k=v",
            "BACKEND_SKIP_SSLCERT_VALIDATION": "Yes",
            "BACKEND_READ_TIMEOUT": "2.5",
            "BACKEND_VERSION": "ignored: version has no env var",
        }
        return lambda populated: EnvSource(environ if populated else {})


class TestArgumentSource(SourceContract):
    """The argument layer keeps the contract; None counts as not given."""

    NAME = "argument"
    SAMPLE: ClassVar[dict[str, Any]] = {
        "endpoint": (URL("https://arg.example"),),
        "hash_type": "sha512",
        "secret_key": "arg-secret",
        "vfolder_mounts": ("p", "q"),
        "storage_proxy_address_map": {"a": "b"},
        "connection_timeout": 1.0,
    }

    @pytest.fixture
    def make(self, tmp_path: Path) -> Any:
        arguments = {
            "endpoint": URL("https://arg.example"),
            "hash_type": "SHA512",
            "secret_key": "arg-secret",
            "vfolder_mounts": "p, q",
            "storage_proxy_address_map": {"a": "b"},
            "connection_timeout": 1,
            "domain": None,
        }
        return lambda populated: ArgumentSource(arguments if populated else {})


def test_argument_source_rejects_unknown_names() -> None:
    """An argument that is no field is a TypeError, as a function call would raise."""
    with pytest.raises(TypeError, match="endpont"):
        ArgumentSource({"endpont": "https://x.example"})
