from __future__ import annotations

import ast
from collections.abc import Iterator

from transformers_scaffold.checker.api import Edit, Finding, Rule
from transformers_scaffold.checker.astutil import dotted
from transformers_scaffold.checker.context import MODELS_DIR, CheckContext
from transformers_scaffold.checker.repo import exported

MODELS_INIT = f"{MODELS_DIR}/__init__.py"


def _type_checking_block(tree: ast.Module | None) -> ast.If | None:
    for stmt in tree.body if tree else []:
        if isinstance(stmt, ast.If) and any(dotted(n).endswith("TYPE_CHECKING") for n in ast.walk(stmt.test)):
            return stmt
    return None


def _star_imports(block: ast.If) -> dict[str, int]:
    return {
        (node.module or ""): node.lineno
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.level == 1 and any(a.name == "*" for a in node.names)
    }


class TypeCheckingImport(Rule):
    """What it does
    Checks the `if TYPE_CHECKING:` star imports: `models/__init__.py` must have
    `from .<module> import *` for each model package, and the package's `__init__.py` must have
    `from .<file> import *` for each of its files that defines `__all__` (`modular_*` and
    `convert_*` excepted).

    Why is this bad?
    At runtime the lazy module finds models by scanning the filesystem, but type checkers,
    IDEs and upstream's repo checks read these imports: a missing line makes the model
    invisible to them.

    Example
    `models/__init__.py` lacks `from .acme import *` under `if TYPE_CHECKING:`.

    Fix safety
    `--fix` inserts the missing line in sorted position (safe: the block only runs under type
    checking).
    """

    CODE = "SCF106"
    NAME = "type-checking-import"
    SUMMARY = "missing TYPE_CHECKING star import"
    SCOPE = "file"
    FIXABLE = True

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        models = [m for m in ctx.target_models() if m != "auto"]
        if ctx.exists(MODELS_INIT) and models:
            block = _type_checking_block(ctx.source(MODELS_INIT).tree)
            if block is not None:
                present = _star_imports(block)
                for module in models:
                    if module not in present:
                        yield self._missing(ctx, MODELS_INIT, block, present, module)
        for module in models:
            init = f"{MODELS_DIR}/{module}/__init__.py"
            block = _type_checking_block(ctx.source(init).tree)
            if block is None:
                continue
            present = _star_imports(block)
            for source in sorted(ctx.model_files(module, ""), key=lambda s: s.path):
                stem = source.path.rsplit("/", 1)[-1][:-3]
                if stem.startswith(("modular_", "convert_", "__")) or stem in present or exported(source) is None:
                    continue
                yield self._missing(ctx, init, block, present, stem)

    def _missing(self, ctx: CheckContext, path: str, block: ast.If, present: dict[str, int], name: str) -> Finding:
        later = sorted((mod, line) for mod, line in present.items() if mod > name)
        line = later[0][1] if later else (block.body[-1].end_lineno or block.lineno) + 1
        indent = " " * (block.body[0].col_offset if block.body else 4)
        edit = Edit(path, line, line - 1, f"{indent}from .{name} import *\n")
        return self.finding(
            path,
            block.lineno,
            f"no `from .{name} import *` under TYPE_CHECKING",
            fix=f"add `from .{name} import *`",
            edits=(edit,),
        )
