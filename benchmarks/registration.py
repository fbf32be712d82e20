"""Time of the registration codemods (`plan_registration`) on the sdist fork, per file and in all.

    python benchmarks/registration.py [--repeat 15]

Builds a fork from the transformers sdist once, then times each edit in-process (files already
read; what the pipeline's "register" stage costs) and prints a Markdown table (median wall and CPU
time) for docs/codemods.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from transformers_scaffold.codemods import MappingEntry, add_toctree_entry, add_type_checking_import
from transformers_scaffold.codemods.mappings import apply_mapping_entries
from transformers_scaffold.codemods.registration import plan_registration, tokenizer_value
from transformers_scaffold.fixture import build_fork
from transformers_scaffold.names import resolve_names
from transformers_scaffold.spec import HeadSpec, ModelSpec

AUTO = Path("src/transformers/models/auto")
HEADS = {
    "ForCausalLM": "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES",
    "ForSequenceClassification": "MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES",
    "ForTokenClassification": "MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES",
    "ForQuestionAnswering": "MODEL_FOR_QUESTION_ANSWERING_MAPPING_NAMES",
}


def _median(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = build_fork(Path(tmp) / "fork")
        texts = {rel: (root / rel).read_text() for rel in (AUTO / "auto_mappings.py", AUTO / "modeling_auto.py")}
        tok = (root / AUTO / "tokenization_auto.py").read_text()
        init = (root / "src/transformers/models/__init__.py").read_text()
        names = resolve_names("acme")
        spec = ModelSpec(
            kind="decoder",
            config_class="AcmeConfig",
            pretrained_class="AcmePreTrainedModel",
            base_class="AcmeModel",
            heads=tuple(HeadSpec(f"Acme{suffix}", (mapping,)) for suffix, mapping in HEADS.items()),
            layer_class="AcmeDecoderLayer",
            attention_class="AcmeAttention",
            generative=True,
            tokenizer_class="LlamaTokenizer",
        )
        cache: dict[Path, str | None] = {}

        def read(path: Path) -> str | None:
            if path not in cache:
                cache[path] = path.read_text() if path.is_file() else None
            return cache[path]

        modeling = [MappingEntry("MODEL_MAPPING_NAMES", "acme", "AcmeModel")]
        modeling += [MappingEntry(m, "acme", f"Acme{s}") for s, m in HEADS.items()]
        cases = {
            "auto_mappings.py: config entry": lambda: apply_mapping_entries(
                texts[AUTO / "auto_mappings.py"], [MappingEntry("CONFIG_MAPPING_NAMES", "acme", "AcmeConfig")]
            ),
            "modeling_auto.py: 5 mappings": lambda: apply_mapping_entries(texts[AUTO / "modeling_auto.py"], modeling),
            "tokenization_auto.py: tokenizer entry": lambda: apply_mapping_entries(
                tok, [MappingEntry("TOKENIZER_MAPPING_NAMES", "acme", tokenizer_value(tok, "LlamaTokenizer"))]
            ),
            "models/__init__.py: TYPE_CHECKING import": lambda: add_type_checking_import(init, "acme"),
            "_toctree.yml: create": lambda: add_toctree_entry(None, "model_doc/acme", "Acme"),
            "all: plan_registration": lambda: plan_registration(root, names, spec, read),
        }
        print(f"{platform.node()} · {platform.processor() or platform.machine()} · Python {platform.python_version()}")
        print("\n| Edit | Wall (median) | CPU (median) |\n|---|---|---|")
        for label, fn in cases.items():
            wall, cpu = _median(fn, args.repeat)
            print(f"| {label} | {wall * 1000:.1f} ms | {cpu * 1000:.1f} ms |")


if __name__ == "__main__":
    main()
