from __future__ import annotations

import ast
from collections.abc import Iterator

from transformers_scaffold.checker.api import Finding, Rule
from transformers_scaffold.checker.context import CheckContext
from transformers_scaffold.checker.repo import exported


def _calls(tree: ast.Module | None) -> list[tuple[str, str, list[ast.expr], int]]:
    """(receiver, method, args, line) of every top-level `Receiver.method(...)` statement."""
    out = []
    for node in tree.body if tree else []:
        call = node.value if isinstance(node, ast.Expr) else None
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
        ):
            out.append((call.func.value.id, call.func.attr, list(call.args), node.lineno))
    return out


def _config_class(tree: ast.Module | None, model_type: str) -> str | None:
    for node in tree.body if tree else []:
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
                if isinstance(value, ast.Constant) and value.value == model_type:
                    return node.name
    return None


class StandaloneRegistered(Rule):
    """What it does
    In a standalone model package (a `pyproject.toml` with `[tool.scaffold.standalone]`), checks
    that the package's `__init__.py` registers its model: `AutoConfig.register("<model_type>",
    Config)`, `<AutoClass>.register(Config, Cls)` for every model class the modeling file exports
    (the `...PreTrainedModel` base excepted), and `register_for_auto_class` on the config and on
    each registered class.

    Why is this bad?
    Outside a fork there is no `CONFIG_MAPPING_NAMES` or `MODEL_*_MAPPING_NAMES`: an unregistered
    class is invisible to `AutoModel*`, `pipeline()` and `Trainer` even with the package imported,
    and without `register_for_auto_class` saved checkpoints carry no `auto_map`, so
    `from_pretrained(path, trust_remote_code=True)` fails where the package is not installed.

    Example
    `modeling_acme.py` exports `AcmeForTokenClassification`, but `__init__.py` never calls
    `AutoModelForTokenClassification.register(AcmeConfig, AcmeForTokenClassification)`.

    Fix safety
    No automatic fix: which auto class a head belongs to is a choice.
    """

    CODE = "SCF116"
    NAME = "standalone-registered"
    SUMMARY = "standalone package does not register its model with the auto classes"
    SCOPE = "file"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        pkg = ctx.standalone
        if pkg is None:
            return
        init_path = f"{pkg.src}/__init__.py"
        config_path = f"{pkg.src}/configuration_{pkg.module}.py"
        modeling_path = f"{pkg.src}/modeling_{pkg.module}.py"
        if not (ctx.exists(init_path) and ctx.exists(config_path) and ctx.exists(modeling_path)):
            return
        if not ctx.whole_tree and not any(p in ctx.files for p in (init_path, config_path, modeling_path)):
            return
        config = _config_class(ctx.source(config_path).tree, pkg.model_type)
        if config is None:
            yield self.finding(
                config_path, 1, f"no config class with model_type = {pkg.model_type!r}", fix="set model_type"
            )
            return
        calls = _calls(ctx.source(init_path).tree)
        registered = {
            args[1].id: line
            for receiver, method, args, line in calls
            if method == "register" and receiver.startswith("AutoModel") and len(args) == 2
            if isinstance(args[1], ast.Name)
        }
        for_auto = {receiver for receiver, method, _, _ in calls if method == "register_for_auto_class"}
        config_line = next(
            (
                line
                for receiver, method, args, line in calls
                if receiver == "AutoConfig"
                and method == "register"
                and args
                and isinstance(args[0], ast.Constant)
                and args[0].value == pkg.model_type
            ),
            None,
        )
        if config_line is None:
            yield self.finding(
                init_path,
                1,
                f'{config} is not registered: no AutoConfig.register("{pkg.model_type}", {config})',
                fix=f'add AutoConfig.register("{pkg.model_type}", {config})',
            )
        if config not in for_auto:
            yield self.finding(
                init_path,
                config_line or 1,
                f"{config}.register_for_auto_class() is missing: saved configs carry no auto_map",
                fix=f"add {config}.register_for_auto_class()",
            )
        names, line = exported(ctx.source(modeling_path)) or ([], 1)
        for cls in names:
            if cls.endswith("PreTrainedModel"):
                continue
            if cls not in registered:
                yield self.finding(
                    modeling_path,
                    line,
                    f"{cls} is exported but no AutoModel*.register({config}, {cls}) in {init_path}",
                    fix=f"register it with its auto class in {init_path}",
                )
            elif cls not in for_auto:
                yield self.finding(
                    init_path,
                    registered[cls],
                    f'{cls}.register_for_auto_class("...") is missing: checkpoints of it carry no auto_map',
                    fix=f"add {cls}.register_for_auto_class(<its auto class name>)",
                )
