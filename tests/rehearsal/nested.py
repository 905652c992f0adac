"""A stack with nested stacks, as one template: what the deployment as a whole holds.

A nested stack (``AWS::CloudFormation::Stack``) deploys in its parent's account and
Region, as part of the parent's deployment: a key policy in the parent governs a log group
in the nested stack, a role in the nested stack is named by a key policy in the parent.
So the rehearsal checks the parent and its nested stacks together: ``flatten`` puts every
nested stack's resources into the parent's template, with each reference across the
boundary put back as CloudFormation resolves it:

- a nested template's ``Parameters`` are the values its ``AWS::CloudFormation::Stack``
  resource passes (``Properties.Parameters``, expressions of the parent's template);
- the parent's ``Fn::GetAtt [<nested stack>, Outputs.<name>]`` is that output's ``Value``.

The nested template is the file the assembly holds for the ``TemplateURL``'s asset (the
stack's ``.assets.json`` maps the asset hash to it). Logical IDs of a parent and its
nested stacks are unique in the templates the CDK writes; a clash is an error here, never
silently merged. Inside a nested template ``AWS::StackName`` and ``AWS::StackId`` stay the
parent's: nothing the rehearsal checks reads them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rehearsal.template import UnresolvableError

NESTED_STACK = "AWS::CloudFormation::Stack"
_ASSET_HASH = re.compile(r"([0-9a-f]{64})\.json")


def _asset_files(outdir: Path) -> dict[str, Path]:
    """Asset hash -> the file it stands for, from every ``*.assets.json`` in ``outdir``."""
    files: dict[str, Path] = {}
    for manifest in outdir.glob("*.assets.json"):
        for asset_hash, asset in json.loads(manifest.read_text()).get("files", {}).items():
            files[asset_hash] = outdir / asset["source"]["path"]
    return files


def _template_url_hash(url: Any) -> str:
    """The asset hash a nested stack's ``TemplateURL`` (literal or ``Fn::Join``) ends in."""
    text = json.dumps(url)
    found = _ASSET_HASH.findall(text.replace('"', ""))
    if not found:
        raise UnresolvableError(f"nested stack TemplateURL names no template asset: {text}")
    return str(found[-1])


def _substitute(
    value: Any, parameters: Mapping[str, Any], outputs: Mapping[tuple[str, str], Any]
) -> Any:
    """``value`` with each ``Ref`` to a parameter replaced by the value passed for it, and
    each ``Fn::GetAtt`` of a nested output by that output's expression."""
    if isinstance(value, list):
        return [_substitute(v, parameters, outputs) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((key, args),) = value.items()
        if key == "Ref" and isinstance(args, str) and args in parameters:
            return parameters[args]
        if key == "Fn::GetAtt":
            parts = args.split(".", 1) if isinstance(args, str) else list(args)
            target = (parts[0], str(parts[1]))
            if target in outputs:
                return outputs[target]
        if key == "Fn::Sub":
            text, variables = (args, {}) if isinstance(args, str) else (args[0], args[1])
            variables = {k: _substitute(v, parameters, outputs) for k, v in variables.items()}
            # A ${Parameter} in the text becomes a variable holding the passed value.
            for name in re.findall(r"\$\{([^!}][^}]*)\}", text):
                if name in parameters and name not in variables:
                    variables[name] = parameters[name]
            return {"Fn::Sub": [text, variables] if variables else text}
    return {k: _substitute(v, parameters, outputs) for k, v in value.items()}


def flatten(template: Mapping[str, Any], outdir: Path) -> dict[str, Any]:
    """``template`` (a stack in the assembly at ``outdir``) with the resources of every
    stack nested in it (at any depth) merged in; unchanged when it nests none."""
    resources: dict[str, Any] = dict(template.get("Resources", {}))
    nested = {k: r for k, r in resources.items() if r.get("Type") == NESTED_STACK}
    if not nested:
        return dict(template)
    assets = _asset_files(outdir)
    merged: dict[str, Any] = {k: r for k, r in resources.items() if k not in nested}
    sections: dict[str, dict[str, Any]] = {
        name: dict(template.get(name, {})) for name in ("Conditions", "Mappings")
    }
    outputs: dict[tuple[str, str], Any] = {}
    children: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for logical_id, resource in nested.items():
        path = assets.get(_template_url_hash(resource["Properties"]["TemplateURL"]))
        if path is None or not path.is_file():
            raise UnresolvableError(f"the template of nested stack {logical_id} is not in {outdir}")
        child = flatten(json.loads(path.read_text()), outdir)
        children.append((logical_id, resource, child))
        for name, output in child.get("Outputs", {}).items():
            outputs[(logical_id, f"Outputs.{name}")] = output["Value"]
    for logical_id, resource, child in children:
        passed = dict(resource["Properties"].get("Parameters", {}))
        for name, parameter in child.get("Parameters", {}).items():
            if name not in passed and "Default" in parameter:
                passed[name] = parameter["Default"]
        for child_id, child_resource in child.get("Resources", {}).items():
            if child_id in merged:
                raise UnresolvableError(f"{child_id} is in both {logical_id} and its parent")
            child_resource = _substitute(child_resource, passed, {})
            # The nested stack's resources are created after what it depends on.
            merged[child_id] = child_resource
        for name in sections:
            for key, value in child.get(name, {}).items():
                if key in sections[name] and sections[name][key] != value:
                    raise UnresolvableError(f"{name} {key} differs in {logical_id}")
                sections[name][key] = _substitute(value, passed, {})
        # Outputs of the nested stack reference its own resources (now merged) and
        # parameters (now substituted).
        for key in [k for k in outputs if k[0] == logical_id]:
            outputs[key] = _substitute(outputs[key], passed, {})
    merged = {k: _substitute(r, {}, outputs) for k, r in merged.items()}
    flat = {k: v for k, v in template.items() if k not in ("Resources", *sections)}
    flat["Resources"] = merged
    for name, value in sections.items():
        if value:
            flat[name] = value
    return flat


def nested_stacks(template: Mapping[str, Any]) -> list[str]:
    """The logical IDs of the stacks nested directly in ``template``."""
    return [k for k, r in template.get("Resources", {}).items() if r.get("Type") == NESTED_STACK]
