"""`--like` over every model type of the 5.24 sdist fork: scaffold, import, build every Auto class, one forward.

    python benchmarks/like_sweep.py [--only llama,whisper] [--limit N] [--out sweep.json]

Phase 1 (one process, the fork's pristine `transformers` importable for the tiny-config shrink):
for each model type of `CONFIG_MAPPING_NAMES`, `scaffold new-model sw<letters> --like TYPE` into one
working fork (committed after each model, so the next run's dirty-file check passes). A refusal
(exit 2) or a stage failure is recorded with its one-line reason.

Phase 2 (child processes of 25 models each, so one crash costs 25 at most): import
`transformers.models.sw<letters>` from the working fork, build the config from the spec's tiny
config, build the model through every Auto class it was registered in (on the meta device first:
a model over 100 M parameters is a failure, "not tiny", without allocating it), and run one forward
of the base model on the spec's example inputs (`ModelSpec.example_inputs`: the arguments its
forward takes, shaped from its config; `like/inputs.py`), the first layout alternative it accepts.

Prints a Markdown summary (pass rate, failures grouped by reason) for docs/benchmarks.md.
Not the generated test suites: those are heavy, see docs/like.md for the per-source runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import string
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

CHUNK = 25
MAX_PARAMS = 100_000_000


def _name(index: int) -> str:
    letters = string.ascii_lowercase
    out = ""
    index += 26 * 26  # always three letters or more: "sw" + "baa"...
    while index:
        index, rest = divmod(index, 26)
        out = letters[rest] + out
    return f"sw{out}"


def _git(fork: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=fork, check=True, capture_output=True)


def scaffold_all(fork: Path, pristine_src: Path, types: list[str]) -> list[dict]:
    sys.path.insert(0, str(pristine_src))  # the shrink imports the source config classes from here
    from transformers_scaffold.errors import ScaffoldError, UserError
    from transformers_scaffold.pipeline.new_model import NewModelRequest, new_model

    results = []
    for index, model_type in enumerate(types):
        name = _name(index)
        start = time.perf_counter()
        row: dict = {"type": model_type, "name": name}
        try:
            result = new_model(
                NewModelRequest(name=name, repo=fork, like=model_type, date="2026-12-02", fork_in_process=True)
            )
            _git(fork, "add", "-A")
            _git(fork, "commit", "-qm", f"{name} like {model_type}", "--no-verify")
            row.update(
                stage="scaffolded",
                module=result.names.module,
                model_type=result.names.model_type,
                config_class=result.spec.config_class,
                tiny=result.spec.tiny_config,
                registrations=result.spec.registrations(),
                inputs=list(result.spec.example_inputs),
            )
        except UserError as exc:
            row.update(stage="refused", reason=str(exc))
        except ScaffoldError as exc:
            row.update(stage="scaffold failed", reason=str(exc))
        except Exception as exc:
            row.update(stage="scaffold crashed", reason=f"{type(exc).__name__}: {exc}"[:300])
        finally:
            _git(fork, "reset", "-q", "--hard")
            _git(fork, "clean", "-qfd")
        row["scaffold_s"] = round(time.perf_counter() - start, 2)
        results.append(row)
        print(json.dumps({k: row.get(k) for k in ("type", "stage", "reason", "scaffold_s")}), flush=True)
    return results


_CHECK = r"""
import copy, importlib, json, sys, traceback, signal
import torch
torch.set_num_threads(1)
rows = json.load(open(sys.argv[1]))
import transformers
from transformers import AutoConfig
from transformers.models.auto import modeling_auto
autos = {}
for name in dir(modeling_auto):
    obj = getattr(modeling_auto, name)
    mapping = getattr(obj, "_model_mapping", None)
    if isinstance(obj, type) and mapping is not None and hasattr(mapping, "_model_mapping"):
        autos.setdefault(id(mapping._model_mapping), obj)

