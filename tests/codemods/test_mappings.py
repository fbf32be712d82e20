"""AddMappingEntry on excerpts shaped like Transformers 5.24's auto mappings, then on the real files."""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst
import pytest
from libcst.codemod import CodemodContext, CodemodTest

from tests.codemods.helpers import AUTO, inserted_lines
from transformers_scaffold.codemods.base import StatementCodemod
from transformers_scaffold.codemods.mappings import (
    AddMappingEntries,
    AddMappingEntry,
    MappingEntry,
    PyExpr,
    add_mapping_entry,
    apply_mapping_entries,
)
from transformers_scaffold.errors import UserError
from transformers_scaffold.facts.mappings import parse_mappings


def read_mappings(text: str) -> dict[str, list[tuple[str, str]]]:
    """Each mapping's (key, value source) pairs, through the fork-facts layer."""
    return {name: [(e[0], e[1]) for e in data["entries"]] for name, data in parse_mappings(text).items()}


def read_mapping_keys(text: str, mapping: str) -> list[tuple[str, str]]:
    return read_mappings(text)[mapping]


MODEL_MAPPING = """
MODEL_MAPPING_NAMES = OrderedDict(
    [
        # Base model mapping
        ("afmoe", "AfmoeModel"),
        ("aimv2", "Aimv2Model"),
        ("funnel", ("FunnelModel", "FunnelBaseModel")),
        ("mlcd", "MLCDVisionModel"),  # Keep this to make some original hub repositories works
        # the next one is special
        ("zoedepth", "ZoeDepthModel"),
    ]
)
"""

TOKENIZERS = """
TOKENIZER_MAPPING_NAMES = OrderedDict[str, str | None](
    [
        ("EvollaModel", "TokenizersBackend" if is_tokenizers_available() else None),
        ("bartpho", "BartphoTokenizer"),
        ("bert", "BertTokenizer" if is_tokenizers_available() else None),
    ]
)
"""


