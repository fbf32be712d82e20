"""The generator, `--like` and the checker see one fork: the same facts through the one layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codemods.helpers import inserted_lines
from transformers_scaffold.checker.cache import FindingsCache
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.settings import Settings
from transformers_scaffold.facts import ForkFacts, layout
from transformers_scaffold.fork import Fork
from transformers_scaffold.like.source import load_source
from transformers_scaffold.names import resolve_names
from transformers_scaffold.pipeline.new_model import NewModelRequest, plan_new_model


def _checker_facts(root: Path, tmp_path: Path) -> ForkFacts:
    cache = FindingsCache(tmp_path, "fingerprint")  # the checker's store: facts cached by content hash
    return CheckContext(root=root, files=(), settings=Settings(), cache=cache).facts


def _every_mapping(facts: ForkFacts) -> dict[str, list[tuple[str, str, tuple[str, ...], int, str]]]:
    names = {name for rel in layout.AUTO_FILES for name in facts.mapping_names(rel)}
    return {name: [(e.key, e.source, e.classes, e.line, e.path) for e in facts.mapping(name)] for name in names}


def test_generator_and_checker_read_every_mapping_identically(sdist_fork: Path, tmp_path: Path) -> None:
    generator = _every_mapping(Fork(sdist_fork).facts)
    checker = _every_mapping(_checker_facts(sdist_fork, tmp_path))
    assert generator == checker
    # Not vacuous: the real 5.24 files, conditional values included.
    assert len(generator) >= 60
    tokenizers = generator["TOKENIZER_MAPPING_NAMES"]
    assert len(tokenizers) > 250
    conditional = [e for e in tokenizers if " if " in e[1]]
    assert len(conditional) > 200
    core = [e for e in conditional if e[1].endswith("if is_tokenizers_available() else None")]
    assert len(core) > 200 and all(e[2] == (e[1].split('"')[1],) for e in core)
    optional = [e for e in conditional if "is_g2p_en_available()" in e[1]]
    assert optional and all(e[2] == () for e in optional)  # an optional integration's guard counts as false
    # configuration_auto.py extends what auto_mappings.py defines: both files contribute.
    configs = {e[4] for e in generator["CONFIG_MAPPING_NAMES"]}
    assert configs == {layout.AUTO_MAPPINGS, layout.CONFIGURATION_AUTO}


def test_the_checkers_store_gives_the_same_facts_on_a_warm_run(sdist_fork: Path, tmp_path: Path) -> None:
    cold = _checker_facts(sdist_fork, tmp_path)
    first = (cold.model_mappings, cold.config_mapping, cold.tokenizer_mapping)
    cold.store.save()  # type: ignore[union-attr]
    from transformers_scaffold.facts import fork as fork_module

    fork_module._PARSED.clear()  # no in-process copy: the next run reads the store
    warm = _checker_facts(sdist_fork, tmp_path)
    assert (warm.model_mappings, warm.config_mapping, warm.tokenizer_mapping) == first


def test_one_rule_for_conditional_values(sdist_fork: Path) -> None:
    facts = ForkFacts(sdist_fork)
    mistral = facts.tokenizer_mapping["mistral"]
    assert "is_mistral_common_available()" in mistral.source
    assert mistral.classes == ("TokenizersBackend",)  # the optional integration's guard counts as false
    bert = facts.tokenizer_mapping["bert"]
    assert bert.source == '"BertTokenizer" if is_tokenizers_available() else None'
    assert bert.classes == ("BertTokenizer",)
    assert facts.model_mappings["MODEL_MAPPING_NAMES"]["funnel"] == ["FunnelModel", "FunnelBaseModel"]


def _tokenizer_line(fork: Path, **request: str) -> str:
    _, _, spec, plan, _ = plan_new_model(NewModelRequest(name="bar", repo=fork, dry_run=True, **request))
    change = next(c for c in plan if c.path == layout.TOKENIZATION_AUTO)
    return "\n".join(inserted_lines(change.old or "", change.new))


def test_like_and_tokenizer_option_register_the_same_value(sdist_fork: Path) -> None:
    like = _tokenizer_line(sdist_fork, like="mistral")
    option = _tokenizer_line(sdist_fork, template="decoder", tokenizer="mistral")
    assert like == option
    assert "is_mistral_common_available()" in like  # mistral's own value, verbatim


def test_pipeline_tasks_follow_the_forks_pipeline_tests(sdist_fork: Path) -> None:
    facts = ForkFacts(sdist_fork)
    assert facts.pipeline_test_tasks is not None and "question-answering" not in facts.pipeline_test_tasks
    src = load_source(facts, "bert")
    from transformers_scaffold.like import plan_like

    spec = plan_like(facts, "bert", resolve_names("acme"), None).spec
    tasks = {t for head in spec.heads for t in head.pipeline_tasks}
    assert "question-answering" not in tasks and {"fill-mask", "text-classification"} <= tasks
    assert src.registrations  # read through the layer


def test_auto_is_not_a_model(sdist_fork: Path) -> None:
    facts = ForkFacts(sdist_fork)
    assert "auto" not in facts.model_modules and "llama" in facts.model_modules
    assert layout.module_of_path("src/transformers/models/auto/modeling_auto.py") is None
    assert layout.module_of_path("src/transformers/models/llama/modeling_llama.py") == "llama"


@pytest.mark.parametrize("missing", [layout.AUTO_MAPPINGS, layout.TOKENIZATION_AUTO])
def test_missing_files_give_empty_facts_not_errors(tmp_path: Path, missing: str) -> None:
    facts = ForkFacts(tmp_path)
    assert facts.mapping("CONFIG_MAPPING_NAMES") == [] and facts.tokenizer_mapping == {}
    assert facts.version is None and facts.toctree is None


def test_facts_and_findings_of_one_file_share_the_cache_entry(sdist_fork: Path, tmp_path: Path) -> None:
    """The checker's cache keys a file by its content hash; facts stored under another key would
    evict the file's cached findings (and the reverse) on every run."""
    root = tmp_path / "fork"
    auto = root / layout.MODELING_AUTO
    auto.parent.mkdir(parents=True)
    # CRLF line ends: the text the rules read differs from the bytes the cache hashes.
    auto.write_bytes((sdist_fork / layout.MODELING_AUTO).read_bytes().replace(b"\n", b"\r\n"))
    cache = FindingsCache(tmp_path, "fingerprint")
    ctx = CheckContext(root=root, files=(), settings=Settings(), cache=cache)
    digest = ctx.digest(layout.MODELING_AUTO)
    cache.put(layout.MODELING_AUTO, digest, "SCF104", [])
    from transformers_scaffold.facts import fork as fork_module

    fork_module._PARSED.clear()
    assert ctx.facts.model_mappings  # parsed, then stored beside the findings
    assert cache.get(layout.MODELING_AUTO, digest, "SCF104") == []
    assert cache.fact(layout.MODELING_AUTO, digest, "mappings") is not None
