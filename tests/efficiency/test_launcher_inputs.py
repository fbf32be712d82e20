"""The launcher keeps its promises on inputs and outputs: the Accelerate config file's mixed
precision wins unless the flag is given; a user's tokenizer is used, saved into checkpoints and
final/, and the attention-map script then labels its PNG with the words; --save-total-limit,
--max-shard-size and --eval-split do what they say; bad input is one line and exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.efficiency import launch
from tests.efficiency.conftest import MODELS

DECODER, ENCODER = MODELS["decoder"][0], MODELS["encoder"][0]
QUICK = ["--max-steps", "1", "--seq-length", "16", "--per-device-batch-size", "2", "--save-steps", "-1"]


@pytest.mark.slow
@pytest.mark.parametrize(("flags", "expected"), [([], "bf16"), (["--mixed-precision", "no"], "no")])
def test_accelerate_config_file_wins_unless_the_flag_is_given(flags, expected, efficiency_fork, tmp_path) -> None:
    """cpu.yaml says bf16: `accelerate launch --config_file cpu.yaml` trains in bf16; an explicit
    `--mixed-precision no` overrides the file."""
    config = efficiency_fork / "examples" / DECODER / "accelerate_configs" / "cpu.yaml"
    cmd = [
        sys.executable, "-m", "accelerate.commands.launch", "--config_file", str(config),
        str(launch.script(efficiency_fork, DECODER)), *QUICK, "--output-dir", str(tmp_path), *flags,
    ]  # fmt: skip
    proc = launch.run(cmd, efficiency_fork)
    assert proc.returncode == 0, launch.output(proc)
    assert f"mixed precision {expected}," in proc.stdout, proc.stdout[-2000:]


@pytest.mark.slow
@pytest.mark.parametrize("case", ["decoder", "encoder"])
def test_tokenizer_saved_with_the_model_and_attention_map_labels_words(case, efficiency_fork, tmp_path) -> None:
    module = MODELS[case][0]
    tokenizer = launch.word_tokenizer(efficiency_fork, tmp_path / "tokenizer")
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps({"text": launch.SENTENCE}) + "\n" for _ in range(40)))
    out = tmp_path / "out"
    proc = launch.python(
        efficiency_fork, module, "--dataset", str(data), "--tokenizer", str(tokenizer), "--seq-length", "8",
        "--per-device-batch-size", "2", "--max-steps", "2", "--save-steps", "1", "--save-total-limit", "1",
        "--eval-split", "0.25", "--max-shard-size", "20KB", "--output-dir", str(out),
    )  # fmt: skip
    assert proc.returncode == 0, launch.output(proc)
    assert sorted(p.name for p in out.glob("checkpoint-*")) == ["checkpoint-2"], (
        "--save-total-limit 1 keeps the newest"
    )
    for where in (out / "checkpoint-2", out / "final"):
        assert (where / "tokenizer.json").is_file() and (where / "tokenizer_config.json").is_file(), where
    index = json.loads((out / "final" / "model.safetensors.index.json").read_text())
    assert len(set(index["weight_map"].values())) > 1, "--max-shard-size 20KB shards the tiny model"
    rows = launch.metrics(out)
    assert [row["step"] for row in rows if "loss" in row] == [1, 2]
    assert [row for row in rows if "eval_loss" in row][-1]["eval_loss"] > 0
    png = tmp_path / "attention.png"
    drawn = launch.python(
        efficiency_fork, module, "--model", str(out / "final"), "--sentence", launch.SENTENCE, "--out", str(png),
        name="attention_map",
    )  # fmt: skip
    assert drawn.returncode == 0, launch.output(drawn)
    labels = next(line for line in drawn.stdout.splitlines() if line.startswith("labels:")).split()[1:]
    assert set(launch.SENTENCE.split()) <= set(labels) and "[UNK]" not in labels, labels
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_attention_map_without_a_saved_tokenizer_labels_the_words(efficiency_fork, tmp_path) -> None:
    """A model trained on byte ids has no tokenizer in final/: the words are hashed, and labelled."""
    out = tmp_path / "out"
    proc = launch.python(efficiency_fork, DECODER, *QUICK[:-2], "--output-dir", str(out))
    assert proc.returncode == 0, launch.output(proc)
    assert not (out / "final" / "tokenizer_config.json").exists()
    png = tmp_path / "attention.png"
    drawn = launch.python(
        efficiency_fork, DECODER, "--model", str(out / "final"), "--out", str(png), name="attention_map"
    )
    assert drawn.returncode == 0, launch.output(drawn)
    assert "labels: " + launch.SENTENCE in drawn.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


BAD_INPUTS = {
    "missing-dataset": (["--dataset", "{tmp}/nope.txt"], "nope.txt: no such file"),
    "broken-config": (["--config", "{tmp}/broken.json"], "broken.json: not a valid config.json"),
    "missing-config": (["--config", "{tmp}/absent.json"], "absent.json: no such file"),
    "jsonl-without-text": (["--dataset", "{tmp}/notext.jsonl", "--tokenizer", "bytes"], 'notext.jsonl:1: no "text"'),
    "text-without-tokenizer": (["--dataset", "{tmp}/plain.txt"], "pass --tokenizer PATH"),
    "tokenizer-beyond-vocab": (
        ["--dataset", "{tmp}/plain.txt", "--tokenizer", "{tmp}/tokenizer", "--config", "{tmp}/small.json"],
        "but the config's vocab_size is 8",
    ),
    "bad-profile-window": (["--profile", "1,x"], "--profile 1,x: expected"),
}


@pytest.mark.slow
def test_bad_input_is_one_line_exit_2_and_writes_nothing(efficiency_fork, tmp_path) -> None:
    """Every case runs the launcher's main() in one Python process (imports once), then one case
    runs as a real command line for the exit status."""
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "notext.jsonl").write_text('{"body": "x"}\n')
    (tmp_path / "plain.txt").write_text((launch.SENTENCE + "\n") * 8)
    launch.word_tokenizer(efficiency_fork, tmp_path / "tokenizer")
    small = launch.dropout_config(efficiency_fork, DECODER, tmp_path / "small.json", dropout=0.0)
    small.write_text(json.dumps({**json.loads(small.read_text()), "vocab_size": 8}))
    cases = {
        name: [a.format(tmp=tmp_path) for a in args] + ["--output-dir", str(tmp_path / name)]
        for name, (args, _) in BAD_INPUTS.items()
    }
    driver = f"""
