"""Acceptance on real git repositories: the check workflow as `scaffold init-ci` writes it, run step
by step against a PR whose base branch moved since the branch point, then the bot on the fake GitHub.

The workflow is not re-implemented here: its checkout `ref`/`fetch-depth` and its `run:` steps are
read from the rendered YAML and executed with bash (the install step is skipped: scaffold is
already on PATH). `actions/checkout` is emulated the way it works: init, a shallow fetch of the ref
(the merge ref when the step names none, as on `pull_request`), checkout.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.review.fake_github import FakePull
from tests.review.test_review_github import review_args
from transformers_scaffold.review.init_ci import CHECK_WORKFLOW, CiAnswers, render_ci

MODELING = "src/transformers/models/acme/modeling_acme.py"
BIN = str(Path(sys.executable).parent)
BASE = """import yaml


def load(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


def show(x):
    return x
"""


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e", "GIT_CONFIG_GLOBAL": "/dev/null"}  # fmt: skip
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def commit(repo: Path, text: str, message: str) -> str:
    (repo / MODELING).parent.mkdir(parents=True, exist_ok=True)
    (repo / MODELING).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)
    return git(repo, "rev-parse", "HEAD").strip()


def churn(repo: Path, count: int, name: str) -> None:
    for n in range(count):
        (repo / f"{name}.txt").write_text(f"{n}\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", f"{name} {n}")


def make_pr(tmp_path: Path, pr_text: str, moved_by: int, history: tuple[int, int, int] = (0, 0, 0)) -> dict[str, str]:
    """origin with main moved by `moved_by` lines above the PR's change, the PR head and its merge ref.

    `history` adds that many unrelated commits before the branch point, to the PR branch and to
    main, so the shallow fetch has to deepen several rounds and must stop before the old ones."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    git(origin, "config", "uploadpack.allowAnySHA1InWant", "true")
    churn(origin, history[0], "ancient")
    commit(origin, BASE, "base")
    git(origin, "checkout", "-qb", "add-acme")
    churn(origin, history[1], "pr-notes")
    head = commit(origin, pr_text, "the PR")
    git(origin, "checkout", "-q", "main")
    churn(origin, history[2], "main-notes")
    moved = "".join(f"# upstream note {n}\n" for n in range(moved_by)) + BASE
    base = commit(origin, moved, "main moves on")
    git(origin, "checkout", "-q", "--detach", base)
    git(origin, "merge", "-q", "--no-edit", head)
    merge = git(origin, "rev-parse", "HEAD").strip()
    git(origin, "update-ref", "refs/pull/7/merge", merge)
    git(origin, "update-ref", "refs/pull/7/head", head)
    git(origin, "checkout", "-q", "main")
    patch = git(origin, "diff", "--no-color", f"{base}...{head}", "--", MODELING)
    return {"origin": str(origin), "base": base, "head": head, "merge": merge, "patch": patch[patch.index("@@") :]}


def run_check_workflow(tmp_path: Path, pr: dict[str, str], answers: CiAnswers | None = None) -> Path:
    workflow = yaml.safe_load(render_ci(answers or CiAnswers())[CHECK_WORKFLOW])
    steps = workflow["jobs"]["check"]["steps"]
    context = {
        "github.event.pull_request.head.sha": pr["head"],
        "github.event.pull_request.base.sha": pr["base"],
        "github.event.pull_request.number": "7",
        "github.server_url": "https://github.com",
        "github.token": "not-a-real-token",
    }

    def expr(value: object) -> str:
        return re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: context[m.group(1)], str(value))

    work = tmp_path / "runner"
    work.mkdir()
    for step in steps:
        uses = step.get("uses", "")
        if uses.startswith("actions/checkout@"):
            options = step.get("with", {})
            ref = expr(options["ref"]) if "ref" in options else "refs/pull/7/merge"
            git(work, "init", "-q")
            git(work, "remote", "add", "origin", f"file://{pr['origin']}")
            git(
                work,
                "fetch",
                "-q",
                "--no-tags",
                f"--depth={int(options.get('fetch-depth', 1)) or 2**30}",
                "origin",
                ref,
            )
            git(work, "checkout", "-q", "--detach", "FETCH_HEAD")
        elif "run" in step and "pip install" not in step["run"]:
            env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "GIT_CONFIG_GLOBAL": "/dev/null",
                   **{k: expr(v) for k, v in (step.get("env") or {}).items()}}  # fmt: skip
            subprocess.run(["bash", "-e", "-c", step["run"]], cwd=work, env=env, check=True, timeout=300)
    return work


def review(github, run_cli, write_findings, pr, work: Path, *extra: str):
    github.pulls[7] = FakePull(7, pr["head"], [{"filename": MODELING, "patch": pr["patch"]}])
    findings = json.loads((work / "findings.json").read_text())["findings"]
    result = run_cli(*review_args(write_findings(findings), github, *extra))
    assert result.code == 0, result.err
    return findings


@pytest.mark.parametrize(("moved_by", "history"), [(2, (10, 0, 0)), (17, (10, 0, 0)), (5, (100, 9, 40))])
def test_base_moved_since_the_branch_point_comments_land_on_the_right_head_lines(
    tmp_path, github, run_cli, write_findings, moved_by, history
):
    pr_text = BASE.replace("    return x\n", '    print(x)\n    print("again", x)\n    return x\n')
    pr = make_pr(tmp_path, pr_text, moved_by, history)
    work = run_check_workflow(tmp_path, pr)
    assert git(work, "rev-parse", "HEAD").strip() == pr["head"]  # the head, not the merge commit
    # Shallow: the old history before the merge base never came over, only a few rounds of it.
    assert int(git(work, "rev-list", "--count", "HEAD")) < history[0]
    findings = review(github, run_cli, write_findings, pr, work)
    assert [f["code"] for f in findings] == ["SCF312", "SCF312"]
    comments = github.reviews[0]["_comments"]  # the fake refused any line outside the patch
    head_lines = pr_text.splitlines()
    assert len(comments) == 2
    assert all("print(" in head_lines[c["line"] - 1] for c in comments), [c["line"] for c in comments]
    assert "Not on changed lines" not in github.issue_comments[0]["body"]


def test_a_suggestion_block_applied_to_the_file_removes_the_finding(tmp_path, github, run_cli, write_findings):
    pr_text = BASE.replace("yaml.safe_load(handle)", "yaml.load(handle)")
    pr = make_pr(tmp_path, pr_text, 3)
    work = run_check_workflow(tmp_path, pr)
    findings = review(github, run_cli, write_findings, pr, work)
    assert [f["code"] for f in findings] == ["SCF307"] and findings[0]["edits"]
    [comment] = github.reviews[0]["_comments"]
    block = re.search(r"^(`{3,})suggestion\n(.*?)^\1$", comment["body"], re.S | re.M)
    assert block, comment["body"]
    # Apply it the way GitHub does: the commented lines are replaced by the block's content.
    lines = (work / MODELING).read_text().splitlines(keepends=True)
    first = comment.get("start_line") or comment["line"]
    lines[first - 1 : comment["line"]] = [block.group(2)]
    (work / MODELING).write_text("".join(lines))
    after = subprocess.run(
        [f"{BIN}/scaffold", "check", "--format", "json"], cwd=work, capture_output=True, text=True, timeout=300
    )
    codes = [f["code"] for f in json.loads(after.stdout)["findings"]]
    assert "SCF307" not in codes and (work / MODELING).read_text() == BASE
