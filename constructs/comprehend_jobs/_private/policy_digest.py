"""A digest of a managed policy's document, for its create-only ``Description``.

Why: an IAM managed policy updated in place takes effect at once, in CloudFormation's
update phase, while a job the update replaces still runs until cleanup stops it. A
description that changes with the document makes CloudFormation replace the policy
instead: the new one is attached beside the old, which is deleted in cleanup, after the
replaced job's Delete (the job depends on the policy). So permissions only widen during
an update, and narrow once the jobs that needed them have stopped.
"""

from __future__ import annotations

import hashlib
import json

import jsii
from aws_cdk import IResolveContext, IStringProducer
from aws_cdk import aws_iam as iam


def document_digest(document: object) -> str:
    """16 hex characters of SHA-256 over ``document`` (resolved), keys sorted."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@jsii.implements(IStringProducer)
class DescriptionWithDigest:
    """``<text>; permissions <digest>`` for ``policy``, worked out at synth (use it with
    ``Lazy.uncached_string``: statements are added until then, and jsii cannot hand a
    cached Lazy's first, context-less call to a Python producer)."""

    def __init__(self, policy: iam.ManagedPolicy, text: str) -> None:
        self._policy = policy
        self._text = text

    def produce(self, context: IResolveContext) -> str:
        digest = document_digest(context.resolve(self._policy.document))
        return f"{self._text}; permissions {digest}"
