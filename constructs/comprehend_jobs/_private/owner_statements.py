"""What a role managed elsewhere must be allowed: the statements its owner must add.

A role imported by ARN (``DataAccessRole.from_role_arn``) cannot be granted anything from
the stack, so each grant a job or ``ComprehendAnalysis`` makes on it is dropped. Left at
that, the deployment succeeds and every job then fails on access; instead the dropped
statements are kept here. They become the stack output ``<role id>RequiredPolicy`` (an IAM
policy document, resolved at deploy, as ``CrossAccountKeyPolicy`` is for foreign keys),
and one synth warning names the actions and that output.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import jsii
from aws_cdk import Annotations, Aspects, CfnOutput, IAspect, Stack, Token
from aws_cdk import aws_iam as iam
from constructs import Construct, IConstruct

#: The synth warning on an imported DataAccessRole that the stack's jobs need more of.
IMPORTED_ROLE_WARNING = "comprehend-jobs:imported-role"


class OwnerStatements:
    """The statements an imported role's owner must add, collected as grants are dropped
    (the output and the warning are made with the first)."""

    def __init__(self, scope: Construct, role_arn: str) -> None:
        self._scope = scope
        self._role_arn = role_arn
        self._document: iam.PolicyDocument | None = None
        self._output: CfnOutput | None = None
        self.actions: set[str] = set()

    def add(
        self, actions: Iterable[str], resources: list[str], conditions: dict[str, Any] | None
    ) -> None:
        """Keep one dropped statement."""
        actions = sorted(actions)
        if self._document is None:
            self._document = iam.PolicyDocument()
            self._output = CfnOutput(
                self._scope,
                "RequiredPolicy",
                description="The IAM policy the owner of this imported DataAccessRole must "
                "attach to it for the stack's jobs",
                # Resolved at synth, so statements dropped after this one are in it too.
                value=Stack.of(self._scope).to_json_string(self._document),
            )
            Aspects.of(self._scope).add(_OwnerStatementsWarning(self))
        self._document.add_statements(
            iam.PolicyStatement(actions=actions, resources=resources, conditions=conditions)
        )
        self.actions.update(actions)

    def warning(self) -> str:
        """The warning's text: the role, the actions and the output to read."""
        assert self._output is not None
        output_id = Stack.of(self._scope).resolve(self._output.logical_id)
        role = "" if Token.is_unresolved(self._role_arn) else f" {self._role_arn}"
        return (
            f"The DataAccessRole{role} is imported (DataAccessRole.from_role_arn), so this "
            "stack grants it nothing, and its jobs fail unless its owner allows "
            f"{', '.join(sorted(self.actions))} on exactly what they use: attach the "
            f"policy in the stack output {output_id} to the role (and let "
            "comprehend.amazonaws.com assume it for the jobs' types), or pass a "
            "DataAccessRole(...) of this stack instead."
        )


@jsii.implements(IAspect)
class _OwnerStatementsWarning:
    """Warns once, at synth, when every grant has been dropped (the actions are final)."""

    def __init__(self, statements: OwnerStatements) -> None:
        self._statements = statements

    def visit(self, node: IConstruct) -> None:
        if node is self._statements._scope:
            Annotations.of(node).add_warning_v2(IMPORTED_ROLE_WARNING, self._statements.warning())