class TestAddMappingEntry(CodemodTest):
    TRANSFORM = AddMappingEntry

    def check(self, before: str, after: str, **kwargs: object) -> None:
        """The libcst codemod on the whole module, and the fast `apply` path, give `after`."""
        self.assertCodemod(before, after, **kwargs)
        fixture = self.make_fixture_data(before)
        fast = AddMappingEntry(CodemodContext(), **kwargs).apply(fixture)  # type: ignore[arg-type]
        assert fast == self.make_fixture_data(after)

    def test_inserts_in_sorted_place_keeping_comments_with_their_entry(self) -> None:
        after = MODEL_MAPPING.replace(
            "        # the next one is special\n",
            '        ("nemo", "NemoModel"),\n        # the next one is special\n',
        )
        self.check(MODEL_MAPPING, after, mapping="MODEL_MAPPING_NAMES", key="nemo", value="NemoModel")

    def test_between_entries_keeps_the_trailing_comment_on_its_line(self) -> None:
        after = MODEL_MAPPING.replace(
            '("funnel", ("FunnelModel", "FunnelBaseModel")),\n',
            '("funnel", ("FunnelModel", "FunnelBaseModel")),\n        ("llama", "LlamaModel"),\n',
        )
        self.check(MODEL_MAPPING, after, mapping="MODEL_MAPPING_NAMES", key="llama", value="LlamaModel")

    def test_first_place_stays_below_the_header_comment(self) -> None:
        after = MODEL_MAPPING.replace('        ("afmoe"', '        ("aaa", "AaaModel"),\n        ("afmoe"')
        self.check(MODEL_MAPPING, after, mapping="MODEL_MAPPING_NAMES", key="aaa", value="AaaModel")

    def test_last_place_keeps_the_trailing_comma(self) -> None:
        after = MODEL_MAPPING.replace(
            '("zoedepth", "ZoeDepthModel"),\n', '("zoedepth", "ZoeDepthModel"),\n        ("zzz", "ZzzModel"),\n'
        )
        self.check(MODEL_MAPPING, after, mapping="MODEL_MAPPING_NAMES", key="zzz", value="ZzzModel")

    def test_plain_string_order_like_upstream(self) -> None:
        # Upper case sorts first ("EvollaModel" < "aimv2"), "-" before letters ("bert" < "bert-x" < "bertweet").
        for key, position in (("Acme", 0), ("aaa", 1), ("bert-generation", 3), ("Zed", 1)):
            new = add_mapping_entry(self.make_fixture_data(TOKENIZERS), "TOKENIZER_MAPPING_NAMES", key, "T")
            keys = [k for k, _ in read_mapping_keys(new, "TOKENIZER_MAPPING_NAMES")]
            assert keys.index(key) == position, keys

    def test_value_expression_in_subscripted_ordered_dict(self) -> None:
        expr = '"LlamaTokenizer" if is_tokenizers_available() else None'
        after = TOKENIZERS.replace('        ("bert",', f'        ("barz", {expr}),\n        ("bert",')
        self.check(TOKENIZERS, after, mapping="TOKENIZER_MAPPING_NAMES", key="barz", value=PyExpr(expr))

    def test_existing_identical_entry_is_a_no_op(self) -> None:
        self.check(MODEL_MAPPING, MODEL_MAPPING, mapping="MODEL_MAPPING_NAMES", key="aimv2", value="Aimv2Model")
        # Same value, other spelling: still the same entry.
        self.check(
            MODEL_MAPPING,
            MODEL_MAPPING,
            mapping="MODEL_MAPPING_NAMES",
            key="funnel",
            value=PyExpr("('FunnelModel','FunnelBaseModel')"),
        )

    def test_one_line_and_no_trailing_comma_keep_their_style(self) -> None:
        one_line = 'M = OrderedDict([("a", "A"), ("c", "C")])\n'
        self.check(
            one_line, 'M = OrderedDict([("a", "A"), ("b", "B"), ("c", "C")])\n', mapping="M", key="b", value="B"
        )
        self.check(
            one_line, 'M = OrderedDict([("a", "A"), ("c", "C"), ("d", "D")])\n', mapping="M", key="d", value="D"
        )
        no_comma = 'M = OrderedDict(\n    [\n        ("a", "A"),\n        ("c", "C")\n    ]\n)\n'
        expected = 'M = OrderedDict(\n    [\n        ("a", "A"),\n        ("c", "C"),\n        ("d", "D")\n    ]\n)\n'
        self.check(no_comma, expected, mapping="M", key="d", value="D")
        self.check("M = OrderedDict([])\n", 'M = OrderedDict([("a", "A")])\n', mapping="M", key="a", value="A")


def test_conflicting_entry_names_the_problem_and_the_fix() -> None:
    with pytest.raises(UserError) as err:
        add_mapping_entry(MODEL_MAPPING, "MODEL_MAPPING_NAMES", "aimv2", "OtherModel", filename="modeling_auto.py")
    message = str(err.value)
    assert "modeling_auto.py" in message and "'aimv2'" in message and "Aimv2Model" in message
    assert "pick another model name" in message and "\n" not in message


@pytest.mark.parametrize(
    "text",
    [
        "OTHER = OrderedDict([])\n",  # mapping absent
        "MODEL_MAPPING_NAMES = {'a': 'A'}\n",  # a shape we do not edit
        "MODEL_MAPPING_NAMES = make_mapping()\n",
    ],
)
def test_missing_or_unknown_mapping_is_a_user_error(text: str) -> None:
    with pytest.raises(UserError, match="MODEL_MAPPING_NAMES"):
        add_mapping_entry(text, "MODEL_MAPPING_NAMES", "acme", "AcmeModel")


def test_unparsable_file_is_a_user_error() -> None:
    with pytest.raises(UserError, match="cannot parse"):
        add_mapping_entry("M = OrderedDict([\n", "M", "a", "A")


def test_several_entries_in_one_pass_equal_one_at_a_time() -> None:
    text = MODEL_MAPPING + '\nOTHER_NAMES = OrderedDict(\n    [\n        ("b", "B"),\n    ]\n)\n'
    entries = [MappingEntry("OTHER_NAMES", "a", "A"), MappingEntry("MODEL_MAPPING_NAMES", "llama", "L")]
    one_pass = apply_mapping_entries(text, entries)
    stepwise = add_mapping_entry(add_mapping_entry(text, "OTHER_NAMES", "a", "A"), "MODEL_MAPPING_NAMES", "llama", "L")
    assert one_pass == stepwise
    assert inserted_lines(text, one_pass) == ['        ("llama", "L"),', '        ("a", "A"),']  # file order


