"""Fixtures for the review bot: a fake GitHub on 127.0.0.1, findings files, a CLI runner."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.review.fake_github import FakeGitHub
from transformers_scaffold.cli import main

TOKEN = "ghs_FAKE0token0for0tests0Zq9XyW"
SLUG = "acme/transformers"


def finding(path: str, line: int, code: str = "SCF101", severity: str = "error", **extra: Any) -> dict[str, Any]:
    data = {
        "code": code,
        "name": "some-rule",
        "severity": severity,
        "path": path,
        "line": line,
        "end_line": line,
        "col": 1,
        "message": f"{code} problem at line {line}",
        "fix": None,
        "fixable": False,
    }
    data.update(extra)
    return data


def artifact(findings: list[dict[str, Any]]) -> dict[str, Any]:
    return {"version": 1, "tool": "transformers-scaffold", "findings": findings}


@pytest.fixture
def write_findings(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(1000))

    def write(findings: list[dict[str, Any]] | None = None, *, raw: bytes | None = None) -> Path:
        path = tmp_path / f"findings-{next(counter)}.json"
        path.write_bytes(raw if raw is not None else json.dumps(artifact(findings or [])).encode())
        return path

    return write


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub(owner="acme", name="transformers", token=TOKEN) as server:
        yield server


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Result]]:
    """Run `scaffold ...` in-process; afterwards assert the token never appeared anywhere."""
    caplog.set_level(logging.DEBUG)
    for name in ("GITHUB_EVENT_PATH", "GITHUB_REPOSITORY", "GITHUB_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    seen: list[str] = []

    def run(*args: str) -> Result:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        seen.extend([captured.out, captured.err])
        return Result(code, captured.out, captured.err)

    yield run
    seen.append(caplog.text)
    assert all(TOKEN not in text for text in seen), "the token leaked into output or logs"
