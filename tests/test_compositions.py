"""Every composition the public API accepts is refused at synth or deploys and runs.

The composition generator (``tests/compositions/``) enumerates the option space as data
(``dimensions``), draws a seeded covering design of it (``covering``, ``sample``), builds
each composition through ``comprehend_jobs``' exports (``builder``) and gives one of two
outcomes (``runner``): refused with a ``PropValidationError`` that names a prop and a fix
and built nothing, or synthesized under the four cdk-nag packs and rehearsed with 0
denied, 0 unroutable and a clean parliament. A composition that holds no fault must
synthesize; one that holds a fault must be refused naming one of the fault's props.

``make test`` runs ``sample.TEST`` (marked slow); ``make quick`` runs ``sample.quick()``;
``make rehearse-all`` runs ``sample.FULL`` (``COMPOSITIONS=full``). The mutation tests
prove the runner fails a composition whose rehearsal finds a problem, or that crashes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from compositions import builder, runner, sample
from compositions.covering import covering_rows, uncovered_tuples
from compositions.dimensions import (
    DIMENSIONS,
    FAULTS,
    PATTERN_MODELS,
    excluded,
    fault,
    faults,
)
from rehearsal.nested import NESTED_STACK, flatten
from rehearsal.rehearse import DENIED, EXTERNAL, LOG_KEY_POLICY_WARNING, Outcome, log_keys
from rehearsal.template import DeployedTemplate, Environment

#: ``COMPOSITIONS=full`` (``make rehearse-all``) switches the slow test to the full sweep.
PLAN = sample.FULL if os.environ.get("COMPOSITIONS") == "full" else sample.TEST


def _id(index: int, row: Mapping[str, str]) -> str:
    return f"{index:03d}-" + "-".join(row[d] for d in ("form", "model", "place", "partition"))


def _check(row: Mapping[str, str]) -> runner.Outcome:
    outcome = runner.run(row)
    found = faults(row)
    if not found:
        assert outcome.kind == runner.SYNTHESIZED, f"{dict(row)}\n{outcome}"
    else:
        assert len(found) == 1, f"{dict(row)} holds {len(found)} faults: it tests one"
        ((_values, props, why),) = found
        assert outcome.kind == runner.REFUSED, f"{dict(row)} ({why})\n{outcome}"
        assert outcome.props and set(outcome.props) <= set(props), (
            f"{dict(row)}: refused for {outcome.props}, expected one of {props} ({why})"
        )
    return outcome


QUICK = sample.quick()


@pytest.mark.parametrize("row", QUICK, ids=[_id(i, r) for i, r in enumerate(QUICK)])
def test_a_few_compositions(row: dict[str, str]) -> None:
    _check(row)


ROWS = sample.compositions(PLAN)


@pytest.mark.slow
@pytest.mark.parametrize("row", ROWS, ids=[_id(i, r) for i, r in enumerate(ROWS)])
def test_every_composition_is_refused_or_deploys(row: dict[str, str]) -> None:
    _check(row)


# -- the design ------------------------------------------------------------------------


def test_the_test_designs_cover_every_pair_and_the_sweep_every_triple() -> None:
    space = sample.space()

    def not_valid(assignment: Mapping[str, str]) -> str | None:
        return excluded(assignment) or (None if fault(assignment) is None else "fault")

    for seed in sample.TEST.seeds:
        rows = [dict(r) for r in sample.valid(2, seed)]
        assert uncovered_tuples(space, rows, strength=2, excluded=not_valid) == []
        assert all(not_valid(r) is None for r in rows)


@pytest.mark.slow
@pytest.mark.skipif(PLAN is not sample.FULL, reason="the sweep's design: make rehearse-all")
def test_the_sweep_covers_every_triple() -> None:
    space = sample.space()
    rows = [dict(r) for r in sample.valid(3, sample.FULL.seeds[0])]

    def not_valid(assignment: Mapping[str, str]) -> str | None:
        return excluded(assignment) or (None if fault(assignment) is None else "fault")

    assert uncovered_tuples(space, rows, strength=3, excluded=not_valid) == []


def test_the_design_is_seeded() -> None:
    space = {"a": ["1", "2", "3"], "b": ["x", "y"], "c": ["p", "q", "r"], "d": ["0", "1"]}
    first = covering_rows(space, strength=2, seed=7)
    assert first == covering_rows(space, strength=2, seed=7)
    assert uncovered_tuples(space, first, strength=2) == []
    # At least the product of the two largest dimensions, and not much more.
    assert 9 <= len(first) <= 12


def test_every_fault_has_refused_rows_and_every_value_is_built() -> None:
    faulty = sample.faulty(sample.TEST)
    for values, _props, why in FAULTS:
        holding = [r for r in faulty if [f[0] for f in faults(r)] == [values]]
        assert holding, f"no row holds the fault {values} ({why})"
    rows = sample.compositions(sample.TEST)
    for name, values in DIMENSIONS.items():
        built = {r[name] for r in rows}
        assert built == set(values), f"{name}: never built {set(values) - built}"


# -- mutations: the runner fails what it must --------------------------------------------

#: A composition that synthesizes (the library makes its log key): the mutations below
#: break it in one place each.
CLEAN = next(
    dict(r) for r in sample.valid(2, 1) if dict(r)["log_key"] == "made" and dict(r)["jobs"] == "1"
)


def test_the_runner_fails_a_composition_whose_log_key_cloudwatch_logs_may_not_use() -> None:
    # GIVEN the library's log-key statement for another Region's CloudWatch Logs
    from aws_cdk import aws_iam as iam

    import comprehend_jobs.job_handler as job_handler_module

    def elsewhere(stack: Any) -> iam.PolicyStatement:
        return iam.PolicyStatement(
            sid="AllowCloudWatchLogsOfThisAccount",
            principals=[iam.ServicePrincipal("logs.eu-west-3.amazonaws.com")],
            actions=["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
            resources=["*"],
        )

    with mock.patch.object(job_handler_module, "log_key_statement", elsewhere):
        outcome = runner.run(CLEAN)
    # THEN the rehearsal denies CloudWatch Logs the key, and the composition fails
    assert outcome.kind == runner.FAILURE
    assert any("DENIED [logs]" in p and "CloudWatch Logs" in p for p in outcome.problems), outcome


def test_the_runner_fails_a_composition_the_rehearsal_denies() -> None:
    # GIVEN a rehearsal that denies one call of every stack
    real = runner.rehearse

    def denying(*args: Any, **kwargs: Any) -> list[Outcome]:
        return [*real(*args, **kwargs), Outcome("handler", DENIED, "a call", "mutation")]

    with mock.patch.object(runner, "rehearse", denying):
        outcome = runner.run(CLEAN)
    # THEN the composition is a failure, naming the denied call
    assert outcome.kind == runner.FAILURE
    assert any("DENIED [handler] a call" in p for p in outcome.problems), outcome


def test_the_runner_fails_a_crash() -> None:
    # GIVEN a library call that raises something other than PropValidationError
    def crashing(self: builder.Steps, label: str, *args: Any, **kwargs: Any) -> Any:
        raise KeyError(label)

    with mock.patch.object(builder.Steps, "call", crashing):
        outcome = runner.run(CLEAN)
    assert outcome.kind == runner.FAILURE
    assert outcome.detail == "crash"
    assert any("KeyError" in p for p in outcome.problems), outcome


def test_the_runner_fails_a_refusal_that_built_something() -> None:
    # GIVEN a construct that builds a child, then refuses
    from aws_cdk import aws_s3 as s3

    import comprehend_jobs as cj

    real = builder.Steps.call

    def half_built(self: builder.Steps, label: str, function: Any, *args: Any, **kw: Any) -> Any:
        if label.startswith(("JobStorage", "ComprehendAnalysis")):

            def build_then_refuse(scope: Any, *a: Any, **k: Any) -> Any:
                s3.Bucket(scope, "Leftover")
                raise cj.PropValidationError("X", ["storage=1 is not valid: a storage. Fix: no"])

            return real(self, label, build_then_refuse, *args, **kw)
        return real(self, label, function, *args, **kw)

    with mock.patch.object(builder.Steps, "call", half_built):
        outcome = runner.run(CLEAN)
    assert outcome.kind == runner.FAILURE
    assert any("built" in p and "Leftover" in p for p in outcome.problems), outcome


def test_the_runner_fails_an_unexpected_warning() -> None:
    # GIVEN a composition that gives a synth warning on purpose (an env-agnostic stack
    # naming a Region's model)
    row = next(
        dict(r)
        for r in sample.valid(2, 1)
        if dict(r)["partition"] == "agnostic" and dict(r)["model"] in PATTERN_MODELS
    )
    # WHEN no warning is expected of it, THEN it fails, naming the warning
    with mock.patch.object(runner, "expected_warnings", lambda c: set()):
        outcome = runner.run(row)
    assert outcome.kind == runner.FAILURE
    assert any("unexpected synth warning" in p for p in outcome.problems), outcome


# -- what the rehearsal learned for the generator ------------------------------------------


@pytest.mark.parametrize(
    ("region", "partition", "suffix"),
    [
        ("us-east-1", "aws", "amazonaws.com"),
        ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
        ("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
        (None, "aws", "amazonaws.com"),
    ],
)
def test_a_stack_deploys_in_its_regions_partition(
    region: str | None, partition: str, suffix: str
) -> None:
    env = Environment.of("111111111111", region)
    assert (env.partition, env.url_suffix) == (partition, suffix)
    deployed = DeployedTemplate("S", {"Resources": {}}, env)
    assert deployed.resolve({"Fn::Sub": "arn:${AWS::Partition}:s3:::x.${AWS::URLSuffix}"}) == (
        f"arn:{partition}:s3:::x.{suffix}"
    )


def test_a_nested_stack_is_rehearsed_with_its_parent(tmp_path: Path) -> None:
    # GIVEN a parent whose key a nested stack's log group uses (a parameter), and whose
    # output reads the nested stack's group
    digest = "ab" * 32
    nested = {
        "Parameters": {"KeyArn": {"Type": "String"}},
        "Resources": {
            "Group": {"Type": "AWS::Logs::LogGroup", "Properties": {"KmsKeyId": {"Ref": "KeyArn"}}}
        },
        "Outputs": {"GroupArn": {"Value": {"Fn::GetAtt": ["Group", "Arn"]}}},
    }
    parent = {
        "Resources": {
            "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Statement": []}}},
            "Nested": {
                "Type": NESTED_STACK,
                "Properties": {
                    "TemplateURL": {"Fn::Join": ["", ["https://s3/", f"{digest}.json"]]},
                    "Parameters": {"KeyArn": {"Fn::GetAtt": ["Key", "Arn"]}},
                },
            },
            "Reader": {
                "Type": "AWS::SSM::Parameter",
                "Properties": {"Value": {"Fn::GetAtt": ["Nested", "Outputs.GroupArn"]}},
            },
        }
    }
    (tmp_path / "nested.json").write_text(json.dumps(nested))
    (tmp_path / "P.assets.json").write_text(
        json.dumps({"files": {digest: {"source": {"path": "nested.json"}}}})
    )
    # WHEN it is flattened and resolved
    deployed = DeployedTemplate("P", flatten(parent, tmp_path), Environment.of(None, None))
    # THEN the group is the parent's, keyed by the parent's key, and the output is read
    key_arn = deployed._attribute("Key", "Arn")
    assert deployed.resources["Group"]["Properties"]["KmsKeyId"] == key_arn
    assert deployed.resources["Reader"]["Properties"]["Value"] == deployed._attribute(
        "Group", "Arn"
    )
    assert "Nested" not in deployed.resources


def test_a_log_key_the_template_does_not_hold_needs_a_warning() -> None:
    from comprehend_jobs.job_handler import LOG_KEY_POLICY_WARNING as LIBRARY_WARNING

    # The rehearsal reads the warning the library gives (the same ID, kept in step).
    assert LOG_KEY_POLICY_WARNING == LIBRARY_WARNING
    foreign = "arn:aws:kms:us-east-1:222222222222:key/7f7f7f7f-1111-2222-3333-444455556666"
    template = {
        "Resources": {"Group": {"Type": "AWS::Logs::LogGroup", "Properties": {"KmsKeyId": foreign}}}
    }
    deployed = DeployedTemplate("S", template)
    (silent,) = log_keys(deployed, [])
    assert silent.verdict == DENIED
    (warned,) = log_keys(deployed, [f"... [ack: {LOG_KEY_POLICY_WARNING}]"])
    assert warned.verdict == EXTERNAL
