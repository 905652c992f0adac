"""Stacks the benchmarks synthesize: N jobs sharing storage and role, or an empty stack.

Run as a script to synthesize one of them in a fresh process (what a user's ``cdk synth``
pays): ``python bench/stacks.py jobs 50`` (50 jobs sharing one model),
``python bench/stacks.py models 50`` (50 jobs with a model each),
``python bench/stacks.py empty`` (a bare App, nothing configured),
``python bench/stacks.py empty-app-setup`` (an empty stack in an App set up as the example
app is: its cdk.json context and the four nag packs), ``python bench/stacks.py floor``
(the app's two stacks of resources built from aws-cdk-lib alone, in an App with its
context: see ``floor.py``), or ``python bench/stacks.py app-without-checks``
(``app.py`` without the nag packs).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import aws_cdk as cdk

from comprehend_jobs import DataAccessRole, EntityRecognitionJob, JobStorage

#: The repository root, where app.py lives (the app-shaped stacks import from it).
ROOT = Path(__file__).resolve().parent.parent
RECOGNIZER = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/bench"
#: The jobs read documents already in S3 (a job on a created, empty input bucket fails
#: synth): the benchmark measures the jobs, not an upload of documents.
DOCUMENTS = "s3://example-documents/input/"


def jobs_stack(app: cdk.App, count: int, *, distinct_models: bool = False) -> cdk.Stack:
    """A stack with ``count`` entity recognition jobs over one storage and one role."""
    stack = cdk.Stack(app, f"Jobs{count}")
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    role = DataAccessRole(stack, "Role", storage=storage)
    for i in range(count):
        model = f"{RECOGNIZER}-{i}" if distinct_models else RECOGNIZER
        EntityRecognitionJob(stack, f"Job{i}", recognizer_arn=model, storage=storage, role=role)
    return stack


def empty_app_setup() -> cdk.App:
    """An empty stack in an App configured like ``app.py``: same context, same checks."""
    from app import default_app
    from comprehend_jobs.compliance.packs import add_compliance_checks

    app = default_app()
    stack = cdk.Stack(app, "Empty")
    # cdk.json turns CloudFormation validation findings into errors, and an empty
    # Resources section is one.
    cdk.Validations.of(stack).acknowledge(
        cdk.Acknowledgment(
            id="CloudFormation-Validate::F0001", reason="The benchmark's baseline is empty"
        )
    )
    add_compliance_checks(app)
    return app


def main(argv: list[str]) -> None:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    sys.path.insert(0, str(ROOT))
    if argv[0] == "empty-app-setup":
        app = empty_app_setup()
    elif argv[0] == "app-without-checks":
        from app import build_app

        app = build_app(compliance_checks=False)
    elif argv[0] == "floor":
        from floor import floor_stack

        from app import default_app

        app = default_app()
        for stack_id in ("FloorEntities", "FloorClassification"):
            floor_stack(app, stack_id)
    else:
        app = cdk.App(outdir=tempfile.mkdtemp(prefix="bench-"))
        if argv[0] == "empty":
            cdk.Stack(app, "Empty")
        else:
            jobs_stack(app, int(argv[1]), distinct_models=argv[0] == "models")
    app.synth()


if __name__ == "__main__":
    main(sys.argv[1:])
