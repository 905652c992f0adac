"""The declared minimum versions, exactly: what ``make test-min`` installs.

    python tests/min_versions.py    # one requirement a line, for pip install -r

Every runtime dependency in pyproject.toml is pinned to its lower bound, so the floor the
package declares is the floor the tests run on and the two cannot drift. boto3 brings
the botocore of its own release; the IntegTest alpha follows aws-cdk-lib's version
(``<version>a0``); the other development tools are taken as declared.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
#: Released with aws-cdk-lib and versioned after it: pinned to the floor's own release.
INTEG_ALPHA = "aws-cdk.integ-tests-alpha"
_LOWER = re.compile(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)")


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~;\s]", requirement, maxsplit=1)[0]


def floor_pins(pyproject: Mapping[str, Any]) -> list[str]:
    """``name==lower bound`` for each runtime dependency, plus what must match them."""
    project = pyproject["project"]
    pins: dict[str, str] = {}
    for requirement in project["dependencies"]:
        found = _LOWER.match(requirement)
        if found is None:
            raise ValueError(f"dependency {requirement!r} declares no lower bound (>=)")
        pins[found.group(1)] = found.group(3)
    lines = [f"{name}=={version}" for name, version in pins.items()]
    if "boto3" in pins:
        lines.append(f"botocore=={pins['boto3']}")
    lines.append(f"{INTEG_ALPHA}=={pins['aws-cdk-lib']}a0")
    return lines


def dev_tools(pyproject: Mapping[str, Any]) -> list[str]:
    """The development extra as declared, without the IntegTest alpha (pinned to the floor)."""
    project = pyproject["project"]
    dev: list[str] = project["optional-dependencies"]["dev"]
    return [r for r in dev if _name(r) != INTEG_ALPHA]


def main() -> None:
    """Print the requirements of the floor environment."""
    pyproject = tomllib.loads(PYPROJECT.read_text())
    sys.stdout.write("".join(f"{line}\n" for line in floor_pins(pyproject) + dev_tools(pyproject)))


if __name__ == "__main__":
    main()
