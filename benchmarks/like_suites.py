"""The generated test suites of `--like` sources: scaffold, resolve every Auto class, run the suite.

    python benchmarks/like_suites.py [SOURCE ...] [--jobs N] [--cores-per-suite 2] [--out like_suites.json]

For each source (default: the 19 of `DEFAULT_SOURCES`, spread over decoders, MoE, seq2seq, vision,
audio, multimodal and SSM/hybrid models):

1. clone a fresh 5.24 sdist fork (built once under `--work`, or `--fork PATH`) into its own directory;
2. `scaffold new-model acme-x --like SOURCE --yes` (exit 2 is recorded as a refusal with its line);
3. in a fresh interpreter, resolve every Auto class the new model types are registered in
   (`AutoConfig`, each `AutoModel*`, the tokenizer / image processor / feature extractor / processor
   mappings) and check each model class comes from the new package;
4. run the generated suite (`tests/models/acme_x/`, the efficiency file included) with pytest under
   `taskset -c <its cores>`, `OMP_NUM_THREADS` = cores, through a wrapper process that records the
   peak RSS of the pytest process tree (sampled sum over the tree, and `ru_maxrss` of the largest
   waited-for descendant) and the wall time. Counts come from pytest's JUnit XML (skip reasons too).

The fork's `src/` comes first on `PYTHONPATH` for every step, so an installed (older) transformers
is never imported. Suites run `--jobs` at a time, each pinned to its own `--cores-per-suite` cores
of this process's affinity mask. Writes JSON (`--out`) and a Markdown table (`--md`, default: the
JSON path with `.md`) with the machine, versions and date. A suite passes when the scaffold exits
0, every Auto class resolves, pytest reports 0 failed and 0 errors with at least one passed test,
peak RSS is under `--max-rss-gib` (2) and wall time under `--max-wall-s` (180).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

DEFAULT_SOURCES = (
    # named by the issue
    "whisper", "mixtral", "gemma2", "t5", "gpt2", "mamba", "vit", "llava", "gemma3_text",
    # MoE, seq2seq, audio, vision, multimodal, SSM/hybrid, odd decoders
    "qwen2_moe", "granitemoe", "bart", "wav2vec2", "siglip", "convnext",
    "falcon_mamba", "jamba", "phi3", "opt",
)  # fmt: skip
NAME = "acme-x"
MODULE = "acme_x"

_AUTOS = r"""
import importlib, json, sys
module, prefix = sys.argv[1], sys.argv[2]
import transformers
from transformers.models.auto import configuration_auto, modeling_auto
from transformers.models.auto.configuration_auto import CONFIG_MAPPING, CONFIG_MAPPING_NAMES
package = f"transformers.models.{module}."
types = [t for t, c in CONFIG_MAPPING_NAMES.items() if isinstance(c, str) and c.startswith(prefix)]
out = {"transformers": transformers.__file__, "types": types, "resolved": [], "problems": []}
if not types:
    out["problems"].append(f"no model type with a {prefix}* config in CONFIG_MAPPING_NAMES")
def names(value):
    return [v for v in (value if isinstance(value, (list, tuple)) else [value]) if v]
autos = {}
for attr in dir(modeling_auto):
    obj = getattr(modeling_auto, attr)
    mapping = getattr(obj, "_model_mapping", None)
    if isinstance(obj, type) and hasattr(mapping, "_model_mapping"):
        autos.setdefault(id(mapping), (obj, mapping))
extra = []
for mod, attr, auto in (
    ("tokenization_auto", "TOKENIZER_MAPPING", "AutoTokenizer"),
    ("image_processing_auto", "IMAGE_PROCESSOR_MAPPING", "AutoImageProcessor"),
    ("feature_extraction_auto", "FEATURE_EXTRACTOR_MAPPING", "AutoFeatureExtractor"),
    ("processing_auto", "PROCESSOR_MAPPING", "AutoProcessor"),
):
    try:
        extra.append((auto, getattr(importlib.import_module(f"transformers.models.auto.{mod}"), attr)))
    except Exception as exc:
        out["problems"].append(f"{auto}: {type(exc).__name__}: {exc}"[:300])
