"""Content-hash cache of per-file findings, so an unchanged file is never re-checked.

One JSON file per repository, under `<repo>/.cache/scaffold-check/` by default (a `.gitignore`
inside keeps it out of `git status`), or `$SCAFFOLD_CHECK_CACHE`. The key of the whole cache is
the hash of the checker's own sources and settings: editing a rule invalidates everything.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from transformers_scaffold.atomic import write_atomic

CACHE_VERSION = 2
# A file whose mtime is this close to the run's start may still be written to within the same
# clock tick: its stat is not trusted (git's "racy" rule), its content is hashed again.
RACY_NS = 2_000_000_000
# The cache entry under which repository rules keep their findings in whole-tree runs, keyed by
# the digest of every file of the tree (`tree_digest`).
REPOSITORY = "::repository"
_PACKAGE = Path(__file__).resolve().parent


def cache_path(root: Path) -> Path:
    env = os.environ.get("SCAFFOLD_CHECK_CACHE")
    if env:
        digest = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
        return Path(env) / f"{digest}.json"
    return root / ".cache" / "scaffold-check" / "findings.json"


def code_fingerprint(extra: str) -> str:
    """Hash of the checker and catalogue sources plus `extra` (settings)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"v{CACHE_VERSION}{extra}".encode())
    for folder in (_PACKAGE, _PACKAGE.parent / "checks"):
        for path in sorted(folder.resolve().glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def file_stamp(path: Path) -> tuple[str, int, int]:
    """A file's path, size and mtime: the key of an in-process cache that follows its edits
    ((-1, -1) when it cannot be read)."""
    try:
        stat = path.stat()
    except OSError:
        return str(path), -1, -1
    return str(path), stat.st_size, stat.st_mtime_ns


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class FindingsCache:
    """path -> {"hash": content hash, "stat": [size, mtime_ns], "rules": {code: [finding dicts]}}.

    `digest` trusts a file's stat like git's index does: an unchanged size and mtime (not too close
    to the run's start) means unchanged content, so a warm run hashes only what was touched."""

    def __init__(self, root: Path, fingerprint: str, enabled: bool = True) -> None:
        self.root = root
        self.started_ns = time.time_ns()
        self._digests: dict[str, str | None] = {}  # this run's answers: a file is hashed once per run
        self.path = cache_path(root)
        self.fingerprint = fingerprint
        self.enabled = enabled
        self.entries: dict[str, dict[str, Any]] = {}
        self.dirty = False
        if enabled and self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("fingerprint") == fingerprint:
                    self.entries = data.get("files", {})
            except (OSError, ValueError):
                self.entries = {}

    def digest(self, path: str) -> str | None:
        """Content hash of `path` (relative to the root), from its stat when that is unchanged;
        None when it cannot be read."""
        if path not in self._digests:
            self._digests[path] = self._digest(path)
        return self._digests[path]

    def _digest(self, path: str) -> str | None:
        full = self.root / path
        try:
            stat = full.stat()
        except OSError:
            return None
        stamp = [stat.st_size, stat.st_mtime_ns]
        entry = self.entries.get(path)
        trusted = self.enabled and stat.st_mtime_ns < self.started_ns - RACY_NS
        if entry and trusted and entry.get("stat") == stamp:
            return str(entry["hash"])
        try:
            digest = content_hash(full.read_bytes())
        except OSError:
            return None
        if not entry or entry.get("hash") != digest:
            entry = self.entries[path] = {"hash": digest, "rules": {}}
        if trusted:
            entry["stat"] = stamp
            self.dirty = True
        return digest

    def tree_digest(self, paths: list[str]) -> str:
        """One digest of the listed files and their contents (the input of repository rules)."""
        h = hashlib.blake2b(digest_size=16)
        for path in sorted(paths):
            h.update(f"{path}\0{self.digest(path) or '-'}\n".encode())
        return h.hexdigest()

    def get(self, path: str, digest: str, code: str) -> list[dict[str, Any]] | None:
        entry = self.entries.get(path)
        if not entry or entry.get("hash") != digest:
            return None
        return entry["rules"].get(code)  # type: ignore[no-any-return]

    def put(self, path: str, digest: str, code: str, findings: list[dict[str, Any]]) -> None:
        entry = self.entries.get(path)
        if not entry or entry.get("hash") != digest:
            entry = self.entries[path] = {"hash": digest, "rules": {}}
        entry["rules"][code] = findings
        self.dirty = True

    def fact(self, path: str, digest: str, name: str) -> Any:
        """A cached derived value (e.g. the parsed auto mappings) of a file's content, or None."""
        entry = self.entries.get(path)
        if not entry or entry.get("hash") != digest:
            return None
        return entry.get("facts", {}).get(name)

    def put_fact(self, path: str, digest: str, name: str, value: Any) -> None:
        entry = self.entries.get(path)
        if not entry or entry.get("hash") != digest:
            entry = self.entries[path] = {"hash": digest, "rules": {}}
        entry.setdefault("facts", {})[name] = value
        self.dirty = True

    def save(self) -> None:
        if not (self.enabled and self.dirty):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists() and not os.environ.get("SCAFFOLD_CHECK_CACHE"):
                ignore.write_text("# created by scaffold check\n*\n", encoding="utf-8")
            data = json.dumps({"fingerprint": self.fingerprint, "files": self.entries}).encode("utf-8")
            write_atomic(self.path, data)  # a unique temporary sibling: concurrent runs never share one
        except OSError:
            pass  # a read-only checkout still gets its findings, just not cached
