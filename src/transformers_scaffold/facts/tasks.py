"""THE task table: head-class suffix -> auto mapping -> Auto class -> pipeline tasks -> test inputs.

One row per kind of head. The generator (`kinds.py`, `like/`), the checker (which mapping must
register a head) and the templates (each head's Auto class, shape check and pipeline tasks arrive
through the spec) all read this table; adding a head is one row here.

`pipeline_tasks` are the keys of upstream tests' `pipeline_model_mapping` (`tests/test_pipeline_mixin.py`
`pipeline_test_mapping`); `ForkFacts.pipeline_tasks_for` drops the ones the fork does not have
(5.24 removed `question-answering`). `check` names the generated test's shape check for the head
(None: the generic test builds no labels for it). `inputs` are the forward inputs the task's tests feed,
by modality (`MODALITY_INPUTS`).
"""

from __future__ import annotations

from dataclasses import dataclass

BASE_MAPPING = "MODEL_MAPPING_NAMES"

# Forward inputs a generated test feeds, per input modality.
MODALITY_INPUTS: dict[str, tuple[str, ...]] = {
    "text": ("input_ids", "attention_mask"),
    "vision": ("pixel_values",),
    "audio-features": ("input_features",),  # log-mel features (Whisper-likes)
    "audio-waveform": ("input_values",),  # raw waveform (Wav2Vec2-likes)
    "video": ("pixel_values_videos",),
}


@dataclass(frozen=True)
class Task:
    suffix: str  # "ForCausalLM"; "" for the base model
    mapping: str  # "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES"
    auto_class: str  # "AutoModelForCausalLM"
    pipeline_tasks: tuple[str, ...] = ()
    check: str | None = None  # the generated test's shape check
    modality: str = "text"
    generative: bool = False  # a head that generate() drives
    # False where the suffix alone does not say which mapping registers the head
    # (`ForConditionalGeneration`: seq2seq, image-text-to-text, speech...): the checker leaves it to review.
    by_suffix: bool = True

    @property
    def inputs(self) -> tuple[str, ...]:
        return MODALITY_INPUTS[self.modality]


