"""Draws docs/architecture.svg from the example app's entity-recognition stack.

Every box names the CloudFormation resources it stands for and how many the template
has, so the picture cannot claim a part the stack does not make. Run
``python docs/architecture.py`` after changing what the pattern deploys; a test fails
while the committed picture is out of date.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "docs" / "architecture.svg"
STACK = "ComprehendEntityRecognition"

#: (x, y, width, title, CloudFormation types it stands for, colour) of each box.
BOXES: list[tuple[int, int, int, str, tuple[str, ...], str]] = [
    (20, 50, 230, "CloudFormation (cdk deploy)", ("Custom::ComprehendAnalysisJob",), "#f3e5f5"),
    (
        20,
        170,
        230,
        "Lambda: handler, provider, VPC",
        ("AWS::Lambda::Function", "AWS::Logs::LogGroup"),
        "#fff3e0",
    ),
    (20, 320, 230, "Amazon Comprehend", (), "#e3f2fd"),
    (
        330,
        320,
        250,
        "IAM roles and policies",
        ("AWS::IAM::Role", "AWS::IAM::ManagedPolicy"),
        "#fce4ec",
    ),
    (
        640,
        50,
        240,
        "Input / output / access-log buckets",
        ("AWS::S3::Bucket", "AWS::S3::BucketPolicy"),
        "#e8f5e9",
    ),
    (640, 170, 240, "KMS keys (rotation on)", ("AWS::KMS::Key",), "#fffde7"),
    (
        640,
        270,
        240,
        "VPC: isolated subnets, no NAT",
        (
            "AWS::EC2::VPC",
            "AWS::EC2::Subnet",
            "AWS::EC2::SecurityGroup",
            "AWS::EC2::VPCEndpoint",
            "AWS::EC2::FlowLog",
            "AWS::EC2::NatGateway",
        ),
        "#e0f7fa",
    ),
]
#: (from box, to box, label) arrows, by box index: down the left column, or rightwards.
ARROWS: list[tuple[int, int, str]] = [
    (0, 1, "create / update / delete"),
    (1, 2, "Start*Job, Describe*Job, Stop*Job"),
    (2, 3, "assumes"),
    (3, 4, "read input, write output"),
    (3, 5, "CreateGrant, GenerateDataKey"),
    (3, 6, "job network interfaces"),
]


def _box_lines(types: tuple[str, ...], counts: Counter[str]) -> list[str]:
    return [f"{counts.get(t, 0)} x {t.split('::')[-1]}" for t in types]


def render(template: dict[str, Any]) -> str:
    """The SVG for a synthesized template."""
    counts = Counter(r["Type"] for r in template["Resources"].values())
    height = 420
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="900" height="{height}" '
        'font-family="Helvetica, Arial, sans-serif" font-size="12">',
        '<defs><marker id="arrow" markerWidth="10" markerHeight="7" refX="10" refY="3.5" '
        'orient="auto"><polygon points="0 0, 10 3.5, 0 7" fill="#555"/></marker></defs>',
        f'<rect width="900" height="{height}" fill="white"/>',
        '<text x="20" y="22" font-size="15" font-weight="bold">comprehend-jobs: the default '
        f"stack ({len(template['Resources'])} resources)</text>",
    ]
    geometry = []
    for x, y, width, title, types, colour in BOXES:
        lines = _box_lines(types, counts) or ["(the service)"]
        box_height = 34 + 16 * len(lines)
        geometry.append((x, y, width, box_height))
        parts.append(
            f'<rect x="{x}" y="{y}" width="{width}" height="{box_height}" rx="8" '
            f'fill="{colour}" stroke="#777"/>'
        )
        parts.append(f'<text x="{x + 10}" y="{y + 20}" font-weight="bold">{escape(title)}</text>')
        for i, line in enumerate(lines):
            parts.append(f'<text x="{x + 10}" y="{y + 40 + 16 * i}">{escape(line)}</text>')
    for source, target, label in ARROWS:
        sx, sy, sw, sh = geometry[source]
        tx, ty, _width, th = geometry[target]
        x1: float
        y1: float
        x2: float
        y2: float
        if tx == sx:  # down the column: label to the right of the arrow
            x1, y1, x2, y2 = sx + 40, sy + sh, tx + 40, ty
            lx, ly, anchor = x1 + 8, (y1 + y2) / 2 + 4, "start"
        else:  # rightwards: label just above the arrow's end
            x1, y1, x2, y2 = sx + sw, sy + sh / 2, tx, ty + min(th, 60) / 2
            lx, ly, anchor = x2 - 6, y2 - 6, "end"
        parts.append(
            f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="#555" '
            'marker-end="url(#arrow)"/>'
        )
        parts.append(
            f'<text x="{lx:.0f}" y="{ly:.0f}" font-size="10" text-anchor="{anchor}" '
            f'fill="#333">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def synthesize() -> dict[str, Any]:
    """The entity-recognition stack of the example app, with cdk.json's context."""
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    sys.path.insert(0, str(ROOT))
    import aws_cdk as cdk

    from app import build_app

    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    app = cdk.App(context=context, outdir=tempfile.mkdtemp(prefix="diagram-"))
    return dict(build_app(app).synth().get_stack_by_name(STACK).template)


if __name__ == "__main__":
    SVG.write_text(render(synthesize()))
    print(f"wrote {SVG.relative_to(ROOT)}")
