"""Shared fixtures: the sdist fork (built once per session) and per-test clones of it.

An autouse fixture points `$HOME` at a temporary directory and refuses non-loopback sockets, so
no test can write to the real home or reach the network (GitHub is faked on 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
from pathlib import Path

import pytest

from transformers_scaffold.fixture import build_fork, cache_dir

REPO_ROOT = Path(__file__).resolve().parents[1]


def _is_loopback(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return True  # AF_UNIX and friends stay local


@pytest.fixture(autouse=True)
def _sandbox(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Resolve the sdist cache before $HOME moves, so the download is still shared.
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(cache_dir()))
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    for var in ("GIT_AUTHOR", "GIT_COMMITTER"):  # the fake $HOME has no git identity
        monkeypatch.setenv(f"{var}_NAME", "scaffold-tests")
        monkeypatch.setenv(f"{var}_EMAIL", "tests@transformers-scaffold.invalid")
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: object) -> object:
        if not _is_loopback(address):
            raise OSError(f"network access is forbidden in tests: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture(scope="session")
def sdist_fork(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pristine fork built from the transformers sdist. Never modify it: clone it (`fork`)."""
    os.environ.setdefault("SCAFFOLD_CACHE_DIR", str(cache_dir()))
    return build_fork(tmp_path_factory.mktemp("sdist") / "transformers")


def clone_fork(source: Path, dest: Path) -> Path:
    """A fresh, independent clone of a fork repository (hard-linked objects, real checkout)."""
    subprocess.run(["git", "clone", "-q", "--local", str(source), str(dest)], check=True)
    return dest


@pytest.fixture
def fork(sdist_fork: Path, tmp_path: Path) -> Path:
    """A fresh clone of the sdist fork that the test may change freely."""
    return clone_fork(sdist_fork, tmp_path / "fork")
