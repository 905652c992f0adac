"""The ``comprehend-jobs`` command: status and results of the jobs a deployed stack started.

Nothing in this package imports aws_cdk: the command starts fast and works without Node.
"""

from comprehend_jobs.cli.command import Runtime, main

__all__ = ["Runtime", "main"]