from transformers_scaffold.like.example_inputs import candidates

# Sources whose base model's forward the recipe reader could not find: token ids.
TEXT = [{"name": "input_ids", "kind": "ids", "shapes": [["batch", "seq"]], "configs": ["text_config"], "high": "vocab_size=99"}]

def forward(model, config, recipe):
    # The spec's example inputs: the first layout alternative the forward accepts (its first error if none).
    # Each alternative runs on a fresh copy: a failed forward can leave state behind (Swin-likes shrink
    # their window to the first input's resolution).
    errors = []
    for inputs in candidates(recipe or TEXT, config):
        try:
            with torch.no_grad():
                return copy.deepcopy(model)(**inputs)
        except Exception as exc:
            errors.append(exc)
    raise errors[0]

class Timeout(BaseException):  # not caught by the layout alternatives
    pass

def on_alarm(*_):
    raise Timeout("over 120 s")

signal.signal(signal.SIGALRM, on_alarm)
for row in rows:
    step = "import"
    signal.alarm(120)
    try:
        package = importlib.import_module(f"transformers.models.{row['module']}")
        step = "config"
        config = getattr(package, row["config_class"])(**row["tiny"])
        if type(AutoConfig.for_model(row["model_type"])).__name__ != row["config_class"]:
            raise RuntimeError("AutoConfig does not resolve the new model type")
        built = {}
        for mapping_name, cls_name in row["registrations"]:
            auto = autos.get(id(getattr(modeling_auto, mapping_name, None)))
            if auto is None:
                continue
            step = f"build {auto.__name__}"
            with torch.device("meta"):
                meta = auto.from_config(copy.deepcopy(config))  # some heads edit the config they get
            if type(meta).__name__ != cls_name:
                raise RuntimeError(f"{auto.__name__} builds {type(meta).__name__}, not {cls_name}")
            params = sum(p.numel() for p in meta.parameters())
            if params > %(max_params)d:
                raise RuntimeError(f"not tiny: {auto.__name__} has {params / 1e6:.0f} M parameters")
            built[mapping_name] = auto.from_config(copy.deepcopy(config)).eval()
        step = "forward"
        model = built.get("MODEL_MAPPING_NAMES")
        if model is None:
            raise RuntimeError("no AutoModel registration")
        forward(model, config, row.get("inputs"))
        row.update(stage="passed")
    except BaseException as exc:
        last = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()[-1]
        trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).splitlines()
        row.update(stage=f"{step} failed", reason=last[:300], trace="\n".join(trace[-24:]))
    finally:
        signal.alarm(0)
    print(json.dumps({k: row.get(k) for k in ("type", "stage", "reason")}), flush=True)
