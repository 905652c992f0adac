"""After-deploy tooling behind the ``comprehend-jobs`` command: find a stack's jobs, follow
their status, fetch and parse their output.

Nothing here imports aws_cdk: the command must start fast and must not need Node.
"""
