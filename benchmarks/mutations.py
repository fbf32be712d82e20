"""Mutation score of the generated efficiency tests: break each feature, watch its test fail.

For every model (a template or a `--like` source) scaffolded into a fork, and every mutation of
`benchmarks/mutation_catalogue.py`, it mutates `modeling_<module>.py`, runs only the generated
tests named for that feature, and restores the file. A mutation is caught when one of those tests
fails (not errors at collection: the mutated file must still import and the same tests must pass on
the unmutated model, which is checked first). Exit code 1 when any mutation survives.

    python benchmarks/mutations.py                                  # decoder, encoder, like-llama, like-bert
    python benchmarks/mutations.py --models decoder --only causality-flipped --out scores.json
    python benchmarks/mutations.py --fork F --module acme           # a model already in a fork
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutation_catalogue import BY_NAME, CATALOGUE, Mutation, Names, NotApplicable  # noqa: E402

MODELS = {  # name -> (module, new-model arguments)
    "decoder": ("acme", ["--template", "decoder"]),
    "encoder": ("bolt", ["--template", "encoder"]),
    "like-llama": ("kite", ["--like", "llama"]),
    "like-bert": ("wren", ["--like", "bert"]),
}


@dataclass
class Result:
    model: str
    mutation: str
    feature: str
    status: str  # caught | survived | n/a | broken-baseline
    failed: list[str]
    seconds: float
    note: str = ""


def test_file(fork: Path, module: str) -> Path:
    return fork / "tests" / "models" / module / f"test_efficiency_{module}.py"


def modeling_file(fork: Path, module: str) -> Path:
    return fork / "src" / "transformers" / "models" / module / f"modeling_{module}.py"


def names_of(fork: Path, module: str) -> Names:
    text = test_file(fork, module).read_text()

    def constant(name: str) -> str:
        found = re.search(rf'^{name} = "([^"]+)"', text, re.M)
        if found is None:
            raise SystemExit(f"{test_file(fork, module)}: no {name} constant (regenerate the model)")
        return found.group(1)

    return Names(layer_class=constant("LAYER_CLASS"), attention_class=constant("ATTENTION_CLASS"))


def run_tests(fork: Path, module: str, prefixes: tuple[str, ...], first_failure: bool = False) -> dict[str, str]:
    """test id -> PASSED/FAILED/ERROR for the generated tests whose names start with a prefix
    (`first_failure`: stop at the first failing test, which is enough to call a mutation caught)."""
    expression = " or ".join(prefixes)
    env = {**os.environ, "PYTHONPATH": str(fork / "src"), "OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", str(test_file(fork, module)), "-q", "-rA", "-p", "no:cacheprovider",
         "-W", "ignore", "-k", expression, *(["-x"] if first_failure else [])],
        cwd=fork, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    outcomes = {}
    for state, name in re.findall(r"^(PASSED|FAILED|ERROR) \S*?::(\w+(?:\[[^\]]+\])?)", proc.stdout, re.M):
        if name.startswith(prefixes):
            outcomes[name] = state
    if not outcomes:
        outcomes["<no test ran>"] = "ERROR:" + proc.stdout[-2000:]
    return outcomes


def score_model(fork: Path, module: str, label: str, mutations: list[Mutation]) -> list[Result]:
    path = modeling_file(fork, module)
    original = path.read_text()
    names = names_of(fork, module)
    results = []
    planned: list[tuple[Mutation, str]] = []
    for mutation in mutations:
        try:
            planned.append((mutation, mutation.apply(original, names)))
        except NotApplicable as reason:
            results.append(Result(label, mutation.name, mutation.feature, "n/a", [], 0.0, str(reason)))
    prefixes = tuple(sorted({p for m, _ in planned for p in m.tests}))
    baseline = run_tests(fork, module, prefixes) if prefixes else {}
    broken = sorted(n for n, s in baseline.items() if s != "PASSED")
    try:
        for mutation, mutated in planned:
            start = time.perf_counter()
            if any(n.startswith(mutation.tests) for n in broken):
                results.append(Result(label, mutation.name, mutation.feature, "broken-baseline", broken, 0.0))
                print(f"{label:12} {mutation.name:34} broken baseline: {', '.join(broken)[:120]}", flush=True)
                continue
            path.write_text(mutated)
            outcomes = run_tests(fork, module, mutation.tests, first_failure=True)
            failed = sorted(n for n, s in outcomes.items() if s == "FAILED")
            errors = sorted(n for n, s in outcomes.items() if s.startswith("ERROR"))
            status = "caught" if failed else "survived"
            note = "" if failed or not errors else f"errors only: {errors}"
            results.append(
                Result(label, mutation.name, mutation.feature, status, failed, time.perf_counter() - start, note)
            )
            print(f"{label:12} {mutation.name:34} {status:9} {', '.join(failed)[:120]}", flush=True)
    finally:
        path.write_text(original)
    return results


def scaffold(work: Path, labels: list[str]) -> Path:
    from transformers_scaffold.cli import main as scaffold_main
    from transformers_scaffold.fixture import build_fork

    fork = build_fork(work / "transformers")
    for label in labels:
        module, extra = MODELS[label]
        if modeling_file(fork, module).is_file():
            continue
        if scaffold_main(["new-model", module, "--yes", "--repo", str(fork), *extra]) != 0:
            raise SystemExit(f"scaffold new-model {module} {' '.join(extra)} failed")
        subprocess.run(["git", "add", "-A"], cwd=fork, check=True)
        subprocess.run(
            ["git", "-c", "user.name=m", "-c", "user.email=m@example.com", "commit", "-qm", module],
            cwd=fork,
            check=True,
        )
    return fork


def summary(results: list[Result]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for result in results:
        row = table.setdefault(result.model, {"caught": 0, "survived": 0, "n/a": 0, "broken-baseline": 0})
        row[result.status] += 1
    return table


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--models", default=",".join(MODELS), help=f"comma-separated, of {', '.join(MODELS)}")
    p.add_argument("--only", default="", help="comma-separated mutation names (default: the whole catalogue)")
    p.add_argument("--fork", type=Path, default=None, help="use this fork (with --module) instead of scaffolding one")
    p.add_argument("--module", default=None)
    p.add_argument("--work", type=Path, default=None, help="where to build the fork (default: a temp dir)")
    p.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = p.parse_args(argv)
    unknown = [n for n in args.only.split(",") if n and n not in BY_NAME]
    if unknown:
        p.error(f"unknown mutation(s) {unknown}; known: {', '.join(BY_NAME)}")
    mutations = [BY_NAME[n] for n in args.only.split(",") if n] or list(CATALOGUE)
    started = time.time()
    if args.fork:
        if not args.module:
            p.error("--fork needs --module")
        targets = [(args.module, args.module)]
        fork = args.fork
    else:
        labels = [m for m in args.models.split(",") if m]
        bad = [m for m in labels if m not in MODELS]
        if bad:
            p.error(f"unknown model(s) {bad}; known: {', '.join(MODELS)}")
        fork = scaffold(args.work or Path(tempfile.mkdtemp(prefix="mutations-")), labels)
        targets = [(MODELS[label][0], label) for label in labels]
    results: list[Result] = []
    for module, label in targets:
        results += score_model(fork, module, label, mutations)
        if args.out:  # after each model, so a long run that is stopped keeps what it measured
            write_results(args.out, fork, started, results)
    for label, row in summary(results).items():
        applicable = row["caught"] + row["survived"] + row["broken-baseline"]
        print(f"{label}: {row['caught']}/{applicable} caught ({row['n/a']} not applicable)")
    return 0 if all(r.status in {"caught", "n/a"} for r in results) else 1


def write_results(out: Path, fork: Path, started: float, results: list[Result]) -> None:
    import torch

    version = subprocess.run(
        [sys.executable, "-c", "import transformers; print(transformers.__version__)"],
        env={**os.environ, "PYTHONPATH": str(fork / "src")}, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    meta = {
        "date": time.strftime("%Y-%m-%d", time.gmtime(started)),
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers (fork)": version,
        "seconds": round(time.time() - started, 1),
    }
    out.write_text(
        json.dumps({"meta": meta, "summary": summary(results), "results": [asdict(r) for r in results]}, indent=2)
    )


if __name__ == "__main__":
    sys.exit(main())