for t in types:
    try:
        config_cls = CONFIG_MAPPING[t]
        if not config_cls.__module__.startswith(package):
            out["problems"].append(f"AutoConfig[{t}] is {config_cls.__module__}.{config_cls.__name__}")
        out["resolved"].append(["AutoConfig", t, config_cls.__name__])
    except Exception as exc:
        out["problems"].append(f"AutoConfig[{t}]: {type(exc).__name__}: {exc}"[:300])
        continue
    for auto, mapping in autos.values():
        if t not in mapping._model_mapping:
            continue
        try:
            cls = mapping[config_cls]
            want = names(mapping._model_mapping[t])
            if cls.__name__ not in want or not cls.__module__.startswith(package):
                out["problems"].append(f"{auto.__name__}[{t}] is {cls.__module__}.{cls.__name__}, want {want}")
            out["resolved"].append([auto.__name__, t, cls.__name__])
        except Exception as exc:
            out["problems"].append(f"{auto.__name__}[{t}]: {type(exc).__name__}: {exc}"[:300])
    for auto, mapping in extra:
        if t not in mapping._model_mapping:
            continue
        try:
            value = mapping[config_cls]
            got = [getattr(v, "__name__", str(v)) for v in names(value)]
            if not got:
                out["problems"].append(f"{auto}[{t}] resolves to nothing")
            out["resolved"].append([auto, t, ",".join(got)])
        except Exception as exc:
            out["problems"].append(f"{auto}[{t}]: {type(exc).__name__}: {exc}"[:300])
print(json.dumps(out))
"""


# Once per machine before the suites: optimum-quanto JIT-builds its C++ kernel (into its own package
# directory) on first int4 use; eight suites starting at once would all wait on that one build.
_WARM = r"""
try:
    from optimum.quanto.library.extensions.cpp import ext
except ImportError:
    raise SystemExit(0)
