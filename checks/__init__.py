"""The rule catalogue: an explicit registry, one module per rule (see docs/checks/).

To add a rule: write `checks/<what_it_flags>.py` with one `Rule`/`FileRule` subclass, add it
here, and add `tests/fixtures/checks/<CODE>/`. The meta-test fails on any module left out.
"""

from __future__ import annotations

from transformers_scaffold.checker.api import Rule

from .affected_test_failed import AffectedTestFailed
from .attention_backend_flags import AttentionBackendFlags
from .base_model_mapping import BaseModelMapping
from .base_model_prefix import BaseModelPrefix
from .config_attr_unused import ConfigAttrUnused
from .config_docstring import ConfigDocstring
from .config_model_type import ConfigModelType
from .config_registered import ConfigRegistered
from .config_strict import ConfigStrict
from .copied_from import CopiedFrom
from .cross_model_import import CrossModelImport
from .debugger_left_in import DebuggerLeftIn
from .doc_autodoc import DocAutodoc
from .doc_date_line import DocDateLine
from .dunder_all import DunderAll
from .float32_in_forward import Float32InForward
from .generated_file_edited import GeneratedFileEdited
from .gradient_checkpointing_flag import GradientCheckpointingFlag
from .graph_break_in_forward import GraphBreakInForward
from .hard_coded_device import HardCodedDevice
from .hardcoded_token import HardcodedToken
from .head_mapping import HeadMapping
from .large_file import LargeFile
from .model_linter import ModelLinter
from .modular_not_regenerated import ModularNotRegenerated
from .new_model_without_doc import NewModelWithoutDoc
from .new_model_without_tests import NewModelWithoutTests
from .no_split_modules import NoSplitModules
from .parse_error import ParseError
from .pipeline_registered import PipelineRegistered
from .post_init_last import PostInitLast
from .print_in_library import PrintInLibrary
from .projection_not_linear import ProjectionNotLinear
from .requests_timeout import RequestsWithoutTimeout
from .ruff_format import RuffFormat
from .ruff_lint import RuffLint
from .security_eval_exec import EvalExec
from .sequential_layer_stack import SequentialLayerStack
from .shell_true import ShellTrue
from .standalone_registered import StandaloneRegistered
from .tests_tester_mixin import TestsTesterMixin
from .tie_weights_override import TieWeightsOverride
from .tied_weights_keys_dict import TiedWeightsKeysDict
from .toctree_missing import ToctreeMissing
from .toctree_order import ToctreeOrder
from .type_checking_import import TypeCheckingImport
from .unsafe_deserialization import UnsafeDeserialization
from .yaml_unsafe_load import YamlUnsafeLoad

RULES: tuple[type[Rule], ...] = (
    RuffLint,
    RuffFormat,
    ParseError,
    ConfigModelType,
    ConfigRegistered,
    BaseModelMapping,
    HeadMapping,
    DunderAll,
    TypeCheckingImport,
    TestsTesterMixin,
    DocAutodoc,
    DocDateLine,
    ToctreeMissing,
    ToctreeOrder,
    ConfigAttrUnused,
    ConfigDocstring,
    ConfigStrict,
    PipelineRegistered,
    StandaloneRegistered,
    GradientCheckpointingFlag,
    AttentionBackendFlags,
    NoSplitModules,
    TiedWeightsKeysDict,
    PostInitLast,
    CrossModelImport,
    HardCodedDevice,
    GraphBreakInForward,
    Float32InForward,
    ProjectionNotLinear,
    SequentialLayerStack,
    TieWeightsOverride,
    BaseModelPrefix,
    GeneratedFileEdited,
    CopiedFrom,
    NewModelWithoutTests,
    NewModelWithoutDoc,
    EvalExec,
    UnsafeDeserialization,
    YamlUnsafeLoad,
    ShellTrue,
    RequestsWithoutTimeout,
    HardcodedToken,
    LargeFile,
    PrintInLibrary,
    DebuggerLeftIn,
    ModularNotRegenerated,
    AffectedTestFailed,
    ModelLinter,
)

__all__ = ["RULES"]