TASKS: tuple[Task, ...] = (
    Task("", BASE_MAPPING, "AutoModel", ("feature-extraction",)),
    Task(
        "ForCausalLM",
        "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES",
        "AutoModelForCausalLM",
        ("text-generation",),
        "causal_lm",
        generative=True,
    ),
    Task("ForMaskedLM", "MODEL_FOR_MASKED_LM_MAPPING_NAMES", "AutoModelForMaskedLM", ("fill-mask",), "masked_lm"),
    Task("ForPreTraining", "MODEL_FOR_PRETRAINING_MAPPING_NAMES", "AutoModelForPreTraining"),
    Task(
        "ForSequenceClassification",
        "MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES",
        "AutoModelForSequenceClassification",
        ("text-classification", "zero-shot"),
        "sequence_classification",
    ),
    Task(
        "ForTokenClassification",
        "MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES",
        "AutoModelForTokenClassification",
        ("token-classification",),
        "token_classification",
    ),
    Task(
        "ForQuestionAnswering",
        "MODEL_FOR_QUESTION_ANSWERING_MAPPING_NAMES",
        "AutoModelForQuestionAnswering",
        ("question-answering",),
        "question_answering",
    ),
    Task("ForMultipleChoice", "MODEL_FOR_MULTIPLE_CHOICE_MAPPING_NAMES", "AutoModelForMultipleChoice"),
    Task(
        "ForNextSentencePrediction",
        "MODEL_FOR_NEXT_SENTENCE_PREDICTION_MAPPING_NAMES",
        "AutoModelForNextSentencePrediction",
    ),
    Task(
        "ForConditionalGeneration",
        "MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES",
        "AutoModelForSeq2SeqLM",
        ("text2text-generation", "summarization", "translation"),
        generative=True,
        by_suffix=False,
    ),
    Task(
        "ForImageClassification",
        "MODEL_FOR_IMAGE_CLASSIFICATION_MAPPING_NAMES",
        "AutoModelForImageClassification",
        ("image-classification",),
        modality="vision",
    ),
    Task(
        "ForSemanticSegmentation",
        "MODEL_FOR_SEMANTIC_SEGMENTATION_MAPPING_NAMES",
        "AutoModelForSemanticSegmentation",
        ("image-segmentation",),
        modality="vision",
    ),
    Task(
        "ForObjectDetection",
        "MODEL_FOR_OBJECT_DETECTION_MAPPING_NAMES",
        "AutoModelForObjectDetection",
        ("object-detection",),
        modality="vision",
    ),
    Task(
        "ForDepthEstimation",
        "MODEL_FOR_DEPTH_ESTIMATION_MAPPING_NAMES",
        "AutoModelForDepthEstimation",
        ("depth-estimation",),
        modality="vision",
    ),
    Task(
        "ForMaskedImageModeling",
        "MODEL_FOR_MASKED_IMAGE_MODELING_MAPPING_NAMES",
        "AutoModelForMaskedImageModeling",
        modality="vision",
    ),
    Task(
        "ForAudioClassification",
        "MODEL_FOR_AUDIO_CLASSIFICATION_MAPPING_NAMES",
        "AutoModelForAudioClassification",
        ("audio-classification",),
        modality="audio-waveform",
    ),
    Task(
        "ForCTC",
        "MODEL_FOR_CTC_MAPPING_NAMES",
        "AutoModelForCTC",
        ("automatic-speech-recognition",),
        modality="audio-waveform",
    ),
    Task(
        "ForAudioFrameClassification",
        "MODEL_FOR_AUDIO_FRAME_CLASSIFICATION_MAPPING_NAMES",
        "AutoModelForAudioFrameClassification",
        modality="audio-waveform",
    ),
    Task("ForXVector", "MODEL_FOR_AUDIO_XVECTOR_MAPPING_NAMES", "AutoModelForAudioXVector", modality="audio-waveform"),
    Task(
        "ForSpeechSeq2Seq",
        "MODEL_FOR_SPEECH_SEQ_2_SEQ_MAPPING_NAMES",
        "AutoModelForSpeechSeq2Seq",
        ("automatic-speech-recognition",),
        modality="audio-features",
        generative=True,
    ),
    Task(
        "ForImageTextToText",
        "MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING_NAMES",
        "AutoModelForImageTextToText",
        ("image-text-to-text",),
        modality="vision",
        generative=True,
    ),
    Task(
        "ForVideoClassification",
        "MODEL_FOR_VIDEO_CLASSIFICATION_MAPPING_NAMES",
        "AutoModelForVideoClassification",
        ("video-classification",),
        modality="video",
    ),
)

BY_MAPPING: dict[str, Task] = {task.mapping: task for task in TASKS}
BY_SUFFIX: dict[str, Task] = {task.suffix: task for task in TASKS if task.suffix}
AUTO_CLASSES: dict[str, str] = {task.mapping: task.auto_class for task in TASKS}


def task_for_class(cls: str) -> Task | None:
    """The row of a head class by its suffix (`AcmeForCausalLM` -> ForCausalLM); longest suffix wins."""
    for suffix in sorted(BY_SUFFIX, key=len, reverse=True):
        if cls.endswith(suffix):
            return BY_SUFFIX[suffix]
    return None


def mappings_for_class(cls: str) -> tuple[str, ...]:
    """The auto mapping that must register a head class, by its suffix (the checker's question);
    () when the suffix is unknown or does not decide it."""
    task = task_for_class(cls)
    return (task.mapping,) if task and task.by_suffix else ()


def pipeline_tasks(mappings: tuple[str, ...] | list[str], available: frozenset[str] | None = None) -> tuple[str, ...]:
    """Pipeline test tasks of a head registered in `mappings`, kept to those in `available` (when known)."""
    tasks = [t for m in mappings if m in BY_MAPPING for t in BY_MAPPING[m].pipeline_tasks]
    return tuple(dict.fromkeys(t for t in tasks if available is None or t in available))


def check_for(mappings: tuple[str, ...] | list[str]) -> str | None:
    """The generated test's shape check of a head: the first of its mappings that has one."""
    return next((BY_MAPPING[m].check for m in mappings if m in BY_MAPPING and BY_MAPPING[m].check), None)


def auto_classes_for(mappings: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(AUTO_CLASSES[m] for m in mappings if m in AUTO_CLASSES))