def test_read_mapping_keys_keeps_values_as_source_and_duplicates() -> None:
    text = MODEL_MAPPING.replace('("zoedepth"', '("mlcd", "Again"),\n        ("zoedepth"')
    pairs = read_mapping_keys(text, "MODEL_MAPPING_NAMES")
    assert pairs[2] == ("funnel", '("FunnelModel", "FunnelBaseModel")')
    assert [k for k, _ in pairs].count("mlcd") == 2
    assert read_mapping_keys(TOKENIZERS, "TOKENIZER_MAPPING_NAMES")[0] == (
        "EvollaModel",
        '"TokenizersBackend" if is_tokenizers_available() else None',
    )
    assert "MODEL_MAPPING_NAMES" not in read_mappings(TOKENIZERS)


# --- the real 5.24 files ------------------------------------------------------------------------


def _all_mappings(text: str) -> list[str]:
    names = []
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            value = node.value
            if isinstance(value, ast.Call) and value.args and isinstance(value.args[0], ast.List):
                names.append(node.targets[0].id)
    return names


def _assert_sorted_place(pairs: list[tuple[str, str]], key: str) -> None:
    keys = [k for k, _ in pairs]
    at = keys.index(key)
    assert at == len(keys) - 1 or keys[at + 1] > key
    assert at == 0 or keys[at - 1] < key


def test_every_mapping_of_the_real_modeling_auto(sdist_fork: Path) -> None:
    text = (sdist_fork / AUTO / "modeling_auto.py").read_text()
    mappings = _all_mappings(text)
    assert len(mappings) >= 50
    entries = [MappingEntry(m, "acme", f"Acme{i}") for i, m in enumerate(mappings)]
    new = apply_mapping_entries(text, entries, "modeling_auto.py")
    compile(new, "modeling_auto.py", "exec")
    added = inserted_lines(text, new)
    assert sorted(added) == sorted(f'        ("acme", "Acme{i}"),' for i in range(len(mappings)))
    after = read_mappings(new)
    for i, mapping in enumerate(mappings):
        assert ("acme", f'"Acme{i}"') in after[mapping]
        _assert_sorted_place(after[mapping], "acme")
    assert apply_mapping_entries(new, entries) == new  # idempotent


@pytest.mark.parametrize("name", ["modeling_auto.py", "auto_mappings.py", "tokenization_auto.py"])
def test_window_and_statement_paths_match_the_whole_module_codemod(sdist_fork: Path, name: str) -> None:
    """The fast paths (a window of the list; the statement alone) give the plain codemod's bytes."""
    text = (sdist_fork / AUTO / name).read_text()
    whole_module = cst.parse_module(text)
    mappings = _all_mappings(text)
    # First, last, and middle places; upper case sorts first; "-" before letters.
    for key in ("AAA", "llama_zz", "my-model", "zzzz"):
        codemod = AddMappingEntries(CodemodContext(), [MappingEntry(m, key, f"{key}X") for m in mappings])
        windowed = codemod.apply(text)
        assert windowed == StatementCodemod.apply(codemod, text)
        assert windowed == codemod.transform_module(whole_module).code
        assert codemod.apply(windowed) == windowed


def test_hyphenated_type_in_the_real_config_mappings(sdist_fork: Path) -> None:
    text = (sdist_fork / AUTO / "auto_mappings.py").read_text()
    entries = [
        MappingEntry("CONFIG_MAPPING_NAMES", "xlm-robertb", "XLMRobertbConfig"),
        MappingEntry("SPECIAL_MODEL_TYPE_TO_MODULE_NAME", "xlm-robertb", "xlm_robertb"),
    ]
    new = apply_mapping_entries(text, entries)
    assert inserted_lines(text, new) == [
        '        ("xlm-robertb", "XLMRobertbConfig"),',
        '        ("xlm-robertb", "xlm_robertb"),',
    ]
    _assert_sorted_place(read_mapping_keys(new, "CONFIG_MAPPING_NAMES"), "xlm-robertb")
    _assert_sorted_place(read_mapping_keys(new, "SPECIAL_MODEL_TYPE_TO_MODULE_NAME"), "xlm-robertb")
    with pytest.raises(UserError, match="xlm-roberta"):
        add_mapping_entry(text, "CONFIG_MAPPING_NAMES", "xlm-roberta", "OtherConfig")


