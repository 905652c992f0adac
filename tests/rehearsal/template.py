"""A synthesized template as CloudFormation would deploy it: every intrinsic resolved.

``DeployedTemplate`` gives each resource the physical names and attributes CloudFormation
would give it in one fake account and Region (deterministic, in the formats AWS uses:
``arn:aws:iam::<account>:role/<name>``, ``sg-<17 hex>``, a UUID key ID, ...), then resolves
``Ref``, ``Fn::GetAtt``, ``Fn::Join``, ``Fn::Sub``, ``Fn::Select``, ``Fn::Split``,
``Fn::GetAZs``, ``Fn::If`` (with the template's conditions), ``Fn::FindInMap``,
``Fn::Base64`` and the pseudo parameters. Resources whose condition is false are left out,
as CloudFormation would. What the template does not define (an imported VPC's subnets, a
key in another account) stays as the literal the template holds: the rehearsal tells those
apart as external.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: The fake deployment target (any account and Region would do; these read well).
ACCOUNT = "111111111111"
REGION = "us-east-1"
PARTITION = "aws"
URL_SUFFIX = "amazonaws.com"

_NO_VALUE = object()
#: Region prefix -> (partition, URL suffix), for the Regions outside the ``aws`` partition.
_PARTITIONS: dict[str, tuple[str, str]] = {
    "cn-": ("aws-cn", "amazonaws.com.cn"),
    "us-gov-": ("aws-us-gov", "amazonaws.com"),
}


class UnresolvableError(ValueError):
    """An intrinsic the rehearsal cannot resolve (a template it does not understand)."""


def _hex(seed: str, length: int) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:length]


@dataclass(frozen=True)
class Environment:
    """Where the template is deployed."""

    account: str = ACCOUNT
    region: str = REGION
    partition: str = PARTITION
    url_suffix: str = URL_SUFFIX

    @classmethod
    def of(cls, account: str | None = None, region: str | None = None) -> Environment:
        """The environment of a stack in ``account`` and ``region`` (the fake ones where a
        stack names none): the partition and URL suffix are the Region's, as
        CloudFormation's ``AWS::Partition`` and ``AWS::URLSuffix`` give them."""
        region = region or REGION
        partition, url_suffix = PARTITION, URL_SUFFIX
        for prefix, (name, suffix) in _PARTITIONS.items():
            if region.startswith(prefix):
                partition, url_suffix = name, suffix
        return cls(
            account=account or ACCOUNT, region=region, partition=partition, url_suffix=url_suffix
        )


