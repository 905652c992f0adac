"""Routes to S3 in the app: which route tables have an S3 gateway endpoint or a default
route through a NAT or internet gateway, the synth check that ``JobNetwork``'s own S3
gateway endpoint shares no route table with another one, and the warning for subnets
whose routes cannot be seen at synth.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import jsii
from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from constructs import Construct, IValidation

#: An S3 service name written out (``com.amazonaws.<region>.s3``).
_S3_SERVICE_NAME = re.compile(r"^(?:cn\.)?com\.amazonaws\.[a-z0-9-]+\.s3$")


#: The fix of a JobNetwork on an imported VPC (``existing_vpc``): say so, or add an endpoint.
S3_ROUTE_FIX_IMPORTED_VPC = (
    "pass s3_gateway_endpoint=False to say so (no warning), or s3_gateway_endpoint=True, "
    "with the subnets' route table IDs, to have an S3 gateway endpoint added"
)
#: The fix of a JobNetwork on subnet IDs (``JobNetwork.from_ids``): without the VPC no
#: endpoint can be added, so saying so is the only answer.
S3_ROUTE_FIX_BY_IDS = (
    "pass s3_gateway_endpoint=False to JobNetwork.from_ids to say so (no warning; "
    "without the VPC no endpoint can be added)"
)


def s3_route_warning(subnet_ids: Sequence[str], fix: str) -> str:
    """The ``comprehend-jobs:s3-route`` warning for job subnets whose routes cannot be
    checked at synth, ending in ``fix``: how the user vouches for the routes where they
    are (a prop in Python, a context key in the example app)."""
    return (
        f"Comprehend jobs in subnets {', '.join(subnet_ids)} need a route to S3 to read "
        "their input and write their results, and their routes cannot be checked at synth "
        "(the VPC or subnets are imported). Fix: make sure their route tables have an S3 "
        f"gateway endpoint or a default route through a NAT gateway, then {fix}."
    )


def route_table_id(subnet: ec2.ISubnet) -> str | None:
    """The subnet's route table ID, or None when unknown (an imported subnet without it)."""
    try:
        table_id = subnet.route_table.route_table_id
    except Exception:  # jsii: an imported subnet's routeTableId is undefined
        return None
    return table_id or None


def _key(stack: Stack, value: Any) -> str:
    """A comparable form of a value that may hold tokens (resolved in ``stack``)."""
    return json.dumps(stack.resolve(value), sort_keys=True)


class S3Routes:
    """The app's S3 gateway endpoints and default routes, by route table (resolved)."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        #: Route table key -> the S3 gateway endpoints (CfnVPCEndpoint) on it.
        self.endpoints: dict[str, list[ec2.CfnVPCEndpoint]] = {}
        #: Route tables with a 0.0.0.0/0 route through a NAT or internet gateway.
        self.default_routes: set[str] = set()

    @classmethod
    def scan(cls, vpc: ec2.IVpc) -> S3Routes:
        """Every ``AWS::EC2::VPCEndpoint`` for S3 of type Gateway and every default route
        through a NAT or internet gateway in the app, compared in the VPC's stack."""
        stack = Stack.of(vpc)
        routes = cls(stack)
        s3_name = _key(stack, ec2.GatewayVpcEndpointAwsService.S3.name)
        for construct in vpc.node.root.node.find_all():
            if isinstance(construct, ec2.CfnVPCEndpoint):
                if construct.vpc_endpoint_type not in (None, "Gateway"):
                    continue
                name = stack.resolve(construct.service_name)
                if not (
                    _key(stack, name) == s3_name
                    or (isinstance(name, str) and _S3_SERVICE_NAME.match(name))
                ):
                    continue
                tables = stack.resolve(construct.route_table_ids)
                for table in tables if isinstance(tables, list) else []:
                    key = json.dumps(table, sort_keys=True)
                    routes.endpoints.setdefault(key, []).append(construct)
            elif (
                isinstance(construct, ec2.CfnRoute)
                and construct.destination_cidr_block == "0.0.0.0/0"
                and (construct.nat_gateway_id or construct.gateway_id)
            ):
                routes.default_routes.add(_key(stack, construct.route_table_id))
        return routes

    def has_endpoint(self, route_table_id: str | None) -> bool:
        """True when an S3 gateway endpoint is on the route table."""
        return _key(self.stack, route_table_id) in self.endpoints

    def has_default_route(self, route_table_id: str | None) -> bool:
        """True when the route table sends 0.0.0.0/0 to a NAT or internet gateway."""
        return _key(self.stack, route_table_id) in self.default_routes


def _route_table_name(key: str) -> str:
    """A route table as a reader knows it: its ID, or the logical ID of the one in the app."""
    value = json.loads(key)
    if isinstance(value, dict) and "Ref" in value:
        return str(value["Ref"])
    return value if isinstance(value, str) else key


@jsii.implements(IValidation)
class OneS3EndpointPerRouteTable:
    """Fails synth when another S3 gateway endpoint shares a route table with the one
    JobNetwork added (CloudFormation would reject the duplicate prefix-list route)."""

    def __init__(
        self,
        owner: Construct,
        vpc: ec2.IVpc,
        endpoint: ec2.GatewayVpcEndpoint,
        subnets: list[ec2.ISubnet],
    ) -> None:
        self._owner = owner
        self._vpc = vpc
        self._endpoint = endpoint
        self._subnets = subnets

    def validate(self) -> list[str]:
        routes = S3Routes.scan(self._vpc)
        ours = self._endpoint.node.path
        shared: list[str] = []
        for subnet in self._subnets:
            key = _key(routes.stack, route_table_id(subnet))
            others = [
                e for e in routes.endpoints.get(key, []) if not e.node.path.startswith(f"{ours}/")
            ]
            if others:
                shared.append(
                    f"{_route_table_name(key)} (subnet {subnet.node.path}; also "
                    f"{', '.join(e.node.path for e in others)})"
                )
        if not shared:
            return []
        return [
            f"JobNetwork {self._owner.node.path} added an S3 gateway endpoint for its job "
            "subnets, and another S3 gateway endpoint is on the same route tables: "
            f"{'; '.join(sorted(shared))}. CloudFormation rejects two S3 gateway endpoints "
            "on one route table (duplicate prefix-list route). Fix: pass "
            "s3_gateway_endpoint=False to the JobNetwork (the VPC's own endpoint routes S3), "
            "or remove the other endpoint."
        ]
