"""What this library is held to, and how it says why a check does not apply.

- ``add_compliance_checks(app)``: the four cdk-nag packs as validation plugins.
- ``acknowledge`` and ``ACKNOWLEDGMENT_KINDS``: every cdk-nag acknowledgment the library
  makes comes from one small table of kinds, each with its reason.
- ``comprehend_jobs.compliance.checkov``: the template-checker skips, kept on the resource.
"""

from comprehend_jobs.compliance.acknowledgments import (
    ACKNOWLEDGMENT_KINDS,
    AcknowledgmentKind,
    acknowledge,
)
from comprehend_jobs.compliance.packs import add_compliance_checks

__all__ = ["ACKNOWLEDGMENT_KINDS", "AcknowledgmentKind", "acknowledge", "add_compliance_checks"]
