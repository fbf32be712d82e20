"""AddTypeCheckingImport on an excerpt shaped like models/__init__.py, then on the real file."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.codemod import CodemodContext, CodemodTest

from tests.codemods.helpers import inserted_lines
from transformers_scaffold.codemods.base import StatementCodemod
from transformers_scaffold.codemods.type_checking import AddTypeCheckingImport, add_type_checking_import
from transformers_scaffold.errors import UserError

INIT = """
from typing import TYPE_CHECKING

from ..utils import _LazyModule
from ..utils.import_utils import define_import_structure


if TYPE_CHECKING:
    from .afmoe import *
    from .audio_spectrogram_transformer import *
    from .audioflamingo3 import *
    # kept for old checkpoints
    from .mlcd import *
    from .zoedepth import *
else:
    import sys

    _file = globals()["__file__"]
    sys.modules[__name__] = _LazyModule(__name__, _file, define_import_structure(_file), module_spec=__spec__)
"""


class TestAddTypeCheckingImport(CodemodTest):
    TRANSFORM = AddTypeCheckingImport

    def check(self, before: str, after: str, module: str) -> None:
        self.assertCodemod(before, after, module=module)
        fast = AddTypeCheckingImport(CodemodContext(), module=module).apply(self.make_fixture_data(before))
        assert fast == self.make_fixture_data(after)

    def test_sorted_place_with_underscore_before_letters(self) -> None:
        # "audio_spectrogram_transformer" < "audio_x" < "audioflamingo3": "_" sorts before letters.
        after = INIT.replace("    from .audioflamingo3", "    from .audio_x import *\n    from .audioflamingo3")
        self.check(INIT, after, "audio_x")

    def test_comment_stays_above_its_import(self) -> None:
        after = INIT.replace("    # kept for old", "    from .llama import *\n    # kept for old")
        self.check(INIT, after, "llama")

    def test_first_and_last_place(self) -> None:
        self.check(INIT, INIT.replace("    from .afmoe", "    from .acme import *\n    from .afmoe"), "acme")
        self.check(INIT, INIT.replace("zoedepth import *\n", "zoedepth import *\n    from .zzz import *\n"), "zzz")

    def test_already_imported_is_a_no_op(self) -> None:
        self.check(INIT, INIT, "mlcd")


def test_missing_type_checking_block_is_a_user_error() -> None:
    with pytest.raises(UserError, match="TYPE_CHECKING"):
        add_type_checking_import("import sys\n", "acme", filename="src/transformers/models/__init__.py")


def test_one_line_type_checking_block_is_a_user_error() -> None:
    with pytest.raises(UserError, match="own indented lines"):
        add_type_checking_import("if TYPE_CHECKING: from .b import *\n", "acme")


def test_real_models_init(sdist_fork: Path) -> None:
    text = (sdist_fork / "src/transformers/models/__init__.py").read_text()
    new = add_type_checking_import(text, "llama_x")
    assert inserted_lines(text, new) == ["    from .llama_x import *"]
    lines = new.splitlines()
    at = lines.index("    from .llama_x import *")
    assert lines[at - 1].startswith("    from .") and lines[at + 1].startswith("    from .")
    assert lines[at - 1] < "    from .llama_x import *" < lines[at + 1]
    compile(new, "__init__.py", "exec")
    assert add_type_checking_import(new, "llama_x") == new


@pytest.mark.parametrize(
    "text",
    [
        INIT,
        "if TYPE_CHECKING:\n    # models\n    from .b import *\n    from .d import *\n    x = 1\nelse:\n    pass\n",
        "if TYPE_CHECKING:\n    from .b import *; from .d import *\n",
        "if typing.TYPE_CHECKING:\n    from .b import *\n\n    # below\n    from .d import *\n",
    ],
)
def test_window_path_equals_statement_path_and_whole_module(text: str) -> None:
    text = CodemodTest.make_fixture_data(text)
    for module in ("a", "c", "e", "audio_x", "mlcd"):
        codemod = AddTypeCheckingImport(module=module)
        fast = codemod.apply(text)
        assert fast == StatementCodemod.apply(codemod, text) == codemod.transform_module(cst.parse_module(text)).code


def test_window_path_on_the_real_file(sdist_fork: Path) -> None:
    text = (sdist_fork / "src/transformers/models/__init__.py").read_text()
    whole = cst.parse_module(text)
    for module in ("aaa", "llama_x", "zzz", "xlm_roberta"):
        codemod = AddTypeCheckingImport(module=module)
        assert codemod.apply(text) == StatementCodemod.apply(codemod, text) == codemod.transform_module(whole).code