ext.lib
"""


def warm_up(pristine: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _WARM], env=_env(pristine, 2), check=False)
    return round(time.perf_counter() - start, 1)


# --- the measuring wrapper (a child process per suite, so RUSAGE_CHILDREN is that suite's) ---


def _tree_rss_kib(root: int) -> int:
    total, todo, seen = 0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def measure(out: Path, cmd: list[str], timeout: float) -> int:
    import resource

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, start_new_session=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], _tree_rss_kib(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    timed_out = False
    try:
        rc = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        rc = proc.wait()
    done.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    out.write_text(
        json.dumps(
            {
                "rc": rc,
                "timed_out": timed_out,
                "wall_s": round(time.perf_counter() - start, 1),
                "tree_peak_rss_mib": round(peak[0] / 1024, 1),
                "maxrss_mib": round(usage.ru_maxrss / 1024, 1),
                "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            }
        )
    )
    return rc


# --- one source ---


def _env(fork: Path, cores: int) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(fork / "src"), os.environ.get("PYTHONPATH", "")) if p)
    threads = str(cores)
    return {
        **os.environ,
        "PYTHONPATH": path,
        "PYTHONDONTWRITEBYTECODE": "1",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "OMP_NUM_THREADS": threads,
        "MKL_NUM_THREADS": threads,
        "TOKENIZERS_PARALLELISM": "false",
    }


def _junit(path: Path) -> dict:
    counts = Counter()
    skips: Counter[str] = Counter()
    failures: list[str] = []
    if not path.exists():
        return {"passed": 0, "failed": 0, "errors": 0, "skipped": 0, "skip_reasons": {}, "failures": []}
    for case in ET.parse(path).getroot().iter("testcase"):
        name = f"{case.get('classname', '')}::{case.get('name', '')}".split(".")[-1]
        kinds = {child.tag: child for child in case}
        if "error" in kinds:
            counts["errors"] += 1
            failures.append(f"ERROR {name}: {(kinds['error'].get('message') or '')[:200]}")
        elif "failure" in kinds:
            counts["failed"] += 1
            failures.append(f"FAILED {name}: {(kinds['failure'].get('message') or '')[:200]}")
        elif "skipped" in kinds:
            counts["skipped"] += 1
            reason = (kinds["skipped"].get("message") or "").strip()
            skips[reason[:160]] += 1
        else:
            counts["passed"] += 1
    return {
        "passed": counts["passed"],
        "failed": counts["failed"],
        "errors": counts["errors"],
        "skipped": counts["skipped"],
        "skip_reasons": dict(skips.most_common()),
        "failures": failures,
    }


def run_source(source: str, pristine: Path, work: Path, cpus: list[int], args: argparse.Namespace) -> dict:
    row: dict = {"source": source, "cores": ",".join(map(str, cpus))}
    base = work / source
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    fork = base / "fork"
    subprocess.run(["git", "clone", "-q", "--local", str(pristine), str(fork)], check=True)
    env = _env(fork, len(cpus))
    pin = ["taskset", "-c", row["cores"]] if shutil.which("taskset") else []
    start = time.perf_counter()
    proc = subprocess.run(
        [*pin, sys.executable, "-m", "transformers_scaffold", "new-model", NAME, "--like", source, "--yes"],
        cwd=fork,
        env=env,
        capture_output=True,
        text=True,
    )
    row["scaffold_rc"] = proc.returncode
    row["scaffold_s"] = round(time.perf_counter() - start, 1)
    (base / "scaffold.log").write_text(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        lines = (proc.stderr.strip() or proc.stdout.strip() or "no output").splitlines()
        row.update(verdict="refused" if proc.returncode == 2 else "scaffold failed", reason=lines[-1][:300])
        return row

    prefix = "".join(part.capitalize() for part in NAME.split("-"))
    proc = subprocess.run(
        [sys.executable, "-c", _AUTOS, MODULE, prefix], cwd=fork, env=env, capture_output=True, text=True
    )
    try:
        autos = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        autos = {"types": [], "resolved": [], "problems": [f"auto check crashed: {tail[:300]}"]}
    row["model_types"] = autos["types"]
    row["autos_resolved"] = len(autos["resolved"])
    row["auto_problems"] = autos["problems"]
    row["registered"] = [f"{a}[{t}]={c}" for a, t, c in autos["resolved"]]
    if "transformers" in autos and not autos["transformers"].startswith(str(fork)):
        row["auto_problems"].append(f"imported transformers from {autos['transformers']}, not the fork")

    junit = base / "junit.xml"
    stats = base / "measure.json"
    pytest = [sys.executable, "-m", "pytest", f"tests/models/{MODULE}", "-q", "-p", "no:cacheprovider"]
    pytest += ["--junitxml", str(junit), "-o", "junit_family=xunit1", "-rfE", *args.pytest_arg]
    # Its own temporary root: the shared /tmp/pytest-of-<user> of a busy machine costs minutes of cleanup.
    pytest += ["--basetemp", str(base / "tmp")]
    wrapper = [*pin, sys.executable, __file__, "--measure", str(stats), "--timeout", str(args.timeout), "--", *pytest]
    with open(base / "pytest.log", "w") as log:
        subprocess.run(wrapper, cwd=fork, env=env, stdout=log, stderr=subprocess.STDOUT)
    measured = json.loads(stats.read_text()) if stats.exists() else {"rc": None, "timed_out": None}
    row.update(measured)
    row.update(_junit(junit))
    peak = max(row.get("tree_peak_rss_mib") or 0, row.get("maxrss_mib") or 0)
    row["peak_rss_mib"] = peak
    problems = []
    if row["auto_problems"]:
        problems.append("Auto classes")
    if row.get("timed_out"):
        problems.append(f"timed out after {args.timeout} s")
    if row["failed"] or row["errors"]:
        problems.append(f"{row['failed']} failed, {row['errors']} errors")
    if not row["passed"] and not row.get("timed_out"):
        problems.append("no test passed")
    if peak >= args.max_rss_gib * 1024:
        problems.append(f"peak RSS {peak / 1024:.2f} GiB")
    if (row.get("wall_s") or 0) >= args.max_wall_s:
        problems.append(f"wall {row.get('wall_s')} s")
    row["verdict"] = "pass" if not problems else "FAIL"
    row["reason"] = "; ".join(problems)
    if not args.keep:
        shutil.rmtree(fork, ignore_errors=True)
    return row


# --- the report ---


def _versions() -> str:
    try:
        import torch

        torch_version = torch.__version__
    except ImportError:
        torch_version = "not installed"
    return (
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.node()}, "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, torch {torch_version}, transformers 5.24.0 sdist fork"
    )


def report(rows: list[dict], args: argparse.Namespace, header: str) -> str:
    ok = sum(r.get("verdict") == "pass" for r in rows)
    lines = [
        f"Generated `--like` suites ({header}; {args.cores_per_suite} cores per suite, {args.jobs} at once): "
        f"**{ok} of {len(rows)} pass** (0 failed, 0 errors, Auto classes resolve, "
        f"< {args.max_rss_gib} GiB, < {args.max_wall_s} s).",
        "",
        "| Source | Verdict | Passed | Failed | Errors | Skipped | Wall s | Peak RSS MiB | Autos | Top skip reasons / reason |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if r.get("verdict") in ("refused", "scaffold failed"):
            reason = str(r.get("reason", "")).replace("|", "\\|")
            lines.append(f"| {r['source']} | {r['verdict']} (exit {r['scaffold_rc']}) | | | | | | | | {reason} |")
            continue
        skips = "; ".join(f"{n}× {k}" for k, n in list(r.get("skip_reasons", {}).items())[:3])
        note = (r.get("reason") + ". " if r.get("reason") else "") + skips
        lines.append(
            f"| {r['source']} | {r['verdict']} | {r.get('passed')} | {r.get('failed')} | {r.get('errors')} | "
            f"{r.get('skipped')} | {r.get('wall_s')} | {r.get('peak_rss_mib')} | {r.get('autos_resolved')}"
            f"{' (' + str(len(r['auto_problems'])) + ' problems)' if r.get('auto_problems') else ''} | "
            f"{note.replace('|', '/')[:400]} |"
        )
    failing = [r for r in rows if r.get("failures") or r.get("auto_problems")]
    if failing:
        lines += ["", "Failures:"]
        for r in failing:
            for line in r.get("auto_problems", [])[:10] + r.get("failures", [])[:15]:
                lines.append(f"- {r['source']}: {line}".replace("\n", " ")[:300])
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", help=f"model types (default: {', '.join(DEFAULT_SOURCES)})")
    parser.add_argument("--jobs", type=int, default=1, help="suites run at once")
    parser.add_argument("--cores-per-suite", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=600, help="seconds per suite before it is killed")
    parser.add_argument("--max-rss-gib", type=float, default=2.0)
    parser.add_argument("--max-wall-s", type=float, default=180.0)
    parser.add_argument("--fork", default="", help="a pristine 5.24 sdist fork (default: built under --work)")
    parser.add_argument("--work", default="", help="working directory (default: a temporary one)")
    parser.add_argument("--out", default="like_suites.json")
    parser.add_argument("--md", default="", help="Markdown table (default: --out with .md)")
    parser.add_argument("--keep", action="store_true", help="keep each scaffolded fork")
    parser.add_argument("--pytest-arg", action="append", default=[], help="extra pytest argument (repeatable)")
    if sys.argv[1:2] == ["--measure"]:  # the wrapper: --measure OUT --timeout S -- CMD...
        split = sys.argv.index("--")
        return measure(Path(sys.argv[2]), sys.argv[split + 1 :], float(sys.argv[4]))
    args = parser.parse_args()

    work = Path(args.work or tempfile.mkdtemp(prefix="like-suites-"))
    work.mkdir(parents=True, exist_ok=True)
    pristine = Path(args.fork) if args.fork else work / "pristine"
    if not pristine.exists():
        from transformers_scaffold.fixture import build_fork

        build_fork(pristine)
    sources = args.sources or list(DEFAULT_SOURCES)
    cpus = sorted(os.sched_getaffinity(0))
    slots = max(1, min(args.jobs, len(cpus) // args.cores_per_suite or 1))
    free = [cpus[i * args.cores_per_suite : (i + 1) * args.cores_per_suite] or cpus for i in range(slots)]
    lock = threading.Lock()
    warm_s = warm_up(pristine)
    header = _versions() + f"; quanto kernel warm-up {warm_s} s, not counted in the suites"
    rows: list[dict] = []

    def one(source: str) -> dict:
        with lock:
            mine = free.pop()
        try:
            row = run_source(source, pristine, work, mine, args)
        except Exception as exc:  # one broken source must not lose the others' results
            row = {"source": source, "verdict": "benchmark crashed", "reason": f"{type(exc).__name__}: {exc}"}
        finally:
            with lock:
                free.append(mine)
        summary = {k: row.get(k) for k in ("source", "verdict", "passed", "failed", "errors", "skipped")}
        summary.update({k: row.get(k) for k in ("wall_s", "peak_rss_mib", "reason")})
        print(json.dumps(summary), flush=True)
        with lock:
            rows.append(row)
            Path(args.out).write_text(json.dumps({"environment": header, "rows": rows}, indent=1))
        return row

    with ThreadPoolExecutor(max_workers=slots) as pool:
        list(pool.map(one, sources))
    rows.sort(key=lambda r: sources.index(r["source"]))
    Path(args.out).write_text(json.dumps({"environment": header, "rows": rows}, indent=1))
    table = report(rows, args, header)
    Path(args.md or str(Path(args.out).with_suffix(".md"))).write_text(table + "\n")
    print(table)
    return 0 if all(r.get("verdict") in ("pass", "refused") for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
