"""What this library is held to, and how it says why a check does not apply.

- ``add_compliance_checks(app)``: the four cdk-nag packs as validation plugins.
- ``acknowledge`` and ``ACKNOWLEDGMENT_KINDS``: every cdk-nag acknowledgment the library
  makes comes from one small table of kinds, each with its reason.
- ``comprehend_jobs.compliance.checkov``: the template-checker skips, kept on the resource.

cdk-nag is imported with ``add_compliance_checks`` (from ``compliance.packs``), not with
this package: every construct of the library acknowledges findings, through aws-cdk-lib's
``Validations``, and loading cdk-nag's jsii assembly costs an app that runs no pack about a
quarter of a second.
"""

from typing import TYPE_CHECKING, Any

from comprehend_jobs.compliance.acknowledgments import (
    ACKNOWLEDGMENT_KINDS,
    AcknowledgmentKind,
    acknowledge,
)

if TYPE_CHECKING:
    from comprehend_jobs.compliance.packs import add_compliance_checks

__all__ = ["ACKNOWLEDGMENT_KINDS", "AcknowledgmentKind", "acknowledge", "add_compliance_checks"]


def __getattr__(name: str) -> Any:
    if name == "add_compliance_checks":
        from comprehend_jobs.compliance.packs import add_compliance_checks

        return add_compliance_checks
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
