"""Git plumbing for the checker: the file list, and changed files/lines against a base."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from transformers_scaffold.errors import UserError

# A unified-diff hunk header; group 1 is the first new-side line, group 2 the count (default 1).
HUNK_HEADER = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_SKIP_DIRS = {".git", "__pycache__", ".venv", "node_modules", ".cache", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


def _git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, errors="replace")
    if proc.returncode != 0:
        raise UserError(
            f"git {' '.join(args[:2])} failed in {root}: {proc.stderr.strip()[:200]}; is it a git repository?"
        )
    return proc.stdout


def is_git_repo(root: Path) -> bool:
    return (root / ".git").exists()


# Set by git for the hooks it runs (in a worktree or submodule `GIT_DIR` points into the main
# repository's `.git/`), and by users. With `GIT_DIR` but no `GIT_WORK_TREE`, git takes the current
# directory as the top of the work tree, so discovery from a sub-folder would stop there.
HOOK_VARS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR")


def clean_env() -> dict[str, str]:
    """The environment without the repository variables git exports to hooks: for discovery
    from a path, and for subprocesses (pytest) that must not act on the fork's repository."""
    return {k: v for k, v in os.environ.items() if k not in HOOK_VARS}


def toplevel(path: Path) -> Path | None:
    """The work tree root that holds `path` (worktrees, submodules and hook environments included)."""
    work_tree = os.environ.get("GIT_WORK_TREE")
    if os.environ.get("GIT_DIR") and work_tree:
        return Path(work_tree).resolve()
    proc = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=path, capture_output=True, text=True, env=clean_env()
    )
    return Path(proc.stdout.strip()) if proc.returncode == 0 else None


def list_files(root: Path) -> list[str]:
    """Tracked and untracked-but-not-ignored files; a plain walk outside git."""
    if is_git_repo(root):
        out = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        return sorted({p for p in out.split("\0") if p and (root / p).is_file()})
    files: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS]
        rel = Path(dirpath).relative_to(root)
        files.extend((rel / f).as_posix() for f in filenames)
    return sorted(files)


def changed(root: Path, base: str | None) -> dict[str, set[int] | None]:
    """Files that differ from `base` (default HEAD) in the working tree, with their added lines.

    With a base, the diff starts at the merge base of `base` and HEAD (what a PR shows). New and
    untracked files map to None ("every line is new"); deleted files are left out.
    """
    if not is_git_repo(root):
        raise UserError(f"--changed needs a git repository, and {root} is not one; drop --changed or pass --repo")
    if base is None:
        has_head = subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root, capture_output=True)
        ref = ["HEAD"] if has_head.returncode == 0 else ["--cached"]
    else:
        check = subprocess.run(
            ["git", "rev-parse", "--verify", "-q", f"{base}^{{commit}}"], cwd=root, capture_output=True
        )
        if check.returncode != 0:
            raise UserError(f"--base {base}: no such commit or branch; pass an existing ref such as `main`")
        ref = ["--merge-base", base]
    out = _git(root, "diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-renames", *ref)
    result: dict[str, set[int] | None] = {}
    current: str | None = None
    is_new = False
    for line in out.splitlines():
        if line.startswith("diff --git "):
            current, is_new = None, False
        elif line.startswith("new file mode"):
            is_new = True
        elif line.startswith("+++ "):
            target = line[4:]
            current = target[2:] if target.startswith("b/") else None
            if current is not None:
                result[current] = None if is_new else set()
        elif current is not None and not is_new:
            match = HUNK_HEADER.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                lines = result[current]
                assert lines is not None
                lines.update(range(start, start + count))
    for path in _git(root, "ls-files", "-z", "--others", "--exclude-standard").split("\0"):
        if path:
            result[path] = None
    return {p: v for p, v in result.items() if (root / p).is_file()}


def _resolves(root: Path, ref: str) -> bool:
    proc = subprocess.run(["git", "rev-parse", "--verify", "-q", f"{ref}^{{commit}}"], cwd=root, capture_output=True)
    return proc.returncode == 0


def pre_push_base(root: Path, from_ref: str, remote: str | None) -> str | None:
    """The base of a pre-push check: the remote's old commit, or for a new branch (all-zero
    `from_ref`) the remote's default branch; None (diff against HEAD) when neither resolves."""
    if from_ref.strip("0") and _resolves(root, from_ref):
        return from_ref
    for ref in (f"{remote or 'origin'}/HEAD", f"{remote or 'origin'}/main", "main"):
        if _resolves(root, ref):
            return ref
    return None
