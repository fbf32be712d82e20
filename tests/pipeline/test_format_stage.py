"""The format stage (`pipeline/render.py`): a generated file that does not parse is named, with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from transformers_scaffold.errors import StageError
from transformers_scaffold.pipeline.render import format_python


def test_a_file_that_does_not_parse_is_named_with_its_line(tmp_path: Path) -> None:
    files = {
        "src/ok.py": "x = 1\n",
        "tests/bad.py": "def f():\n    return 1\nassert True def g():\n",
        "README.md": "# r\n",
    }
    with pytest.raises(StageError) as caught:
        format_python(files, tmp_path)
    assert "tests/bad.py:3:" in str(caught.value), str(caught.value)


def test_formatting_keeps_other_files_and_formats_python(tmp_path: Path) -> None:
    out = format_python({"a.py": "x=( 1 )\n", "b.md": "x=( 1 )\n"}, tmp_path)
    assert out == {"a.py": "x = 1\n", "b.md": "x=( 1 )\n"}
