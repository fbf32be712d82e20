from __future__ import annotations

import os
from pathlib import Path

import pytest

from transformers_scaffold.plan import Plan
from transformers_scaffold.transaction import transaction


def test_rollback_restores_bytes_and_mode_and_removes_created_dirs(tmp_path: Path) -> None:
    edited = tmp_path / "script.sh"
    edited.write_bytes(b"#!/bin/sh\r\necho hi\r\n")
    edited.chmod(0o755)
    with pytest.raises(RuntimeError), transaction(tmp_path) as txn:
        txn.write("script.sh", "changed\n")
        txn.write("new/deeper/file.py", "x = 1\n")
        assert (tmp_path / "new/deeper/file.py").is_file()
        raise RuntimeError("boom")
    assert edited.read_bytes() == b"#!/bin/sh\r\necho hi\r\n"
    assert os.stat(edited).st_mode & 0o777 == 0o755
    assert sorted(p.name for p in tmp_path.iterdir()) == ["script.sh"]


def test_success_keeps_everything_and_leaves_no_temp_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("old\n")
    with transaction(tmp_path) as txn:
        txn.write("a.txt", "new\n")
        txn.write("b/c.txt", "c\n")
    assert (tmp_path / "a.txt").read_text() == "new\n"
    assert (tmp_path / "b/c.txt").read_text() == "c\n"
    assert not list(tmp_path.rglob("*.scaffold-tmp"))


def test_plan_diff_marks_missing_final_newline(tmp_path: Path) -> None:
    plan = Plan()
    plan.edit("x.txt", "a\nb", "a\nc")
    plan.create("y.txt", "new")
    diff = plan.diff()
    assert "new file mode 100644" in diff and "--- /dev/null" in diff
    assert diff.count("\\ No newline at end of file") == 3
