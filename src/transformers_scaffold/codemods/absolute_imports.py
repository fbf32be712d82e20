"""`AbsoluteImports`: turn a model file from inside `transformers/models/<m>/` into one of a package.

A generated model file imports the library relatively (`from ...modeling_utils import X`) and its
own classes from the top level (`from transformers import AcmeConfig`, in tests and examples).
Outside a fork the first must become `from transformers.modeling_utils import X` and the second
`from <package> import AcmeConfig`; sibling imports (`from .configuration_acme import ...`) stay
relative, which is what `save_pretrained` needs to copy the code next to a checkpoint for
`trust_remote_code`. Every other byte is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from transformers_scaffold.errors import UserError

if TYPE_CHECKING:
    from libcst.codemod import CodemodContext

MODEL_DEPTH = 3  # `...` from transformers/models/<m>/ is the transformers package


def _dotted(name: str) -> cst.Attribute | cst.Name:
    parts = name.split(".")
    node: cst.Attribute | cst.Name = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


class _Rewrite(cst.CSTTransformer):
    def __init__(self, library: str, package: str, own: frozenset[str]) -> None:
        self.library, self.package, self.own = library, package, own

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        level = len(updated.relative)
        if level >= MODEL_DEPTH:
            if level > MODEL_DEPTH:
                raise UserError(f"import {'.' * level} reaches above the transformers package; fix the template")
            rest = cst.Module([]).code_for_node(updated.module) if updated.module else ""
            target = f"{self.library}.{rest}" if rest else self.library
            return updated.with_changes(relative=[], module=_dotted(target))
        if level == 2:
            rest = cst.Module([]).code_for_node(updated.module) if updated.module else ""
            target = f"{self.library}.models.{rest}" if rest else f"{self.library}.models"
            return updated.with_changes(relative=[], module=_dotted(target))
        if (
            level == 0
            and updated.module is not None
            and cst.Module([]).code_for_node(updated.module) == self.library
            and not isinstance(updated.names, cst.ImportStar)
            and self.own
            and all(alias.evaluated_name in self.own for alias in updated.names)
        ):
            return updated.with_changes(module=_dotted(self.package))
        return updated


class AbsoluteImports:
    """Rewrite `from ...x import` to `from transformers.x import`, own classes to `from <package> import`."""

    NAME = "absolute-imports"
    DESCRIPTION = "Rewrite a fork model file's relative library imports as absolute ones, for a standalone package."
    FILES = ("src/<package>/*.py",)

    def __init__(
        self,
        context: CodemodContext | None = None,
        *,
        package: str,
        own: frozenset[str] = frozenset(),
        library: str = "transformers",
    ) -> None:
        if not all(part.isidentifier() for part in package.split(".")):
            raise ValueError(f"not a package name: {package!r}")
        self.context, self.package, self.own, self.library = context, package, frozenset(own), library

    def transform_module(self, tree: cst.Module) -> cst.Module:
        return tree.visit(_Rewrite(self.library, self.package, self.own))

    def transform(self, text: str | None) -> str:
        if text is None:
            raise UserError("absolute-imports needs the rendered file's text")
        return self.apply(text)

    def apply(self, text: str) -> str:
        return self.transform_module(cst.parse_module(text)).code


def absolute_imports(text: str, package: str, own: frozenset[str] = frozenset()) -> str:
    return AbsoluteImports(package=package, own=own).apply(text)
