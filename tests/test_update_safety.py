"""Issue 22's update-safety check: every change of the matrix (``update_safety.matrix``)
synthesized before and after, each resource classified as CloudFormation acts on it, and
five rules (``update_safety.rules``). Each rule has a mutation test: a synthetic
before/after pair that breaks exactly that rule, next to the unmutated pair that passes.

The matrix's violations must equal ``KNOWN``, the open findings: a new violation fails the
test, and so does a fixed one (then remove its entry).
"""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from update_safety import CaseResult, run_case
from update_safety.diff import NEW_JOB, RETAGGED, SAME_JOB, NewJobRule, diff_stack, handler_rule
from update_safety.matrix import BARE_RENAME, CASES, Built, Context, Synthesizer
from update_safety.report import table
from update_safety.rules import JOB_DEFINING_PROPERTIES, RULES, check
from update_safety.schemas import create_only_pointers, values_at

from comprehend_jobs.console import CONTEXT_KEYS
from comprehend_jobs.job_types import RESOURCE_TYPE as JOB_TYPE

README = Path(__file__).resolve().parent.parent / "README.md"
Template = dict[str, Any]

# --------------------------------------------------------------------------- known findings

#: The open findings, by the issue finding each belongs to: none. Fixed: 22.6 and 22.8 (a
#: trust that never narrows; a role policy replaced, not edited, when it changes, so the
#: old one goes in cleanup after the replaced job's Delete, which stops the job or, when
#: it cannot, waits for it), 22.7 (``keep_logical_ids``, building blocks at the pattern's
#: paths).
FINDINGS: dict[str, str] = {}
_PERMS = "running-job-permissions"

#: (change, rule, logical ID) -> the finding it belongs to. Every entry is a violation the
#: matrix finds today; fix one and its entries must go.
KNOWN: dict[tuple[str, str, str], str] = {}

# --------------------------------------------------------------------------- synthetic pair

R = "arn:aws:comprehend:us-east-1:111122223333"


def _arn(name: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [name, "Arn"]}


def _trust(*job_arn_types: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"Service": "comprehend.amazonaws.com"},
                "Condition": {"ArnLike": {"aws:SourceArn": [f"{R}:{t}/*" for t in job_arn_types]}},
            }
        ],
    }


def _policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _kept(resource_type: str, **props: Any) -> dict[str, Any]:
    return {
        "Type": resource_type,
        "Properties": props,
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
    }


def deployed() -> Template:
    """A small stack of one job: a key, an input bucket with an upload, a log group, the
    job's role and policy, the handler's role and caller policy."""
    encryption = {
        "ServerSideEncryptionConfiguration": [
            {
                "ServerSideEncryptionByDefault": {
                    "SSEAlgorithm": "aws:kms",
                    "KMSMasterKeyID": _arn("Key"),
                }
            }
        ]
    }
    return {
        "Resources": {
            "Key": _kept("AWS::KMS::Key", EnableKeyRotation=True),
            "Bucket": _kept("AWS::S3::Bucket", BucketEncryption=encryption),
            "Logs": _kept("AWS::Logs::LogGroup", KmsKeyId=_arn("Key")),
            "UploadFunction": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "u"}},
            "Upload": {
                "Type": "Custom::CDKBucketDeployment",
                "Properties": {
                    "ServiceToken": _arn("UploadFunction"),
                    "SourceObjectKeys": ["documents.zip"],
                    "DestinationBucketName": {"Ref": "Bucket"},
                },
            },
            "Provider": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "p"}},
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {"AssumeRolePolicyDocument": _trust("entities-detection-job")},
            },
            "RolePolicy": {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {
                    "Roles": [{"Ref": "Role"}],
                    "PolicyDocument": _policy(
                        {
                            "Effect": "Allow",
                            "Action": "s3:GetObject",
                            "Resource": "arn:aws:s3:::in/*",
                        },
                        {
                            "Effect": "Allow",
                            "Action": ["ec2:CreateNetworkInterface"],
                            "Resource": "*",
                        },
                    ),
                },
            },
            "CallerRole": {"Type": "AWS::IAM::Role", "Properties": {}},
            "CallerPolicy": {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {
                    "Roles": [{"Ref": "CallerRole"}],
                    "PolicyDocument": _policy(
                        {
                            "Effect": "Allow",
                            "Action": [
                                "comprehend:DescribeEntitiesDetectionJob",
                                "comprehend:StopEntitiesDetectionJob",
                            ],
                            "Resource": f"{R}:entities-detection-job/*",
                        }
                    ),
                },
            },
            "Job": {
                "Type": JOB_TYPE,
                "Properties": {
                    "ServiceToken": _arn("Provider"),
                    "JobType": "EntitiesDetection",
                    "Request": {
                        "InputDataConfig": {"S3Uri": "s3://in/"},
                        "DataAccessRoleArn": _arn("Role"),
                        "EntityRecognizerArn": f"{R}:entity-recognizer/claims",
                        "LanguageCode": "en",
                    },
                    "StopOnDelete": True,
                    "WaitForCompletion": False,
                    "RerunToken": _rerun_token(),
                },
            },
        }
    }


