#!/usr/bin/env python3
"""`make audit`: known vulnerabilities in the installed dependencies (pip-audit) and
risky patterns in the site's code (bandit).

pip-audit needs its vulnerability service (PyPI's JSON API) over the network. Without it,
it marks every package "not found on PyPI" and still ends "No known vulnerabilities
found", which means nothing. So this counts what was really checked: if any installed
package could not be audited, it says so plainly and fails, rather than pass on silence.
Exit status: 0 clean, 1 something found, 2 the audit could not be done.
"""
from __future__ import annotations

import json
import subprocess  # nosec B404  (runs our own dev tools, fixed arguments, no shell)
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def pip_audit() -> int:
    print("== pip-audit: the packages installed in", BIN.parent)
    run = subprocess.run(  # nosec B603  (fixed arguments)
        [str(BIN / "pip-audit"), "--local", "--skip-editable", "--progress-spinner", "off",
         "--format", "json"],
        capture_output=True, text=True, check=False)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(run.stderr.strip() or run.stdout.strip())
        print("pip-audit did not give a report: NOT AUDITED.")
        return 2
    packages = report.get("dependencies", [])
    # This project itself (installed editable) is not on PyPI: nothing to look up there.
    packages = [p for p in packages if "editable" not in p.get("skip_reason", "")]
    skipped = [p for p in packages if "skip_reason" in p]
    audited = [p for p in packages if "vulns" in p]
    found = [(p, v) for p in audited for v in p["vulns"]]
    for package, vuln in found:
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
        print(f"  {package['name']} {package['version']}: {vuln['id']} (fixed in {fixes})")
    if skipped or not audited:
        print(f"pip-audit could not check {len(skipped)} of {len(packages)} installed packages "
              f"against its vulnerability database, for example: {skipped[0]['skip_reason'] if skipped else 'none listed'}.")
        print("The database (PyPI's JSON API) is probably out of reach from this machine. "
              "NOT AUDITED: this is no evidence that there are no known vulnerabilities. "
              "Run `make audit` where PyPI can be reached.")
        return 2
    if found:
        print(f"{len(found)} known vulnerabilities in {len(audited)} packages.")
        return 1
    print(f"No known vulnerabilities in the {len(audited)} packages checked.")
    return 0


def bandit() -> int:
    print("== bandit: site/")
    run = subprocess.run([str(BIN / "bandit"), "-r", "-q", str(ROOT / "site")],  # nosec B603
                         check=False)
    if run.returncode:
        print("bandit found the issues above: fix them, or mark a line `# nosec BXXX` with the reason.")
        return 1
    print("bandit: no issues (each `# nosec` in site/ gives its reason).")
    return 0


def main() -> int:
    results = [pip_audit(), bandit()]
    return max(results)


if __name__ == "__main__":
    sys.exit(main())
