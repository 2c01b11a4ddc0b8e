"""The checks of setup/package.sh, run by the Python of the clean venv the
wheels were installed into (standard library only): one "ok" or "FAIL" line
per check.

    python package_checks.py REPO_DIR DIST_DIR INSTALL_OK ADDON...
"""

import ast
import importlib.metadata as md
import subprocess
import sys
import zipfile
from pathlib import Path

SERIES = "19.0"


def check(results, label, ok, detail=""):
    results.append(bool(ok))
    suffix = f": {detail}" if detail and not ok else ""
    print(f"{'ok  ' if ok else 'FAIL'} {label}{suffix}", flush=True)


def check_wheel(results, repo, dist, addon, manifest):
    wheels = sorted(dist.glob(f"odoo_addon_{addon}-*-py3-none-any.whl"))
    check(results, f"{addon}: one wheel built", len(wheels) == 1, [w.name for w in wheels])
    if not wheels:
        return
    version = wheels[0].name.split("-")[1]
    check(
        results,
        f"{addon}: wheel version {version} is the manifest's {manifest['version']}",
        version == manifest["version"] or version.startswith(manifest["version"] + "."),
    )
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
    prefix = f"odoo/addons/{addon}/"
    shipped = {name[len(prefix) :] for name in names if name.startswith(prefix)}
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=repo / addon, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    expected = set(tracked) - {"pyproject.toml"}
    check(
        results,
        f"{addon}: the wheel holds the addon's {len(expected)} files in git, nothing else",
        shipped == expected,
        f"missing {sorted(expected - shipped)[:5]}, extra {sorted(shipped - expected)[:5]}",
    )


def check_installed(results, repo, addon, manifest):
    dist_name = f"odoo-addon-{addon}"
    shown = subprocess.run(
        [sys.executable, "-m", "pip", "show", dist_name], capture_output=True, text=True
    )
    check(
        results,
        f"pip show {dist_name}",
        shown.returncode == 0 and f"Name: {dist_name}" in shown.stdout,
        shown.stderr.strip(),
    )
    try:
        installed = md.distribution(dist_name)
    except md.PackageNotFoundError:
        check(results, f"{dist_name} is installed", False)
        return
    path = Path(installed.locate_file(f"odoo/addons/{addon}/__manifest__.py"))
    check(results, f"{dist_name} installs odoo/addons/{addon}/__manifest__.py", path.is_file())
    if path.is_file():
        check(
            results,
            f"{addon}: the installed manifest is the repository's",
            ast.literal_eval(path.read_text()) == manifest,
        )
    # odoo and odoo.addons stay namespace packages: Odoo finds the addon on
    # odoo.addons.__path__ without --addons-path.
    site = Path(installed.locate_file(""))
    check(
        results,
        f"{dist_name} leaves odoo and odoo.addons namespace packages",
        not (site / "odoo/__init__.py").exists()
        and not (site / "odoo/addons/__init__.py").exists(),
    )
    requires = installed.requires or []
    check(
        results, f"{dist_name} requires odoo=={SERIES}.*", f"odoo=={SERIES}.*" in requires, requires
    )
    for dep in manifest.get("external_dependencies", {}).get("python", []):
        check(results, f"{dist_name} requires {dep} (external_dependencies)", dep in requires)
    for dep in manifest["depends"]:
        if (repo / dep / "__manifest__.py").is_file():
            want = f"odoo-addon-{dep}=={SERIES}.*"
            check(results, f"{dist_name} requires {want}", want in requires, requires)
        else:  # an Odoo core addon, which comes with odoo itself
            check(
                results,
                f"{dist_name} does not require core addon {dep} as a package",
                not any(r.startswith(f"odoo-addon-{dep}") for r in requires),
                requires,
            )


def main(argv):
    repo, dist, install_ok, *addons = argv
    repo, dist = Path(repo), Path(dist)
    results = []
    check(results, "the wheels install into a clean venv with --no-deps", install_ok == "1")
    for addon in addons:
        manifest = ast.literal_eval((repo / addon / "__manifest__.py").read_text())
        check_wheel(results, repo, dist, addon, manifest)
        check_installed(results, repo, addon, manifest)
    return 0 if results and all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