import contextlib, importlib.util, io, json
spec = importlib.util.spec_from_file_location("train", {str(launch.script(efficiency_fork, DECODER))!r})
train = importlib.util.module_from_spec(spec)
spec.loader.exec_module(train)
results = {{}}
for name, argv in json.loads({json.dumps(json.dumps(cases))}).items():
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            train.main(argv)
            code = 0
        except SystemExit as exit:
            code = exit.code
    results[name] = [code, err.getvalue()]
print("RESULTS", json.dumps(results))
"""
    proc = subprocess.run(
        [sys.executable, "-c", driver], env=launch.env(efficiency_fork), capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, launch.output(proc)
    results = json.loads(proc.stdout.split("RESULTS ", 1)[1])
    for name, (_, expected) in BAD_INPUTS.items():
        code, err = results[name]
        lines = [line for line in err.splitlines() if line.strip()]
        assert code == 2, (name, code, err)
        assert len(lines) == 1 and "error: " in lines[0] and expected in lines[0], (name, err)
        assert not (tmp_path / name).exists(), f"{name}: wrote {tmp_path / name}"
    real = launch.python(efficiency_fork, DECODER, "--dataset", str(tmp_path / "nope.txt"))
    assert real.returncode == 2
    assert (
        real.stderr.strip().splitlines()[-1]
        == f"train_{DECODER}.py: error: " + results["missing-dataset"][1].split("error: ", 1)[1].strip()
    )
