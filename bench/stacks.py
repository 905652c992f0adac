"""Stacks the benchmarks synthesize: N jobs sharing storage and role, or an empty stack.

Run as a script to synthesize one of them in a fresh process (what a user's ``cdk synth``
pays): ``python bench/stacks.py jobs 50`` or ``python bench/stacks.py empty``.
"""

from __future__ import annotations

import os
import sys
import tempfile

import aws_cdk as cdk

from comprehend_jobs import DataAccessRole, EntityRecognitionJob, JobStorage

RECOGNIZER = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/bench"


def jobs_stack(app: cdk.App, count: int, *, distinct_models: bool = False) -> cdk.Stack:
    """A stack with ``count`` entity recognition jobs over one storage and one role."""
    stack = cdk.Stack(app, f"Jobs{count}")
    storage = JobStorage(stack, "Storage")
    role = DataAccessRole(stack, "Role", storage=storage)
    for i in range(count):
        model = f"{RECOGNIZER}-{i}" if distinct_models else RECOGNIZER
        EntityRecognitionJob(stack, f"Job{i}", recognizer_arn=model, storage=storage, role=role)
    return stack


def main(argv: list[str]) -> None:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    app = cdk.App(outdir=tempfile.mkdtemp(prefix="bench-"))
    if argv[0] == "empty":
        cdk.Stack(app, "Empty")
    else:
        jobs_stack(app, int(argv[1]))
    app.synth()


if __name__ == "__main__":
    main(sys.argv[1:])