class DeployedTemplate:
    """One stack's template with every value resolved as CloudFormation would."""

    def __init__(
        self, stack_name: str, template: Mapping[str, Any], env: Environment | None = None
    ) -> None:
        self.stack_name = stack_name
        self.template = template
        self.env = env or Environment()
        self.stack_id = (
            f"arn:{self.env.partition}:cloudformation:{self.env.region}:{self.env.account}:"
            f"stack/{stack_name}/{uuid.uuid5(uuid.NAMESPACE_URL, stack_name)}"
        )
        self._conditions: dict[str, bool] = {}
        raw_resources: Mapping[str, Any] = template.get("Resources", {})
        for name in template.get("Conditions", {}):
            self._condition(name)
        self.raw_resources = {
            logical_id: resource
            for logical_id, resource in raw_resources.items()
            if "Condition" not in resource or self._condition(resource["Condition"])
        }
        self._physical = {
            logical_id: self._physical_id(logical_id, resource)
            for logical_id, resource in self.raw_resources.items()
        }
        #: Logical ID -> the resource with its Properties resolved.
        self.resources: dict[str, dict[str, Any]] = {
            logical_id: {
                **resource,
                "Properties": self.resolve(resource.get("Properties", {})),
            }
            for logical_id, resource in self.raw_resources.items()
        }

    # -- physical names and attributes ---------------------------------------------------

    def _name(self, logical_id: str, limit: int = 64) -> str:
        # CloudFormation's generated names: <stack>-<logical id>-<random suffix>.
        return f"{self.stack_name}-{logical_id}"[: limit - 13] + "-" + _hex(logical_id, 12).upper()

    def _physical_id(self, logical_id: str, resource: Mapping[str, Any]) -> str:
        kind = resource["Type"]
        props = resource.get("Properties", {})
        env = self.env
        seed = f"{self.stack_name}/{logical_id}"
        if kind == "AWS::IAM::Role":
            return str(props.get("RoleName") or self._name(logical_id))
        if kind == "AWS::IAM::ManagedPolicy":
            name = props.get("ManagedPolicyName") or self._name(logical_id, 128)
            return f"arn:{env.partition}:iam::{env.account}:policy/{name}"
        if kind == "AWS::S3::Bucket":
            given = props.get("BucketName")
            return str(given) if isinstance(given, str) else self._name(logical_id, 63).lower()
        if kind == "AWS::KMS::Key":
            return str(uuid.uuid5(uuid.NAMESPACE_OID, seed))
        if kind == "AWS::KMS::Alias":
            return str(props.get("AliasName"))
        if kind == "AWS::Lambda::Function":
            return str(props.get("FunctionName") or self._name(logical_id))
        if kind == "AWS::Logs::LogGroup":
            given = props.get("LogGroupName")
            return str(given) if isinstance(given, str) else self._name(logical_id, 512)
        if kind == "AWS::StepFunctions::StateMachine":
            return (
                f"arn:{env.partition}:states:{env.region}:{env.account}:stateMachine:"
                f"{self._name(logical_id, 80)}"
            )
        prefixes = {
            "AWS::EC2::VPC": "vpc-",
            "AWS::EC2::Subnet": "subnet-",
            "AWS::EC2::RouteTable": "rtb-",
            "AWS::EC2::SecurityGroup": "sg-",
            "AWS::EC2::VPCEndpoint": "vpce-",
            "AWS::EC2::NatGateway": "nat-",
            "AWS::EC2::InternetGateway": "igw-",
            "AWS::EC2::FlowLog": "fl-",
        }
        if kind in prefixes:
            return prefixes[kind] + _hex(seed, 17)
        if kind == "Custom::ComprehendAnalysisJob":
            return self.job_arn(logical_id)
        return f"{logical_id}-{_hex(seed, 8)}"

    def job_arn(self, logical_id: str) -> str:
        """The ARN the handler's Start*Job returns for this job resource (a fake job ID)."""
        from comprehend_jobs._lambda.job_types import JOB_TYPES

        job_type = JOB_TYPES[self.raw_resources[logical_id]["Properties"]["JobType"]]
        env = self.env
        return (
            f"arn:{env.partition}:comprehend:{env.region}:{env.account}:"
            f"{job_type.arn_resource}/{_hex(self.stack_name + logical_id, 32)}"
        )

    def _attribute(self, logical_id: str, attribute: str) -> Any:
        if logical_id not in self.raw_resources:
            raise UnresolvableError(f"Fn::GetAtt of unknown resource {logical_id}")
        resource = self.raw_resources[logical_id]
        kind = resource["Type"]
        physical = self._physical[logical_id]
        env = self.env
        arns = {
            "AWS::IAM::Role": f"arn:{env.partition}:iam::{env.account}:role/{physical}",
            "AWS::S3::Bucket": f"arn:{env.partition}:s3:::{physical}",
            "AWS::KMS::Key": f"arn:{env.partition}:kms:{env.region}:{env.account}:key/{physical}",
            "AWS::Lambda::Function": (
                f"arn:{env.partition}:lambda:{env.region}:{env.account}:function:{physical}"
            ),
            "AWS::Logs::LogGroup": (
                f"arn:{env.partition}:logs:{env.region}:{env.account}:log-group:{physical}:*"
            ),
            "AWS::StepFunctions::StateMachine": physical,
        }
        if attribute == "Arn" and kind in arns:
            return arns[kind]
        special: dict[tuple[str, str], Any] = {
            ("AWS::IAM::Role", "RoleId"): "AROA" + _hex(physical, 17).upper(),
            ("AWS::KMS::Key", "KeyId"): physical,
            ("AWS::S3::Bucket", "DomainName"): f"{physical}.s3.{env.url_suffix}",
            ("AWS::S3::Bucket", "RegionalDomainName"): (
                f"{physical}.s3.{env.region}.{env.url_suffix}"
            ),
            ("AWS::StepFunctions::StateMachine", "Name"): physical.rsplit(":", 1)[-1],
            ("AWS::EC2::SecurityGroup", "GroupId"): physical,
            ("AWS::EC2::VPC", "VpcId"): physical,
            ("AWS::EC2::VPC", "CidrBlock"): "10.0.0.0/16",
            ("AWS::EC2::VPC", "DefaultSecurityGroup"): "sg-" + _hex(physical + "default", 17),
            ("AWS::EC2::Subnet", "SubnetId"): physical,
            ("AWS::EC2::Subnet", "AvailabilityZone"): env.region + "a",
        }
        if (kind, attribute) in special:
            return special[(kind, attribute)]
        if kind == "Custom::ComprehendAnalysisJob":
            job_arn = physical
            values = {
                "JobArn": job_arn,
                "JobId": job_arn.rsplit("/", 1)[-1],
                "JobStatus": "SUBMITTED",
                "OutputS3Uri": "s3://results/output.tar.gz",
            }
            if attribute in values:
                return values[attribute]
        # Attributes nothing in the rehearsal reads: a stable placeholder.
        return f"{physical}.{attribute}"

    def physical_id(self, logical_id: str) -> str:
        """What ``Ref`` gives for the resource."""
        return self._physical[logical_id]

    # -- intrinsics ----------------------------------------------------------------------

    def _condition(self, name: str) -> bool:
        if name not in self._conditions:
            expression = self.template.get("Conditions", {}).get(name)
            if expression is None:
                raise UnresolvableError(f"unknown condition {name}")
            self._conditions[name] = bool(self._evaluate_condition(expression))
        return self._conditions[name]

    def _evaluate_condition(self, expression: Any) -> Any:
        if isinstance(expression, dict) and len(expression) == 1:
            ((function, args),) = expression.items()
            if function == "Fn::Equals":
                left, right = (self._resolve_value(a) for a in args)
                return left == right
            if function == "Fn::Not":
                return not self._evaluate_condition(args[0])
            if function == "Fn::And":
                return all(self._evaluate_condition(a) for a in args)
            if function == "Fn::Or":
                return any(self._evaluate_condition(a) for a in args)
            if function == "Condition":
                return self._condition(args)
        return self._resolve_value(expression)

    def _pseudo(self, name: str) -> Any:
        env = self.env
        values = {
            "AWS::AccountId": env.account,
            "AWS::Region": env.region,
            "AWS::Partition": env.partition,
            "AWS::URLSuffix": env.url_suffix,
            "AWS::StackName": self.stack_name,
            "AWS::StackId": self.stack_id,
            "AWS::NoValue": _NO_VALUE,
        }
        if name in values:
            return values[name]
        parameter = self.template.get("Parameters", {}).get(name)
        if parameter is not None:
            if "Default" not in parameter:
                raise UnresolvableError(f"parameter {name} has no default")
            return parameter["Default"]
        if name in self.raw_resources:
            return self._physical[name]
        raise UnresolvableError(f"Ref to unknown {name}")

    def resolve(self, value: Any) -> Any:
        """``value`` with every intrinsic replaced by what CloudFormation would put there."""
        resolved = self._resolve_value(value)
        return None if resolved is _NO_VALUE else resolved

    def _resolve_value(self, value: Any) -> Any:
        if isinstance(value, list):
            items = [self._resolve_value(v) for v in value]
            return [v for v in items if v is not _NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key,) = value
            args = value[key]
            handler = _INTRINSICS.get(key)
            if handler is not None:
                return handler(self, args)
        out = {}
        for k, v in value.items():
            resolved = self._resolve_value(v)
            if resolved is not _NO_VALUE:
                out[k] = resolved
        return out

    def _ref(self, name: str) -> Any:
        return self._pseudo(name)

    def _get_att(self, args: Any) -> Any:
        if isinstance(args, str):
            args = args.split(".", 1)
        logical_id, attribute = args[0], self._resolve_value(args[1])
        return self._attribute(logical_id, attribute)

    def _join(self, args: Any) -> str:
        separator, values = args
        parts = self._resolve_value(values)
        return str(separator).join(str(p) for p in parts)

    def _sub(self, args: Any) -> str:
        if isinstance(args, str):
            text, variables = args, {}
        else:
            text, variables = args[0], self._resolve_value(args[1])
        out = []
        i = 0
        while i < len(text):
            if text.startswith("${!", i):
                out.append("${")
                i += 3
                continue
            if text.startswith("${", i):
                end = text.index("}", i)
                name = text[i + 2 : end]
                if name in variables:
                    out.append(str(variables[name]))
                elif "." in name and name.split(".", 1)[0] in self.raw_resources:
                    out.append(str(self._get_att(name.split(".", 1))))
                else:
                    out.append(str(self._pseudo(name)))
                i = end + 1
                continue
            out.append(text[i])
            i += 1
        return "".join(out)

    def _select(self, args: Any) -> Any:
        index, values = self._resolve_value(args[0]), self._resolve_value(args[1])
        return values[int(index)]

    def _split(self, args: Any) -> list[str]:
        separator, text = args[0], self._resolve_value(args[1])
        return str(text).split(separator)

    def _get_azs(self, args: Any) -> list[str]:
        region = self._resolve_value(args) or self.env.region
        return [f"{region}{suffix}" for suffix in "abc"]

    def _if(self, args: Any) -> Any:
        name, when_true, when_false = args
        return self._resolve_value(when_true if self._condition(name) else when_false)

    def _find_in_map(self, args: Any) -> Any:
        name, key, attribute = (self._resolve_value(a) for a in args)
        return self.template["Mappings"][name][key][attribute]

    def _base64(self, args: Any) -> str:
        return base64.b64encode(str(self._resolve_value(args)).encode()).decode()

    # -- reading -------------------------------------------------------------------------

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        """Logical ID -> resolved resource, for every resource of CloudFormation type ``kind``."""
        return {k: r for k, r in self.resources.items() if r["Type"] == kind}

    def by_attribute(self, kind: str, attribute: str, value: Any) -> str | None:
        """The logical ID of the ``kind`` resource whose ``attribute`` (or Ref) is ``value``."""
        for logical_id, resource in self.raw_resources.items():
            if resource["Type"] != kind:
                continue
            actual = (
                self._physical[logical_id]
                if attribute == "Ref"
                else self._attribute(logical_id, attribute)
            )
            if actual == value:
                return logical_id
        return None

    def dump(self) -> str:
        """The resolved resources as JSON (for a failing test's message)."""
        return json.dumps(self.resources, indent=1, sort_keys=True, default=str)


_INTRINSICS = {
    "Ref": DeployedTemplate._ref,
    "Fn::GetAtt": DeployedTemplate._get_att,
    "Fn::Join": DeployedTemplate._join,
    "Fn::Sub": DeployedTemplate._sub,
    "Fn::Select": DeployedTemplate._select,
    "Fn::Split": DeployedTemplate._split,
    "Fn::GetAZs": DeployedTemplate._get_azs,
    "Fn::If": DeployedTemplate._if,
    "Fn::FindInMap": DeployedTemplate._find_in_map,
    "Fn::Base64": DeployedTemplate._base64,
}
