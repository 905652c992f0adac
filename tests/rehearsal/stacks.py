"""The stacks the rehearsal deploys: every stack the repository makes, and compositions.

``rehearsed(...)`` turns a synthesized cloud assembly into ``DeployedTemplate``s (in the
stack's own account and Region where it names them, the fake ones otherwise) with the
synth-time warnings of each stack, which the network check reads for imported subnets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from aws_cdk import Stack, Token

from rehearsal.template import ACCOUNT, REGION, DeployedTemplate, Environment


@dataclass(frozen=True)
class SynthesizedStack:
    """One stack as the rehearsal sees it."""

    deployed: DeployedTemplate
    #: The stack's synth-time warnings (``Annotations``), as text.
    warnings: tuple[str, ...]


def _concrete(value: str, fallback: str) -> str:
    return fallback if Token.is_unresolved(value) else value


def from_assembly(outdir: Path, stacks: list[Stack]) -> dict[str, SynthesizedStack]:
    """Each of ``stacks`` (already synthesized into ``outdir``) by stack name."""
    manifest = json.loads((outdir / "manifest.json").read_text())
    out = {}
    for stack in stacks:
        template = json.loads((outdir / stack.template_file).read_text())
        artifact = manifest["artifacts"][stack.artifact_id]
        # Newer CDK versions keep a stack's metadata in a file of its own.
        metadata = dict(artifact.get("metadata", {}))
        if artifact.get("additionalMetadataFile"):
            metadata.update(json.loads((outdir / artifact["additionalMetadataFile"]).read_text()))
        warnings = tuple(
            str(entry.get("data"))
            for entries in metadata.values()
            for entry in entries
            if entry.get("type") == "aws:cdk:warning"
        )
        env = Environment(
            account=_concrete(stack.account, ACCOUNT), region=_concrete(stack.region, REGION)
        )
        out[stack.stack_name] = SynthesizedStack(
            DeployedTemplate(stack.stack_name, template, env), warnings
        )
    return out
