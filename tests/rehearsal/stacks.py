"""The stacks the rehearsal deploys: every stack the repository makes, and compositions.

``from_assembly(...)`` turns a synthesized cloud assembly into ``DeployedTemplate``s (in
the stack's own account and Region where it names them, the fake ones otherwise; the
partition and URL suffix are the Region's) with the synth-time warnings of each stack,
which the network and log-key checks read. ``from_cloud_assembly(outdir)`` reads every
stack of an assembly from its manifest alone, the stacks of each ``Stage`` (a nested
cloud assembly, ``assembly-<stage>/``) included; a stack's nested stacks are rehearsed
with it, in its account and Region (``rehearsal.nested``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_cdk import Stack, Token

from rehearsal.nested import flatten
from rehearsal.template import DeployedTemplate, Environment

#: What a manifest's ``environment`` holds for an env-agnostic stack.
_UNKNOWN = ("unknown-account", "unknown-region")


@dataclass(frozen=True)
class SynthesizedStack:
    """One stack as the rehearsal sees it."""

    deployed: DeployedTemplate
    #: The stack's synth-time warnings (``Annotations``), as text; its nested stacks' too.
    warnings: tuple[str, ...]


def _concrete(value: str) -> str | None:
    return None if Token.is_unresolved(value) or value in _UNKNOWN else value


def _warnings(outdir: Path, artifact: Mapping[str, Any]) -> tuple[str, ...]:
    # Newer CDK versions keep a stack's metadata in a file of its own.
    metadata = dict(artifact.get("metadata", {}))
    if artifact.get("additionalMetadataFile"):
        metadata.update(json.loads((outdir / artifact["additionalMetadataFile"]).read_text()))
    return tuple(
        str(entry.get("data"))
        for entries in metadata.values()
        for entry in entries
        if entry.get("type") == "aws:cdk:warning"
    )


def _stack(
    outdir: Path, name: str, template_file: str, artifact: Mapping[str, Any], env: Environment
) -> SynthesizedStack:
    template = flatten(json.loads((outdir / template_file).read_text()), outdir)
    return SynthesizedStack(DeployedTemplate(name, template, env), _warnings(outdir, artifact))


def from_assembly(outdir: Path, stacks: list[Stack]) -> dict[str, SynthesizedStack]:
    """Each of ``stacks`` (already synthesized into ``outdir``) by stack name."""
    manifest = json.loads((outdir / "manifest.json").read_text())
    out = {}
    for stack in stacks:
        artifact = manifest["artifacts"][stack.artifact_id]
        env = Environment.of(_concrete(stack.account), _concrete(stack.region))
        out[stack.stack_name] = _stack(outdir, stack.stack_name, stack.template_file, artifact, env)
    return out


def from_cloud_assembly(outdir: Path) -> dict[str, SynthesizedStack]:
    """Every stack of the cloud assembly in ``outdir``, its stages' included, by the name
    CloudFormation deploys it under (a stage's stacks: ``<stage>-<stack>``)."""
    manifest = json.loads((outdir / "manifest.json").read_text())
    out: dict[str, SynthesizedStack] = {}
    for artifact_id, artifact in manifest.get("artifacts", {}).items():
        kind = artifact.get("type")
        properties = artifact.get("properties", {})
        if kind == "cdk:cloud-assembly":
            for name, stack in from_cloud_assembly(outdir / properties["directoryName"]).items():
                if name in out:
                    raise ValueError(f"two stacks named {name} in {outdir}")
                out[name] = stack
        elif kind == "aws:cloudformation:stack":
            account, region = (
                artifact.get("environment", "aws://").removeprefix("aws://").split("/", 1)
            )
            env = Environment.of(_concrete(account), _concrete(region))
            name = properties.get("stackName") or artifact.get("displayName") or artifact_id
            out[name] = _stack(outdir, name, properties["templateFile"], artifact, env)
    return out