def _rerun_token() -> dict[str, Any]:
    return {"Fn::Join": [",", {"Fn::GetAtt": ["Upload", "SourceObjectKeys"]}]}


def _res(template: Template) -> dict[str, Any]:
    resources: dict[str, Any] = template["Resources"]
    return resources


def _pair(mutate: Callable[[Template, Template], None]) -> tuple[Template, Template]:
    before = deployed()
    after = copy.deepcopy(before)
    mutate(before, after)
    return before, after


def _rules(
    mutate: Callable[[Template, Template], None], new_job: NewJobRule = handler_rule
) -> set[str]:
    before, after = _pair(mutate)
    return {v.rule for v in check(diff_stack(before, after, new_job))}


# Mutations, each breaking exactly one rule.


def _provider_function_renamed(_: Template, after: Template) -> None:
    # FunctionName is createOnly: a new function, a new ARN, a new ServiceToken.
    _res(after)["Provider"]["Properties"]["FunctionName"] = "new-provider"


def _log_group_replaced_and_deleted(_: Template, after: Template) -> None:
    logs = _res(after)["Logs"]
    logs["Properties"]["LogGroupName"] = "renamed"
    logs["UpdateReplacePolicy"] = "Delete"


def _key_flips_to_delete(_: Template, after: Template) -> None:
    _res(after)["Key"]["DeletionPolicy"] = "Delete"


def _key_removed_and_deleted(before: Template, after: Template) -> None:
    _res(before)["Key"]["DeletionPolicy"] = "Delete"
    del _res(after)["Key"]
    _res(after)["Logs"]["Properties"]["KmsKeyId"] = "alias/logs"
    # The bucket keeps its key (a brought one now): only the log group's data is at stake.
    encryption = _res(after)["Bucket"]["Properties"]["BucketEncryption"]
    encryption["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"][
        "KMSMasterKeyID"
    ] = {"Fn::ImportValue": "old-key"}
    _res(before)["Bucket"]["Properties"]["BucketEncryption"] = copy.deepcopy(encryption)


def _bucket_rekeyed_upload_unchanged(_: Template, after: Template) -> None:
    encryption = _res(after)["Bucket"]["Properties"]["BucketEncryption"]
    encryption["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"][
        "KMSMasterKeyID"
    ] = "alias/another"


def _tags_changed(_: Template, after: Template) -> None:
    _res(after)["Job"]["Properties"]["Request"]["Tags"] = [{"Key": "team", "Value": "ops"}]


def _job_renamed(_: Template, after: Template) -> None:
    _res(after)["Claims"] = _res(after).pop("Job")


def _vpc_permission_dropped(_: Template, after: Template) -> None:
    _res(after)["RolePolicy"]["Properties"]["PolicyDocument"]["Statement"].pop()


def _source_arn_switched(_: Template, after: Template) -> None:
    trust = _trust("document-classification-job")
    _res(after)["Role"]["Properties"]["AssumeRolePolicyDocument"] = trust


