"""The example app's resources built from aws-cdk-lib alone: the floor of its synth time.

Each stack here holds about the same resources as a default ``ComprehendAnalysis`` stack
(41 against 40, of the same types: 3 keys, 3 buckets, a 2-AZ isolated VPC with an S3
endpoint and flow logs, a security group with its rules, 5 roles, 4 managed policies,
3 log groups, 3 functions, a custom resource), made with plain aws-cdk-lib constructs and
none of this library's code or checks. The benchmark compares it with ``app.py`` to tell
how much of the app's synth time is aws-cdk-lib's work on these resources, and how much
is ours and cdk-nag's.

It is an approximation for timing only: the properties, policies and acknowledgments are
not the library's, and nothing here is meant to be deployed.
"""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import custom_resources as cr

HANDLER_CODE = Path(__file__).resolve().parent.parent / "lambda"


def floor_stack(app: cdk.App, stack_id: str) -> cdk.Stack:
    """One stack of the example app's resource types and counts, from aws-cdk-lib only."""
    stack = cdk.Stack(app, stack_id)
    data_key, volume_key, log_key = (
        kms.Key(stack, name, enable_key_rotation=True) for name in ("Data", "Volume", "Logs")
    )
    access_logs = s3.Bucket(stack, "AccessLogs", enforce_ssl=True)
    buckets = [
        s3.Bucket(
            stack,
            name,
            encryption_key=data_key,
            enforce_ssl=True,
            server_access_logs_bucket=access_logs,
        )
        for name in ("Input", "Output")
    ]
    vpc = ec2.Vpc(
        stack,
        "Vpc",
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Jobs", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        ],
        gateway_endpoints={
            "S3": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.S3)
        },
    )
    flow_logs = logs.LogGroup(stack, "FlowLogs", encryption_key=log_key)
    vpc.add_flow_log("FlowLog", destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_logs))
    group = ec2.SecurityGroup(stack, "Jobs", vpc=vpc, allow_all_outbound=False)
    group.add_ingress_rule(group, ec2.Port.all_tcp())
    group.add_ingress_rule(group, ec2.Port.all_udp())
    group.add_egress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(443))
    group.add_egress_rule(group, ec2.Port.all_tcp())

    data_role = iam.Role(
        stack, "DataAccessRole", assumed_by=iam.ServicePrincipal("comprehend.amazonaws.com")
    )
    handler_role = iam.Role(
        stack, "HandlerRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com")
    )
    grants = {
        "DataPolicy": (data_role, "s3:GetObject", [b.arn_for_objects("*") for b in buckets]),
        "KeyPolicy": (data_role, "kms:Decrypt", [data_key.key_arn, volume_key.key_arn]),
        "VpcPolicy": (data_role, "ec2:CreateNetworkInterface", ["*"]),
        "CallerPolicy": (handler_role, "comprehend:StartEntitiesDetectionJob", ["*"]),
    }
    for name, (role, action, resources) in grants.items():
        statement = iam.PolicyStatement(actions=[action], resources=resources)
        iam.ManagedPolicy(stack, name, roles=[role], statements=[statement])

    handler = lambda_.Function(
        stack,
        "OnEvent",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="analysis_job.on_event",
        code=lambda_.Code.from_asset(str(HANDLER_CODE)),
        role=handler_role,
        log_group=logs.LogGroup(stack, "HandlerLogs", encryption_key=log_key),
    )
    provider = cr.Provider(
        stack,
        "Provider",
        on_event_handler=handler,
        log_group=logs.LogGroup(stack, "ProviderLogs", encryption_key=log_key),
    )
    cdk.CustomResource(
        stack, "Job", service_token=provider.service_token, resource_type="Custom::AnalysisJob"
    )
    return stack
