"""The API limits a job's props are checked against, read from botocore's model.

Never copied by hand (they would drift). Read on first use, not when the jobs are imported
(``api_model`` caches what it reads).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from comprehend_jobs._private import api_model

#: Tags a job's props may give: Comprehend allows 50 per resource (a service quota, not in
#: the API model), and the handler adds one of its own to every job (its key tag,
#: ``comprehend-jobs:job-key``), so 50 given would pass synth and fail at deploy.
MAX_TAGS = 49


def job_name_max() -> int:
    """JobName's length limit."""
    return int(api_model.shape_metadata("JobName")["max"])


@cache
def class_characters(shape: str) -> str:
    """The characters a shape's pattern lists literally in its character class
    (``[...]``), without its ``\\p{..}`` Unicode classes and escapes."""
    match = re.search(r"\[(.*)\]", api_model.shape_metadata(shape)["pattern"])
    assert match is not None, f"{shape} has no character class"
    return re.sub(r"\\p\{\w\}|\\", "", match.group(1))


def job_name_punctuation() -> str:
    """The characters JobName allows besides letters, numbers and spaces
    (``\\p{L}\\p{Z}\\p{N}``)."""
    return class_characters("JobName")


def tag_key_limits() -> dict[str, Any]:
    """The constraints of a tag key (``Tag.Key``)."""
    return api_model.shape_metadata(api_model.member_shape("Tag", "Key"))


def tag_value_limits() -> dict[str, Any]:
    """The constraints of a tag value (``Tag.Value``)."""
    return api_model.shape_metadata(api_model.member_shape("Tag", "Value"))


def topics_limits() -> dict[str, Any]:
    """The constraints of a topics job's ``NumberOfTopics``."""
    return api_model.shape_metadata(
        api_model.member_shape("StartTopicsDetectionJobRequest", "NumberOfTopics")
    )


def event_types_limits() -> dict[str, Any]:
    """The constraints of an events job's ``TargetEventTypes`` list."""
    return api_model.shape_metadata(
        api_model.member_shape("StartEventsDetectionJobRequest", "TargetEventTypes")
    )


def event_type_shape() -> str:
    """The shape of one event type in ``TargetEventTypes``."""
    return api_model.list_member_shape(
        api_model.member_shape("StartEventsDetectionJobRequest", "TargetEventTypes")
    )


def mask_character_shape() -> str:
    """The shape of ``RedactionConfig.MaskCharacter``."""
    return api_model.member_shape("RedactionConfig", "MaskCharacter")