def _caller_stop_dropped(_: Template, after: Template) -> None:
    statement = _res(after)["CallerPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    statement["Action"] = ["comprehend:DescribeEntitiesDetectionJob"]


def _any_change_restarts(old: Any, new: Any) -> bool:
    """A handler that starts a new job on any change (as it did before Tags were re-tagged)."""
    return bool(old != new)


MUTATIONS: dict[str, tuple[str, Callable[[Template, Template], None], NewJobRule]] = {
    "provider function replaced": ("service-token", _provider_function_renamed, handler_rule),
    "retained log group replaced and deleted": (
        "data-retention",
        _log_group_replaced_and_deleted,
        handler_rule,
    ),
    "key flips to Delete under a retained log group": (
        "key-lifetime",
        _key_flips_to_delete,
        handler_rule,
    ),
    "key removed and deleted under a kept log group": (
        "key-lifetime",
        _key_removed_and_deleted,
        handler_rule,
    ),
    "bucket re-keyed, upload unchanged": (
        "key-lifetime",
        _bucket_rekeyed_upload_unchanged,
        handler_rule,
    ),
    "tags restart the job": ("job-restart", _tags_changed, _any_change_restarts),
    "job renamed": ("job-restart", _job_renamed, handler_rule),
    "VPC permission dropped under a running job": (
        _PERMS,
        _vpc_permission_dropped,
        handler_rule,
    ),
    "trust SourceArn switched under a running job": (
        _PERMS,
        _source_arn_switched,
        handler_rule,
    ),
    "caller loses Stop of a running job": (_PERMS, _caller_stop_dropped, handler_rule),
}


def test_the_unmutated_pair_breaks_no_rule() -> None:
    assert _rules(lambda before, after: None) == set()


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_each_mutation_breaks_exactly_its_rule(mutation: str) -> None:
    rule, mutate, new_job = MUTATIONS[mutation]
    assert _rules(mutate, new_job) == {rule}


def test_every_rule_has_a_mutation() -> None:
    assert {rule for rule, _, _ in MUTATIONS.values()} == {rule.name for rule in RULES}


# --------------------------------------------------------------------------- classification


def test_a_changed_create_only_property_replaces_and_ripples() -> None:
    before, after = _pair(
        lambda _, after: _res(after)["Bucket"]["Properties"].update(BucketName="claims-in")
    )
    diff = diff_stack(before, after)
    assert diff.changes["Bucket"].action == "replace"
    assert diff.changes["Bucket"].fate == "retained"
    # The upload names the new bucket: updated in place, not replaced (no schema).
    assert diff.changes["Upload"].action == "update"


def test_an_upload_change_reaches_the_job_through_its_rerun_token() -> None:
    before, after = _pair(
        lambda _, after: _res(after)["Upload"]["Properties"].update(SourceObjectKeys=["new.zip"])
    )
    change = diff_stack(before, after).changes["Job"]
    assert (change.action, change.job) == ("replace", NEW_JOB)


@pytest.mark.parametrize(
    ("field", "value", "job"),
    [
        ("WaitForCompletion", True, SAME_JOB),
        ("StopOnDelete", False, SAME_JOB),
        ("RerunToken", "2", NEW_JOB),
        ("JobType", "KeyPhrasesDetection", NEW_JOB),
    ],
)
def test_a_job_property_change_is_classified(field: str, value: Any, job: str) -> None:
    before, after = _pair(lambda _, after: _res(after)["Job"]["Properties"].update({field: value}))
    assert diff_stack(before, after).changes["Job"].job == job


def test_a_tags_only_change_is_the_same_job_re_tagged() -> None:
    before, after = _pair(_tags_changed)
    change = diff_stack(before, after).changes["Job"]
    assert (change.action, change.job) == ("update", RETAGGED)


def test_a_removed_resource_is_retained_or_deleted_by_its_deletion_policy() -> None:
    def mutate(before: Template, after: Template) -> None:
        _res(before)["Logs"]["DeletionPolicy"] = "Delete"
        del _res(after)["Logs"], _res(after)["Bucket"], _res(after)["Upload"]

    diff = diff_stack(*_pair(mutate))
    assert diff.changes["Logs"].fate == "deleted"
    assert diff.changes["Bucket"].fate == "retained"


def test_create_only_pointers_come_from_the_schemas_nested_paths_too() -> None:
    assert ("BucketName",) in create_only_pointers("AWS::S3::Bucket")
    assert ("DnsOptions", "PrivateDnsPreference") in create_only_pointers("AWS::EC2::VPCEndpoint")
    assert create_only_pointers("Custom::ComprehendAnalysisJob") == ()
    assert values_at({"A": [{"B": 1}, {"B": 2}]}, ("A", "*", "B")) == [1, 2]


def _job_props(**changes: Any) -> dict[str, Any]:
    props = copy.deepcopy(_res(deployed())["Job"]["Properties"])
    props.update(changes)
    return props


def test_the_job_defining_table_follows_the_handler() -> None:
    # Every field the table calls defining starts a new job in the handler; every field it
    # exempts (and every other property) does not.
    base = _job_props()
    for name, exempt in JOB_DEFINING_PROPERTIES.items():
        if name == "Request":
            for field in base["Request"]:
                changed = {**base["Request"], field: "changed"}
                assert handler_rule(base, {**base, "Request": changed}), field
            for field in exempt:
                changed = {**base["Request"], field: [{"Key": "team", "Value": "ops"}]}
                assert not handler_rule(base, {**base, "Request": changed}), field
        else:
            assert handler_rule(base, {**base, name: "changed"}), name
    for name in set(base) - set(JOB_DEFINING_PROPERTIES) - {"ServiceToken"}:
        assert not handler_rule(base, {**base, name: "changed"}), name


# --------------------------------------------------------------------------- the matrix


@pytest.fixture(scope="module")
def synthesizer(tmp_path_factory: pytest.TempPathFactory) -> Synthesizer:
    """Synthesizes each distinct configuration once for the module."""
    return Synthesizer(tmp_path_factory.mktemp("update-safety"))


@pytest.fixture(scope="module")
def results(synthesizer: Synthesizer) -> list[CaseResult]:
    """Every change of the matrix."""
    return [run_case(case, synthesizer) for case in CASES]


@pytest.mark.slow
def test_an_unchanged_stack_changes_nothing(
    synthesizer: Synthesizer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Synthesized again in a fresh App: no resource differs, so no change is invented.
    again = Synthesizer(tmp_path_factory.mktemp("again")).templates(Built("default"))
    diff = diff_stack(synthesizer.templates(Built("default"))["Analysis"], again["Analysis"])
    assert diff.changes == {}


def test_the_matrix_covers_every_context_key_and_every_pattern_prop() -> None:
    from comprehend_jobs import ComprehendAnalysis

    assert len(CASES) >= 40
    assert len({case.name for case in CASES}) == len(CASES)
    changed_keys = set()
    for case in CASES:
        if isinstance(case.before, Context) and isinstance(case.after, Context):
            old, new = dict(case.before.items), dict(case.after.items)
            changed_keys |= {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
    assert changed_keys == set(CONTEXT_KEYS)
    props = set(inspect.signature(ComprehendAnalysis.__init__).parameters) - {"self", "scope", "id"}
    named = {
        word
        for case in CASES
        if isinstance(case.after, Built)
        for word in re.findall(r"[a-z0-9_]+", case.name)
    }
    assert props - named == set()


@pytest.mark.slow
def test_the_matrix_finds_exactly_the_known_findings(results: list[CaseResult]) -> None:
    found = {
        (result.case.name, violation.rule, violation.logical_id): violation.message
        for result in results
        for _, violation in result.violations
    }
    new = {key: found[key] for key in sorted(set(found) - set(KNOWN))}
    fixed = sorted(set(KNOWN) - set(found))
    assert new == {}, "new violations (fix them, or add them to KNOWN with their finding)"
    assert fixed == [], "fixed findings: remove them from KNOWN"
    assert set(KNOWN.values()) == set(FINDINGS)


def _readme_table() -> str:
    section = README.read_text().split("\n## Changing a deployed stack\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    return "\n".join(lines)


@pytest.mark.slow
def test_the_readme_table_is_the_matrix(results: list[CaseResult]) -> None:
    findings: dict[str, list[str]] = {}
    for (change, _, _), finding in KNOWN.items():
        findings.setdefault(change, []).append(finding)
    assert _readme_table() == table(results, findings)
    assert f"worked out for {len(CASES)} real changes" in README.read_text()


@pytest.mark.slow
def test_a_bare_rename_restarts_the_job_on_new_resources(synthesizer: Synthesizer) -> None:
    """Why the README's renames keep their logical IDs: without, the check reports it."""
    result = run_case(BARE_RENAME, synthesizer)
    rules = {(v.rule, v.logical_id) for _, v in result.violations}
    assert ("job-restart", "EntitiesJobED794C26") in rules


@pytest.mark.slow
def test_the_documented_renames_change_no_job_and_replace_nothing(
    results: list[CaseResult],
) -> None:
    renames = [r for r in results if r.case.kind == "rename"]
    assert len(renames) == 2
    for result in renames:
        diff = result.diffs["Analysis"]
        assert diff.replaced == frozenset() and result.violations == []
        changed = {k for k in diff.resources("after") if diff.action(k)}
        # Only tags that name construct paths move (the VPC's and subnets' Name, the
        # upload's owner tag): in-place updates of no job, key, role or policy.
        kinds = {diff.resources("after")[k]["Type"] for k in changed}
        assert {diff.action(k) for k in changed} <= {"update"}, result.case.name
        assert kinds <= {
            "AWS::S3::Bucket",
            "AWS::EC2::VPC",
            "AWS::EC2::Subnet",
            "AWS::EC2::RouteTable",
            "AWS::EC2::VPCEndpoint",
        }, result.case.name
