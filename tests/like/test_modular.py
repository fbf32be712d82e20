"""The modular path: `modular_<name>.py` planned on a fork with the converter, and the converter runner."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from transformers_scaffold.errors import StageError
from transformers_scaffold.facts import ForkFacts
from transformers_scaffold.like import plan_like, run_modular_converter
from transformers_scaffold.like.source import load_source
from transformers_scaffold.names import resolve_names

CONVERTER = Path("utils/modular_model_converter.py")
# A stand-in converter with upstream's CLI (`--files PATH --num_workers N`, run from the repo root):
# it records where `transformers` imports from and writes the two files the real one writes.
FAKE_CONVERTER = textwrap.dedent(
    """
    import argparse, pathlib, sys
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", nargs="+")
    parser.add_argument("--num_workers", type=int)
    args = parser.parse_args()
    import transformers
    for modular in args.files:
        path = pathlib.Path(modular)
        name = path.stem.removeprefix("modular_")
        (path.parent / f"modeling_{name}.py").write_text(f"# from {transformers.__file__}\\n")
        (path.parent / f"configuration_{name}.py").write_text("")
    """
)


def _with_converter(fork: Path, script: str) -> Path:
    (fork / CONVERTER).parent.mkdir(exist_ok=True)
    (fork / CONVERTER).write_text(script)
    return fork


@pytest.mark.parametrize("source", ["llama", "xlm-roberta"])
def test_modular_plan_subclasses_every_public_class(fork: Path, source: str) -> None:
    _with_converter(fork, FAKE_CONVERTER)
    plan = plan_like(ForkFacts(fork), source, resolve_names("acme"), None)
    src = load_source(ForkFacts(fork), source)
    assert plan.modular
    modular_path = "src/transformers/models/acme/modular_acme.py"
    assert set(plan.files) == {modular_path, "src/transformers/models/acme/__init__.py"}
    tree = ast.parse(plan.files[modular_path])
    bases = {n.name: ast.unparse(n.bases[0]) for n in tree.body if isinstance(n, ast.ClassDef)}
    assert bases["AcmeConfig"] == src.config_class
    for cls in plan.spec.public_classes:
        assert bases[cls] == cls.replace("Acme", src.camel, 1), cls
    config = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "AcmeConfig")
    assert "model_type = 'acme'" in ast.unparse(config)
    imported = {n.module for n in tree.body if isinstance(n, ast.ImportFrom)}
    assert imported == {f"{src.module}.configuration_{src.module}", f"{src.module}.modeling_{src.module}"}
    exported = ast.literal_eval(next(n.value for n in tree.body if isinstance(n, ast.Assign)))
    assert sorted(exported) == sorted(bases)


def test_modular_file_is_clean_under_the_forks_ruff_settings(fork: Path, tmp_path: Path) -> None:
    _with_converter(fork, FAKE_CONVERTER)
    plan = plan_like(ForkFacts(fork), "llama", resolve_names("acme"), None)
    target = fork / "src/transformers/models/acme/modular_acme.py"
    target.parent.mkdir(parents=True)
    target.write_text(plan.files["src/transformers/models/acme/modular_acme.py"])
    from ruff.__main__ import find_ruff_bin

    ruff = str(find_ruff_bin())
    for args in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        proc = subprocess.run([ruff, *args, str(target)], cwd=fork, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_converter_runs_from_the_root_with_the_forks_src_first(fork: Path) -> None:
    _with_converter(fork, FAKE_CONVERTER)
    folder = fork / "src/transformers/models/acme"
    folder.mkdir()
    (folder / "modular_acme.py").write_text("")
    written = run_modular_converter(fork, "acme")
    assert sorted(p.name for p in written) == ["configuration_acme.py", "modeling_acme.py"]
    origin = (folder / "modeling_acme.py").read_text().removeprefix("# from ").strip()
    assert Path(origin).resolve().is_relative_to((fork / "src").resolve())


def test_converter_failure_is_a_stage_error_with_its_output(fork: Path) -> None:
    _with_converter(fork, "import sys\nsys.stderr.write('boom: cannot find LlamaThing')\nsys.exit(3)\n")
    folder = fork / "src/transformers/models/acme"
    folder.mkdir()
    (folder / "modular_acme.py").write_text("")
    with pytest.raises(StageError) as exc:
        run_modular_converter(fork, "acme")
    assert exc.value.stage == "convert" and "boom: cannot find LlamaThing" in str(exc.value) and "3" in str(exc.value)


def test_converter_that_writes_nothing_is_a_stage_error(fork: Path) -> None:
    _with_converter(fork, "pass\n")
    (fork / "src/transformers/models/acme").mkdir()
    (fork / "src/transformers/models/acme/modular_acme.py").write_text("")
    with pytest.raises(StageError, match="modeling_acme.py"):
        run_modular_converter(fork, "acme")


def test_converter_missing_is_a_stage_error(fork: Path) -> None:
    with pytest.raises(StageError, match="modular_model_converter"):
        run_modular_converter(fork, "acme")
    assert sys.executable  # the runner never falls back to a `python` from PATH
