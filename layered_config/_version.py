"""The version of layered-config, hard-coded: importlib.metadata costs about 15 ms."""

__version__ = "0.1.0"