def test_tokenizer_expression_in_the_real_tokenization_auto(sdist_fork: Path) -> None:
    text = (sdist_fork / AUTO / "tokenization_auto.py").read_text()
    expr = '"LlamaTokenizer" if is_tokenizers_available() else None'
    new = add_mapping_entry(text, "TOKENIZER_MAPPING_NAMES", "acme", PyExpr(expr))
    assert inserted_lines(text, new) == [f'        ("acme", {expr}),']
    _assert_sorted_place(read_mapping_keys(new, "TOKENIZER_MAPPING_NAMES"), "acme")
    assert add_mapping_entry(new, "TOKENIZER_MAPPING_NAMES", "acme", PyExpr(expr)) == new


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # CRLF line ends: the new line gets them too.
        (
            'M = OrderedDict(\r\n    [\r\n        ("a", "A"),\r\n        ("c", "C"),\r\n    ]\r\n)\r\n',
            'M = OrderedDict(\r\n    [\r\n        ("a", "A"),\r\n        ("b", "B"),\r\n        ("c", "C"),\r\n    ]\r\n)\r\n',
        ),
        # No newline at the end of the file.
        ('X = 1\nM = OrderedDict([("a", "A")])', 'X = 1\nM = OrderedDict([("a", "A"), ("b", "B")])'),
        # Two statements on one line, and two mappings on one line.
        ('X = 1; M = OrderedDict([("c", "C")])\n', 'X = 1; M = OrderedDict([("b", "B"), ("c", "C")])\n'),
        (
            'N = OrderedDict([]); M = OrderedDict([("c", "C")])\n',
            'N = OrderedDict([]); M = OrderedDict([("b", "B"), ("c", "C")])\n',
        ),
        # Annotated assignment; a mapping that is re-bound later keeps the first, list-shaped one.
        (
            'M: dict = OrderedDict([("a", "A")])\nM = OrderedDict(**M)\n',
            'M: dict = OrderedDict([("a", "A"), ("b", "B")])\nM = OrderedDict(**M)\n',
        ),
    ],
)
def test_unusual_layouts(before: str, after: str) -> None:
    assert add_mapping_entry(before, "M", "b", "B") == after
    assert add_mapping_entry(after, "M", "b", "B") == after


def test_every_codemod_describes_itself() -> None:
    from transformers_scaffold.codemods import AddMappingEntries, AddToctreeEntry, AddTypeCheckingImport

    for cls in (AddMappingEntry, AddMappingEntries, AddTypeCheckingImport, AddToctreeEntry):
        assert cls.DESCRIPTION.strip()


@pytest.mark.parametrize(
    "text",
    [
        MODEL_MAPPING,
        TOKENIZERS,
        'M = OrderedDict([("a", "A"),\n                 ("c", "C")])\n',
        'M = OrderedDict([\n    ("a", "A"), ("c", "C"),\n    ("e", "E")\n])\n',
        'M = OrderedDict(\n    [\n        ("a", "A"),  # note\n        ("c", "C")  # last\n    ]\n)\n',
        'M = OrderedDict(\n    [\n        (\n            "a",\n            "A",\n        ),\n        ("c", "C"),\n    ])\n',
    ],
)
def test_window_path_equals_statement_path_on_odd_layouts(text: str) -> None:
    text = CodemodTest.make_fixture_data(text)
    mapping = next(name for name in ("MODEL_MAPPING_NAMES", "TOKENIZER_MAPPING_NAMES", "M") if name in text)
    for key in ("0", "Z", "b", "d", "zz"):
        codemod = AddMappingEntries(entries=[MappingEntry(mapping, key, "V")])
        assert codemod.apply(text) == StatementCodemod.apply(codemod, text), key
