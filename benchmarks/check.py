"""Benchmark `scaffold check`: --changed after one new model, the whole sdist tree, a cached hook run.

    python benchmarks/check.py [--repeat 3] [--sdist /work/cache/transformers-5.24.0] [--write]

Every timed command is a fresh `scaffold check` process (cold interpreter), as pre-commit and CI
run it. `--write` replaces the "## scaffold check" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "benchmarks.md"
_SCRIPT = Path(sys.executable).parent / "scaffold"
# The console script, or the module where the package is only on PYTHONPATH (the device machine).
SCAFFOLD = str(_SCRIPT) if _SCRIPT.is_file() else f"{sys.executable} -m transformers_scaffold"
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "b",
    "GIT_AUTHOR_EMAIL": "b@b.invalid",
    "GIT_COMMITTER_NAME": "b",
    "GIT_COMMITTER_EMAIL": "b@b.invalid",
}
TARGETS = {"changed": 1.0, "whole": 20.0, "hook": 0.5, "warm": 5.0}


def sh(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    cmd = [*cmd[0].split(), *cmd[1:]]  # SCAFFOLD may be "python -m transformers_scaffold"
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=GIT_ENV)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], cwd: Path, repeat: int, prepare=None) -> tuple[float, float]:
    """Median wall time and median CPU time (user + sys of the process and its workers).

    CPU time barely moves when other jobs share the cores, so it is the figure to compare across
    runs; wall time on an idle machine is about CPU time / cores for the parallel part."""
    times, cpus = [], []
    for _ in range(repeat):
        if prepare:
            prepare()
        cpu = _children_cpu()
        start = time.perf_counter()
        proc = sh(cmd, cwd)
        times.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{cmd} failed: {proc.stderr[-500:]}")
    return statistics.median(times), statistics.median(cpus)


def git_tree(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("PKG-INFO", "setup.cfg"))
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        sh(["git", *args], dest)
    return dest


def clear_cache(root: Path) -> None:
    shutil.rmtree(root / ".cache" / "scaffold-check", ignore_errors=True)
    shutil.rmtree(root / ".ruff_cache", ignore_errors=True)


def per_rule(root: Path) -> tuple[Counter[str], dict[str, float], float, int]:
    sys.path.insert(0, str(REPO / "src"))
    from transformers_scaffold.checker.runner import CheckOptions, run_check

    clear_cache(root)
    start = time.perf_counter()
    report = run_check(CheckOptions(root=root, use_cache=False))
    return Counter(f.code for f in report.findings), report.timings, time.perf_counter() - start, report.files


def real_fork_rows(fork: Path, repeat: int) -> list[tuple[str, tuple[float, float], str]]:
    """The whole real-fork tree (a shared clone, so the fork itself stays untouched), with and
    without upstream's mlinter (SCF501), cold and warm."""
    rows: list[tuple[str, tuple[float, float], str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "fork"
        sh(["git", "clone", "-q", "--shared", str(fork), str(clone)], Path(tmp))
        version = next(
            (
                line.split('"')[1]
                for line in (clone / "src/transformers/__init__.py").read_text().splitlines()
                if line.startswith("__version__")
            ),
            "?",
        )
        # Default settings last: the cache they leave is the one `--changed` below starts from.
        for label, extra in ((", without mlinter (--ignore SCF501)", ["--ignore", "SCF501"]), ("", [])):
            whole = [SCAFFOLD, "check", *extra]
            t = timed(whole, clone, repeat, prepare=lambda: clear_cache(clone))
            rows.append((f"whole real-fork tree ({version}){label}, cold process, no cache", t, "whole"))
            sh(whole, clone)
            t = timed(whole, clone, repeat)
            rows.append((f"whole real-fork tree ({version}){label}, cold process, cache warm", t, "warm"))
        # What a contributor's first commit of a new model meets: the cache holds the tree as it was
        # before the scaffold (earlier hook runs), the new model's files are new to it.
        before = Path(tmp) / "cache-before"
        shutil.copytree(clone / ".cache" / "scaffold-check", before)
        made = sh([SCAFFOLD, "new-model", "acme-lm", "--like", "llama", "--yes"], clone)
        if made.returncode != 0:
            raise SystemExit(f"scaffold new-model --like llama failed: {made.stderr[-400:]}")
        changed = [SCAFFOLD, "check", "--changed"]

        def restore_before() -> None:
            clear_cache(clone)
            shutil.copytree(before, clone / ".cache" / "scaffold-check")

        t = timed(changed, clone, repeat, prepare=restore_before)
        rows.append(
            (
                f"--changed after new-model --like llama ({version}), cold process, cache of the tree before it",
                t,
                "changed",
            )
        )
        t = timed(changed, clone, repeat, prepare=lambda: clear_cache(clone))
        rows.append((f"--changed after new-model --like llama ({version}), cold process, no cache", t, "changed"))
        t = timed(changed, clone, repeat)
        rows.append((f"--changed after new-model --like llama ({version}), cold process, cache warm", t, "changed"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sdist", type=Path, default=Path("/work/cache/transformers-5.24.0"))
    parser.add_argument("--write", action="store_true")
    parser.add_argument(
        "--real-fork",
        type=Path,
        default=Path(os.environ["SCAFFOLD_REAL_FORK"]) if os.environ.get("SCAFFOLD_REAL_FORK") else None,
        help="a real fork checkout (git) to time as well (default: $SCAFFOLD_REAL_FORK)",
    )
    parser.add_argument("--only-real-fork", action="store_true", help="time only the real fork")
    args = parser.parse_args()
    if args.only_real_fork:
        rows = real_fork_rows(args.real_fork, args.repeat)
        print("\n".join(f"| {label} | {t[0]:.2f} s | {t[1]:.2f} s |" for label, t, _ in rows))
        return 0
    rows: list[tuple[str, tuple[float, float], str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        sdist = git_tree(args.sdist, Path(tmp) / "sdist")
        # 1. --changed right after scaffolding one model (cold process, no cache).
        sys.path.insert(0, str(REPO / "src"))
        from transformers_scaffold.fixture import build_fork

        fork = build_fork(Path(tmp) / "fork")
        made = sh([SCAFFOLD, "new-model", "acme-lm", "--template", "decoder", "--yes"], fork)
        if made.returncode != 0:
            raise SystemExit(f"scaffold new-model failed: {made.stderr[-400:]}")
        changed = [SCAFFOLD, "check", "--changed"]
        t = timed([*changed, "--no-cache"], fork, args.repeat)
        n_changed = len(sh(["git", "status", "--porcelain", "-uall"], fork).stdout.splitlines())
        rows.append(
            (
                f"`scaffold check --changed` after `new-model acme-lm` ({n_changed} files), cold process, no cache",
                t,
                "changed",
            )
        )
        # 2. A cached pre-commit hook run: the hook's own command on the staged files, cache warm.
        sh(["git", "add", "-A"], fork)
        staged = sh(["git", "diff", "--cached", "--name-only"], fork).stdout.split()
        sh([*changed, *staged], fork)
        t = timed([*changed, *staged], fork, args.repeat)
        rows.append((f"hook command `scaffold check --changed <{len(staged)} staged files>`, cache warm", t, "hook"))
        hook_cfg = Path(tmp) / "pc.yaml"
        hook_cfg.write_text(
            "repos:\n- repo: local\n  hooks:\n  - id: scaffold-check\n    name: scaffold-check\n    entry: scaffold check --changed\n    language: system\n    pass_filenames: true\n"
        )
        env_path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
        pc = [sys.executable, "-m", "pre_commit", "run", "-c", str(hook_cfg), "scaffold-check"]
        os.environ["PATH"] = env_path
        GIT_ENV["PATH"] = env_path
        GIT_ENV["PRE_COMMIT_HOME"] = str(Path(tmp) / "pc-home")
        sh(pc, fork)
        t = timed(pc, fork, args.repeat)
        rows.append(
            (
                "`pre-commit run scaffold-check` on the same staged files, cache warm (pre-commit's own overhead included)",
                t,
                "",
            )
        )
        # 3. The whole sdist tree: cold (no cache) and warm (content-hash cache + ruff cache).
        whole = [SCAFFOLD, "check"]
        t = timed(whole, sdist, args.repeat, prepare=lambda: clear_cache(sdist))
        rows.append(("whole 5.24 sdist tree, cold process, no cache", t, "whole"))
        sh(whole, sdist)
        t = timed(whole, sdist, args.repeat)
        rows.append(("whole 5.24 sdist tree, cold process, cache warm", t, "whole"))
        counts, timings, total, files = per_rule(sdist)
        if args.real_fork:
            rows += real_fork_rows(args.real_fork, args.repeat)
    lines = render(rows, counts, timings, total, files, args.repeat)
    print("\n".join(lines))
    if args.write:
        write_section(lines)
    return 0


REVIEW = """
### False-positive review (llama, bert, mistral, gpt2, t5; xlm-roberta too)

Every finding on these models' files in the whole-tree run was read by hand against the source.
What the first run reported, and what happened to it:

| rule | finding | verdict | resolution |
| --- | --- | --- | --- |
| SCF112 config-attr-unused | llama `pretraining_tp` | kept for checkpoint compatibility (upstream allowlists it) | allowlisted with the generic fields; documented |
| SCF112 config-attr-unused | gpt2 `n_positions`, `n_head` | false positive: read through `attribute_map` aliases | aliases now count as reads |
| SCF112 config-attr-unused | t5 `feed_forward_proj` | false positive: consumed by the config's own `__post_init__` | fields read by the config's methods count |
| SCF105 dunder-all-mismatch | t5 `T5Stack` not in `__all__` | false positive: internal stack | only `<Prefix>...Model` / `<Prefix>For...` classes are required |
| SCF205 post-init-last | t5 `T5Stack`: `self.gradient_checkpointing = False` after `post_init()` | harmless: no module created after it | plain assignments after `post_init()` allowed |
| SCF210 projection-not-linear | gpt2 `c_attn`, `c_proj`, `c_fc` are `Conv1D` | genuine (bitsandbytes skips them); upstream keeps them for checkpoint layout | documented in the rule |

After the fixes, llama, bert, mistral, t5 and xlm-roberta have 0 findings and gpt2 has the 5 genuine
SCF210 findings; `tests/checker/test_fork.py` keeps llama, bert, mistral and xlm-roberta at 0.
The whole-tree review (samples of every rule with findings, read against the source) also removed
these false-positive patterns; first-run counts in brackets, current counts in the table above:
configs in `modular_*` files without `model_type` (the converter adds it) and private helper
configs (SCF101, 139); auto classes taken for heads (SCF104, 46); composite and backbone-based
models that own no checkpointed layers, modular files (SCF201, 144); an explicit
`_supports_sdpa = False` (SCF202, 28); `_no_split_modules = []` in wrappers and torch's
`Parametrized*` classes (SCF203, 26); losses created after `post_init()` (SCF205, 48); intentional
printers such as `debug_utils` and streamers (SCF312, 66); config fields read by shared library
code (`init_std` in `modeling_utils`, DETR loss coefficients, generation ids) or through
`attribute_map` (SCF112, 790); and the `# Copied from` comparison (the copy's own name, wrapping,
replacement pairs with spaces, `# End copy`; SCF302, 98). Freshly scaffolded models
(`--template decoder`, `--template encoder`, `--like llama`, `--like xlm-roberta`) have 0 findings
in `--changed` and whole-tree runs. What remains is upstream's own debt or deliberate choices,
each explained in the rule's docs: ruff rules newer than upstream's ruff pin (SCF001), unused or
undocumented config fields, heads missing from task mappings, models without `_supports_sdpa`,
`Conv1D`/`...Linear` projections, `.item()` in vision/audio forwards.
"""


def render(rows, counts, timings, total, files, repeat) -> list[str]:
    sys.path.insert(0, str(REPO / "src"))
    from transformers_scaffold.checks import RULES

    load = os.getloadavg()[0]
    out = [
        "## scaffold check",
        "",
        f"`python benchmarks/check.py --repeat {repeat} --write`. Measured {date.today()} on the project machine",
        f"({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}); load average {load:.1f} at the end",
        "(other jobs shared the 2 cores), so treat wall times as upper bounds. Median of the repeats; each run",
        "is a fresh `scaffold check` process. CPU time is user + sys of that process and its workers,",
        "which other jobs barely move: a whole-tree run uses both cores, so on an idle machine its wall time",
        "is about half its CPU time plus the serial start-up.",
        "",
        "| case | wall time | CPU time | target (wall) |",
        "| --- | --- | --- | --- |",
    ]
    for label, (seconds, cpu), key in rows:
        target = f"<= {TARGETS[key]} s" if key else ""
        out.append(f"| {label} | {seconds:.2f} s | {cpu:.2f} s | {target} |")
    out += [
        "",
        f"Whole-tree findings per rule (5.24 sdist, {files} files, {sum(counts.values())} findings; in-process run,",
        f"{total:.1f} s wall). CPU seconds are summed over the worker processes; the first rule to touch a file",
        "pays for its parse.",
        "",
        "| rule | findings | CPU s |",
        "| --- | --- | --- |",
    ]
    for rule in RULES:
        out.append(f"| {rule.CODE} {rule.NAME} | {counts.get(rule.CODE, 0)} | {timings.get(rule.CODE, 0.0):.2f} |")
    return out + REVIEW.rstrip("\n").split("\n")


def write_section(lines: list[str]) -> None:
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    start = text.find("## scaffold check\n")
    body = "\n".join(lines) + "\n"
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + body
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + body + (text[end:] if end >= 0 else "")
    DOC.write_text(text)


if __name__ == "__main__":
    raise SystemExit(main())
