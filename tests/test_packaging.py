"""Each addon is pip-installable the OCA way (a whool pyproject.toml), and its
wheel declares what it imports: every third-party module the addon's code
imports comes with Odoo itself (Odoo's requirements.txt) or is named in the
manifest's external_dependencies, which whool turns into Requires-Dist.
setup/package.sh builds and installs the wheels themselves."""

import ast
import importlib.metadata as md
import os
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ADDONS = ("coi_tracking", "coi_tracking_portal", "coi_tracking_api")
ODOO_PATH = Path(os.environ.get("ODOO_PATH", "/opt/odoo19"))
# Names the addons import that are not distributions: Odoo, and the engine
# loaded by path in a child process (engine/extract/isolated.py).
NOT_DISTRIBUTIONS = {"odoo", "coi_engine"}


def manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_imports(addon):
    """Top-level names of the absolute imports of the addon's code (its
    tests/ left out: they are not run in production)."""
    names = set()
    for path in (ROOT / addon).rglob("*.py"):
        if "tests" in path.relative_to(ROOT / addon).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - NOT_DISTRIBUTIONS


def odoo_requirements():
    names = set()
    for line in (ODOO_PATH / "requirements.txt").read_text().splitlines():
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
        if match:
            names.add(normalize(match.group(1)))
    return names


@pytest.mark.parametrize("addon", ADDONS)
def test_pyproject_uses_the_whool_build_backend(addon):
    data = tomllib.loads((ROOT / addon / "pyproject.toml").read_text())
    assert data["build-system"] == {"requires": ["whool"], "build-backend": "whool.buildapi"}
    # whool names the distribution after the addon and takes the version from
    # the manifest: nothing to repeat in a [project] table.
    assert "project" not in data


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_has_what_whool_needs(addon):
    data = manifest(addon)
    assert re.fullmatch(r"19\.0\.\d+\.\d+\.\d+", data["version"])
    for key in ("name", "summary", "license", "author", "website"):
        assert data.get(key), f"{addon}: {key} missing from the manifest"


@pytest.mark.parametrize("addon", ADDONS)
def test_every_imported_distribution_is_declared(addon):
    declared = {
        normalize(dep) for dep in manifest(addon).get("external_dependencies", {}).get("python", [])
    }
    provided = odoo_requirements()
    owners = md.packages_distributions()
    undeclared = {}
    for module in sorted(runtime_imports(addon)):
        dists = {normalize(d) for d in owners.get(module, [module])}
        if not dists & (declared | provided):
            undeclared[module] = sorted(dists)
    assert not undeclared, f"{addon} imports {undeclared}: add to external_dependencies"


@pytest.mark.parametrize("addon", ADDONS)
def test_declared_dependencies_are_installed_by_setup(addon):
    # Odoo refuses to install an addon whose external dependency is missing.
    for dep in manifest(addon).get("external_dependencies", {}).get("python", []):
        assert md.version(dep), dep


def test_dist_and_build_folders_are_ignored():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "dist/" in ignored and "build/" in ignored
