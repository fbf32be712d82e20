"""The mutation catalogue (benchmarks/mutation_catalogue.py) and its runner: every mutation edits
the scaffolded modeling files it targets (or says why it cannot), a CI subset is caught by the
generated tests named for the feature, and an inert mutation is reported as surviving, so this
check fails when a test stops catching its mutation. The full scores: docs/benchmarks.md."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, clone_fork
from tests.efficiency.conftest import MODELS

# Mutations that have nothing to break in a model: the encoder has no KV cache, and no template or
# source used here declares `_keep_in_fp32_modules`.
NOT_APPLICABLE = {
    "decoder": {"keep-in-fp32-dropped"},
    "encoder": {"keep-in-fp32-dropped", "cache-not-updated"},
    "like-llama": {"keep-in-fp32-dropped"},
}
# A cheap subset for CI (each runs a few generated tests in a subprocess).
CI_SUBSET = {"decoder": ["checkpointing-is-a-flag", "cache-not-updated"], "encoder": ["autocast-off-in-block"]}


def _load(name: str):
    sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "benchmarks" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(REPO_ROOT / "benchmarks"))


runner = _load("mutations")
catalogue = sys.modules["mutation_catalogue"]


@pytest.mark.parametrize("case", list(MODELS))
def test_every_mutation_edits_the_model_or_says_why_not(case: str, efficiency_fork: Path) -> None:
    module = MODELS[case][0]
    source = runner.modeling_file(efficiency_fork, module).read_text()
    names = runner.names_of(efficiency_fork, module)
    skipped = set()
    for mutation in catalogue.CATALOGUE:
        try:
            mutated = mutation.apply(source, names)
        except catalogue.NotApplicable:
            skipped.add(mutation.name)
            continue
        assert mutated != source, mutation.name
        compile(mutated, mutation.name, "exec")
    assert skipped == NOT_APPLICABLE[case]


@pytest.fixture(scope="module")
def mutable_fork(efficiency_fork: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    fork = clone_fork(efficiency_fork, tmp_path_factory.mktemp("mutations") / "fork")
    yield fork
    shutil.rmtree(fork, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CI_SUBSET))
def test_ci_subset_is_caught_by_the_named_tests(case: str, mutable_fork: Path) -> None:
    module = MODELS[case][0]
    before = runner.modeling_file(mutable_fork, module).read_text()
    results = runner.score_model(mutable_fork, module, case, [catalogue.BY_NAME[n] for n in CI_SUBSET[case]])
    assert runner.modeling_file(mutable_fork, module).read_text() == before, "the runner must restore the file"
    assert {r.mutation: r.status for r in results} == dict.fromkeys(CI_SUBSET[case], "caught"), results
    for result in results:
        assert result.failed and all(
            name.startswith(catalogue.BY_NAME[result.mutation].tests) for name in result.failed
        )


@pytest.mark.slow
def test_a_mutation_no_test_catches_is_reported_as_surviving(mutable_fork: Path) -> None:
    """A mutation that changes nothing the tests can see (a comment) survives: the runner reports
    it (and `benchmarks/mutations.py` then exits 1)."""
    inert = catalogue.Mutation(
        "inert", "none", ("test_tied_embeddings",), "adds a comment", lambda text, names: text + "\n# inert\n"
    )
    (result,) = runner.score_model(mutable_fork, MODELS["decoder"][0], "decoder", [inert])
    assert result.status == "survived" and not result.failed
