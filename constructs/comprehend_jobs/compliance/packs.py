"""The compliance checks this library is held to, for use on any app.

``add_compliance_checks(app)`` runs cdk-nag's AwsSolutions, HIPAA Security, NIST 800-53 R5
and PCI DSS 3.2.1 packs as CDK validation plugins: ``app.synth()`` then fails on any
finding not acknowledged, and writes ``validation-report.json`` into the assembly.
"""

from __future__ import annotations

from aws_cdk import App, Validations


def add_compliance_checks(app: App) -> None:
    """Run the four cdk-nag packs on every stack of ``app`` as validation plugins."""
    # cdk-nag's jsii assembly loads here, when the packs run, not when this module is
    # imported: an app that imports this function and runs without the packs (the
    # example's build_app(compliance_checks=False)) does not pay for it.
    from cdk_nag import (
        AwsSolutionsChecks,
        HIPAASecurityChecks,
        NIST80053R5Checks,
        PCIDSS321Checks,
    )

    Validations.of(app).add_plugins(
        AwsSolutionsChecks(app),
        HIPAASecurityChecks(app),
        NIST80053R5Checks(app),
        PCIDSS321Checks(app),
    )