json.dump(rows, open(sys.argv[1], "w"))
""".replace("%(max_params)d", str(MAX_PARAMS))


def check_all(fork: Path, rows: list[dict]) -> None:
    todo = [r for r in rows if r["stage"] == "scaffolded"]
    scaffold_src = str(Path(__file__).resolve().parents[1] / "src")  # the child imports like/example_inputs.py
    path = os.pathsep.join(p for p in (str(fork / "src"), scaffold_src, os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1", "HF_HUB_OFFLINE": "1"}
    for start in range(0, len(todo), CHUNK):
        chunk = todo[start : start + CHUNK]
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(chunk, handle)
        proc = subprocess.run([sys.executable, "-c", _CHECK, handle.name], env=env, capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        try:
            done = {r["type"]: r for r in json.loads(Path(handle.name).read_text())}
        except (OSError, ValueError):
            done = {}
        for row in chunk:
            new = done.get(row["type"])
            if new is not None and new.get("stage") != "scaffolded":
                row.update(stage=new["stage"], reason=new.get("reason"), trace=new.get("trace"))
            else:
                tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
                row.update(stage="check crashed", reason=f"exit {proc.returncode}: {tail[:200]}")
        os.unlink(handle.name)


def _reason_key(reason: str) -> str:
    return reason.split(";")[0][:110]


def report(rows: list[dict], wall: float) -> str:
    passed = sum(r["stage"] == "passed" for r in rows)
    import torch

    lines = [
        f"`--like` sweep ({time.strftime('%Y-%m-%d')}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, torch {torch.__version__}, transformers 5.24.0 sdist fork): "
        f"**{passed} of {len(rows)} model types pass ({100 * passed / max(1, len(rows)):.1f} %)** in {wall / 60:.0f} min.",
        "",
        "| Outcome | Types | Reason (first words) | Examples |",
        "|---|---|---|---|",
    ]
    groups: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        if r["stage"] == "passed":
            continue
        groups.setdefault((r["stage"], _reason_key(str(r.get("reason", "")))), []).append(r["type"])
    for (stage, reason), types in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        shown = reason.replace("|", "\\|").replace("\n", " ")
        lines.append(
            f"| {stage} | {len(types)} | {shown} | {', '.join(types[:6])}{' ...' if len(types) > 6 else ''} |"
        )
    counts = Counter(r["stage"] for r in rows)
    lines += ["", "Outcomes: " + ", ".join(f"{k} {v}" for k, v in counts.most_common())]
    return "\n".join(lines)


def run_shard(work: Path, pristine: Path, types: list[str], out: Path) -> None:
    fork = work / "fork"
    if not fork.exists():
        subprocess.run(["git", "clone", "-q", "--local", str(pristine), str(fork)], check=True)
    rows = scaffold_all(fork, pristine / "src", types)
    check_all(fork, rows)
    out.write_text(json.dumps(rows, indent=1, default=str))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated model types (default: all)")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1, help="shards run in parallel, each on its own fork clone")
    parser.add_argument("--out", default="like_sweep.json")
    parser.add_argument("--work", default="", help="working directory (default: a temporary one)")
    parser.add_argument("--shard", type=int, default=-1, help=argparse.SUPPRESS)
    args = parser.parse_args()

    from transformers_scaffold.fixture import build_fork
    from transformers_scaffold.fork import Fork

    work = Path(args.work or tempfile.mkdtemp(prefix="like-sweep-"))
    pristine = work / "pristine"
    if not pristine.exists():
        build_fork(pristine)
    types = sorted(Fork(pristine).facts.config_mapping)
    if args.only:
        types = [t for t in types if t in args.only.split(",")]
    if args.limit:
        types = types[: args.limit]
    if args.shard >= 0:
        run_shard(work / f"shard-{args.shard}", pristine, types[args.shard :: args.jobs], Path(args.out))
        return 0
    start = time.perf_counter()
    procs = []
    for shard in range(args.jobs):
        cmd = [sys.executable, __file__, "--work", str(work), "--jobs", str(args.jobs), "--shard", str(shard)]
        cmd += ["--out", str(work / f"shard-{shard}.json"), "--only", args.only, "--limit", str(args.limit)]
        log = open(work / f"shard-{shard}.log", "w")  # noqa: SIM115 (closed after the shard exits)
        procs.append((subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT), log))
    for proc, log in procs:
        proc.wait()
        log.close()
    rows = []
    for shard in range(args.jobs):
        path = work / f"shard-{shard}.json"
        if path.exists():
            rows += json.loads(path.read_text())
        else:
            done = {
                json.loads(line)["type"]
                for line in (work / f"shard-{shard}.log").read_text().splitlines()
                if line.startswith("{")
            }
            rows += [
                {"type": t, "stage": "shard crashed", "reason": "see its log"}
                for t in types[shard :: args.jobs]
                if t not in done
            ]
    rows.sort(key=lambda r: r["type"])
    Path(args.out).write_text(json.dumps(rows, indent=1, default=str))
    print(report(rows, time.perf_counter() - start))
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except Exception:
        traceback.print_exc()
        raise SystemExit(1) from None
