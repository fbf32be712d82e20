"""SCF501: upstream's transformers-mlinter inside `scaffold check` (needs the mlinter extra)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.checker.fixtures import FIXTURES, materialise
from tests.checker.test_cli import check

pytest.importorskip("mlinter", reason="transformers-mlinter (the mlinter extra) is not installed")


def _fork(tmp_path: Path) -> Path:
    root, _ = materialise("SCF501", tmp_path)
    return root


def _json(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, dict]:
    code, out, err = check(capsys, "--repo", str(root), "--format", "json", "--no-cache", *args)
    assert code in (0, 1), err
    return code, json.loads(out)


def test_trf_codes_select_and_ignore_like_ours(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _fork(tmp_path)
    _, data = _json(capsys, root, "--select", "TRF027")
    assert [(f["code"], f["line"]) for f in data["findings"]] == [("TRF027", 6)]
    assert data["findings"][0]["name"] == "mlinter-trf027" and data["counts"]["error"] == 1
    code, data = _json(capsys, root, "--select", "SCF501", "--ignore", "TRF027")
    assert code == 0 and data["findings"] == []
    code, data = _json(capsys, root, "--select", "SCF313")
    assert code == 0 and data["findings"] == []


def test_a_rules_file_the_linter_cannot_read_is_one_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _fork(tmp_path)
    rules = root / "utils/rules.toml"
    rules.write_text(rules.read_text().replace("version = 1", "version = 2", 1))
    code, data = _json(capsys, root, "--select", "SCF501")
    assert code == 0 and data["findings"] == []
    assert len(data["notes"]) == 1 and "utils/rules.toml (version 2)" in data["notes"][0], data["notes"]


def test_the_findings_cache_follows_the_rules_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _fork(tmp_path)
    args = ("--repo", str(root), "--format", "json", "--select", "SCF501")
    assert len(json.loads(check(capsys, *args)[1])["findings"]) == 1
    rules = root / "utils/rules.toml"
    rules.write_text(rules.read_text().replace('allowlist_models = ["beta"]', 'allowlist_models = ["acme"]'))
    found = json.loads(check(capsys, *args)[1])["findings"]  # warm cache, new rules file
    assert [f["path"] for f in found] == ["src/transformers/models/beta/modeling_beta.py"]


def test_fixture_rules_file_is_the_linters_own_format() -> None:
    import mlinter.mlinter as m

    m._load_rule_specs(FIXTURES / "SCF501" / "utils" / "rules.toml")
    assert shutil.which("true")


def test_shared_walks_change_no_finding_on_real_modeling_files(sdist_fork: Path) -> None:
    """The linter's findings on upstream's own files are the same with one walk per node."""
    import ast

    import mlinter
    import mlinter.mlinter as module

    from transformers_scaffold.checker.shared_walks import shared_walks

    module._activate_rule_registry(module.DEFAULT_RULE_SPECS_PATH)  # its defaults flag some of 5.24's own files
    enabled = frozenset(module.DEFAULT_ENABLED_TRF_RULES)
    models = sdist_fork / "src" / "transformers" / "models"
    files = [
        models / m / f"modeling_{m}.py"
        for m in ("llama", "bert", "mistral", "mixtral", "whisper", "t5", "gpt2", "mamba", "vit")
    ]
    plain, shared = [], []
    for path in files:
        text = path.read_text()
        plain.append(
            sorted(
                (v.rule_id, v.line_number, str(v.message))
                for v in mlinter.analyze_file(path, text, enabled_rules=enabled)
            )
        )
        with shared_walks():
            assert module.ast is not ast, "mlinter's modules see the memoising proxy"
            shared.append(
                sorted(
                    (v.rule_id, v.line_number, str(v.message))
                    for v in mlinter.analyze_file(path, text, enabled_rules=enabled)
                )
            )
        assert module.ast is ast, "restored after the block"
    assert sum(map(len, plain)) > 0, "the comparison needs findings to compare"
    assert shared == plain


def test_the_rules_file_note_survives_a_warm_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The linter's verdict on rules.toml is cached as a fact of its content: a warm run still
    says it, and a fixed rules file is believed at once."""
    root = _fork(tmp_path)
    rules = root / "utils/rules.toml"
    good = rules.read_text()
    rules.write_text(good.replace("version = 1", "version = 2", 1))
    args = ("--repo", str(root), "--format", "json", "--select", "SCF501")
    for _ in range(2):  # cold, then warm
        data = json.loads(check(capsys, *args)[1])
        assert len(data["notes"]) == 1 and "(version 2)" in data["notes"][0], data["notes"]
    rules.write_text(good)
    data = json.loads(check(capsys, *args)[1])
    assert data["notes"] == [] and [f["code"] for f in data["findings"]] == ["TRF027"]


def test_memoised_helpers_answer_what_mlinters_helpers_answer(
    sdist_fork: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside `shared_walks()` the linter's file-system lookups are asked once per question: the
    same answers, a set handed out that a caller may change, the helpers restored after."""
    import mlinter._helpers as helpers
    import mlinter.trf009 as trf009

    from transformers_scaffold.checker.shared_walks import MEMOISED, shared_walks

    root = tmp_path / "fork"
    models = root / "src" / "transformers" / "models"
    for model in ("llama", "bert", "blenderbot_small", "t5"):
        shutil.copytree(sdist_fork / "src" / "transformers" / "models" / model, models / model)
    docs = root / "docs" / "source" / "en" / "model_doc"
    docs.mkdir(parents=True)
    # the linter's own date line; blenderbot-small is the hyphenated doc page of `blenderbot_small`
    for page, day in (("llama", "2023-02-27"), ("blenderbot-small", "2020-07-20"), ("t5", "not a date")):
        (docs / f"{page}.md").write_text(
            f"# {page}\n\n*This model was contributed to Hugging Face Transformers on {day}.*\n"
        )
    monkeypatch.chdir(root)  # mlinter's roots are relative to the working directory
    paths = [p.relative_to(root) for p in sorted(models.glob("*/*.py"))] + [
        Path("tests/models/bert/test_x.py"),
        Path("x.py"),
    ]
    own = {name: getattr(helpers, name) for name in MEMOISED}
    expected = [(own["_model_dir_name"](p), own["model_contribution_date"](p)) for p in paths]
    assert {d for _, d in expected} - {None}, "some contribution date was read"
    with shared_walks():
        assert all(getattr(helpers, name) is not own[name] for name in MEMOISED)
        assert trf009._known_model_dirs is not own["_known_model_dirs"], "the rules' own imports too"
        for _ in range(2):  # asked twice: answered from the memo the second time
            assert [(helpers._model_dir_name(p), helpers.model_contribution_date(p)) for p in paths] == expected
        known = trf009._known_model_dirs()
        assert known == own["_known_model_dirs"]() == {"llama", "bert", "blenderbot_small", "t5"}
        known.clear()
        assert trf009._known_model_dirs() == {"llama", "bert", "blenderbot_small", "t5"}
    assert (
        all(getattr(helpers, name) is own[name] for name in MEMOISED)
        and trf009._known_model_dirs is own["_known_model_dirs"]
    )
