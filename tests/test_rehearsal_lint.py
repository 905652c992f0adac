"""The rehearsal's IAM lint (tests/rehearsal/lint.py): it can fail, and this library's
documents pass it with only the suppressions it lists.

Why: a lint that never reports anything proves nothing, and a suppression table that
only grows hides real findings; so both directions are tested here, on small resolved
documents written out by hand (no CDK synthesis, so this stays fast).
"""

from __future__ import annotations

from typing import Any

import pytest
from rehearsal.lint import (
    SUPPRESSIONS,
    LintFinding,
    PolicyUnderTest,
    lint,
    lint_report,
)

ACCOUNT = "111111111111"
REGION = "us-east-1"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/Stack-DataAccessRole-ABC123"
LOG_GROUP_ARN = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/Stack-OnEvent:*"
COMPREHEND = f"arn:aws:comprehend:{REGION}:{ACCOUNT}"
JOB_TYPES = (
    "document-classification",
    "dominant-language-detection",
    "entities-detection",
    "events-detection",
    "key-phrases-detection",
    "pii-entities-detection",
    "sentiment-detection",
    "targeted-sentiment-detection",
    "topics-detection",
)


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


DATA_ACCESS_ROLE_POLICY = _doc(
    {
        "Sid": "ReadInput",
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::in-bucket/input/*",
    },
    {
        "Sid": "ListInput",
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": "arn:aws:s3:::in-bucket",
        "Condition": {"StringLike": {"s3:prefix": ["input/", "input/*"]}},
    },
    {
        "Sid": "WriteOutput",
        "Effect": "Allow",
        "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::out-bucket/output/*",
    },
    {
        "Sid": "UseDataKey",
        "Effect": "Allow",
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": KEY_ARN,
    },
    {"Sid": "GrantVolumeKey", "Effect": "Allow", "Action": "kms:CreateGrant", "Resource": KEY_ARN},
    {
        "Sid": "UseVpc",
        "Effect": "Allow",
        "Action": [
            "ec2:CreateNetworkInterface",
            "ec2:CreateNetworkInterfacePermission",
            "ec2:DeleteNetworkInterface",
            "ec2:DeleteNetworkInterfacePermission",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeVpcs",
            "ec2:DescribeDhcpOptions",
            "ec2:DescribeSubnets",
            "ec2:DescribeSecurityGroups",
        ],
        "Resource": "*",
    },
    {
        "Sid": "ReadDocumentsWithTextract",
        "Effect": "Allow",
        "Action": ["textract:DetectDocumentText", "textract:AnalyzeDocument"],
        "Resource": "*",
    },
)

CALLER_POLICY = _doc(
    {
        "Sid": "RunEntitiesJobs",
        "Effect": "Allow",
        "Action": [
            "comprehend:StartEntitiesDetectionJob",
            "comprehend:DescribeEntitiesDetectionJob",
            "comprehend:StopEntitiesDetectionJob",
        ],
        "Resource": f"{COMPREHEND}:entities-detection-job/*",
    },
    {
        "Sid": "UseEntitiesModels",
        "Effect": "Allow",
        "Action": "comprehend:StartEntitiesDetectionJob",
        "Resource": f"{COMPREHEND}:entity-recognizer/name/version/v1",
    },
    {
        "Sid": "PassDataAccessRoles",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": ROLE_ARN,
        "Condition": {"StringEquals": {"iam:PassedToService": "comprehend.amazonaws.com"}},
    },
    {
        "Sid": "TagJobs",
        "Effect": "Allow",
        "Action": "comprehend:TagResource",
        "Resource": f"{COMPREHEND}:entities-detection-job/*",
    },
    {
        "Sid": "UseVolumeKeys",
        "Effect": "Allow",
        "Action": ["kms:CreateGrant", "kms:DescribeKey"],
        "Resource": KEY_ARN,
    },
    {
        "Sid": "WriteLogs",
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": LOG_GROUP_ARN,
    },
)

TRUST_POLICY = _doc(
    {
        "Effect": "Allow",
        "Principal": {"Service": "comprehend.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": {
            "StringEquals": {"aws:SourceAccount": ACCOUNT},
            "ArnLike": {"aws:SourceArn": [f"{COMPREHEND}:{t}-job/*" for t in JOB_TYPES]},
        },
    }
)

KEY_POLICY = _doc(
    {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        "Action": "kms:*",
        "Resource": "*",
    },
    {
        "Sid": "AllowCloudWatchLogsOfThisAccount",
        "Effect": "Allow",
        "Principal": {"Service": f"logs.{REGION}.amazonaws.com"},
        "Action": [
            "kms:Decrypt",
            "kms:Encrypt",
            "kms:GenerateDataKey*",
            "kms:ReEncrypt*",
            "kms:DescribeKey",
        ],
        "Resource": "*",
        "Condition": {
            "ArnLike": {
                "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:*"
            }
        },
    },
)

BUCKET_POLICY = _doc(
    {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::in-bucket", "arn:aws:s3:::in-bucket/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    },
    {
        "Sid": "DenyOldTls",
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::in-bucket", "arn:aws:s3:::in-bucket/*"],
        "Condition": {"NumericLessThan": {"s3:TlsVersion": "1.2"}},
    },
)

STATE_MACHINE_ROLE_POLICY = _doc(
    {
        "Effect": "Allow",
        "Action": "states:StartExecution",
        "Resource": f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:Waiter",
    },
    {
        "Effect": "Allow",
        "Action": ["lambda:InvokeFunction", "lambda:GetFunction"],
        "Resource": [
            f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:Stack-IsComplete",
            f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:Stack-IsComplete:*",
        ],
    },
    {
        "Effect": "Allow",
        "Action": [
            "xray:PutTelemetryRecords",
            "xray:PutTraceSegments",
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
        ],
        "Resource": "*",
    },
    {
        "Effect": "Allow",
        "Action": [
            "logs:CreateLogDelivery",
            "logs:GetLogDelivery",
            "logs:UpdateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups",
        ],
        "Resource": "*",
    },
)

REALISTIC = (
    PolicyUnderTest("Stack/DataAccessRolePolicy", "identity", DATA_ACCESS_ROLE_POLICY),
    PolicyUnderTest("Stack/CallerPolicy", "identity", CALLER_POLICY),
    PolicyUnderTest("Stack/DataAccessRole", "trust", TRUST_POLICY),
    PolicyUnderTest("Stack/DataKey", "resource", KEY_POLICY),
    PolicyUnderTest("Stack/InputBucketPolicy", "resource", BUCKET_POLICY),
    PolicyUnderTest("Stack/WaiterRolePolicy", "identity", STATE_MACHINE_ROLE_POLICY),
)


def _one(kind: Any, *statements: dict[str, Any]) -> list[LintFinding]:
    return lint([PolicyUnderTest("Test/Policy", kind, _doc(*statements))])


def test_least_privilege_identity_policy_is_clean() -> None:
    assert (
        _one(
            "identity",
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject"],
                "Resource": "arn:aws:s3:::in-bucket/input/*",
            },
            {
                "Effect": "Allow",
                "Action": "comprehend:DescribeEntitiesDetectionJob",
                "Resource": f"{COMPREHEND}:entities-detection-job/*",
            },
        )
        == []
    )


def test_made_up_action_is_reported() -> None:
    # Parliament ranks UNKNOWN_ACTION LOW; the lint raises it, or this would pass silently.
    findings = _one(
        "identity", {"Effect": "Allow", "Action": "comprehend:StartMagicJob", "Resource": "*"}
    )
    assert [(f.issue, f.severity, f.action) for f in findings] == [
        ("UNKNOWN_ACTION", "HIGH", "comprehend:StartMagicJob")
    ]
    assert "Test/Policy" in str(findings[0]) and "StartMagicJob" in str(findings[0])


def test_object_action_on_bucket_arn_is_reported() -> None:
    findings = _one(
        "identity",
        {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b"},
    )
    assert [(f.issue, f.action, f.statement) for f in findings] == [
        ("RESOURCE_MISMATCH", "s3:GetObject", "Read")
    ]


def test_suppressions_stay_narrow() -> None:
    # The model-statement suppression must not hide the same mistake in another statement.
    findings = _one(
        "identity",
        {
            "Sid": "RunJobs",
            "Effect": "Allow",
            "Action": "comprehend:StartEntitiesDetectionJob",
            "Resource": f"{COMPREHEND}:entity-recognizer/name/version/v1",
        },
    )
    assert [f.issue for f in findings] == ["RESOURCE_MISMATCH"]


def test_trust_policy_is_linted_as_a_trust_policy() -> None:
    # Without the Resource parliament expects, a trust policy is MALFORMED as identity.
    as_identity = lint([PolicyUnderTest("Stack/Role", "identity", TRUST_POLICY)])
    assert [f.issue for f in as_identity] == ["MALFORMED"]
    assert lint([PolicyUnderTest("Stack/Role", "trust", TRUST_POLICY)]) == []


def test_newer_comprehend_actions_are_known_to_the_snapshot() -> None:
    # If a parliament release dropped these, every job type's policy would turn red here
    # first, with the action named.
    actions = [
        f"comprehend:{verb}{stem}Job"
        for verb in ("Start", "Describe", "Stop")
        for stem in ("TargetedSentimentDetection", "EventsDetection", "PiiEntitiesDetection")
    ]
    resources = [f"{COMPREHEND}:{t}-job/*" for t in JOB_TYPES]
    assert _one("identity", {"Effect": "Allow", "Action": actions, "Resource": resources}) == []


@pytest.mark.parametrize("policy", REALISTIC, ids=lambda p: p.label)
def test_library_documents_lint_clean(policy: PolicyUnderTest) -> None:
    findings = lint([policy])
    assert findings == [], "\n".join(map(str, findings))


def test_suppressed_findings_are_all_accounted_for() -> None:
    # Whether each suppression is still needed is asked of the real stacks' documents
    # (tests/test_rehearsal.py); these samples use some of them.
    report = lint_report(REALISTIC)
    assert report.findings == []
    assert {s for _, s in report.suppressed} <= set(SUPPRESSIONS)
    assert all(f.issue == s.issue for f, s in report.suppressed)
