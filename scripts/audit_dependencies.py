"""Dependency audit: known vulnerabilities in the Python packages of .venv and the npm packages
of tests/interop. `make audit` runs it; .ci/run calls it after the tests.

Where the vulnerability databases cannot be reached (a machine that sees only a package mirror,
as in CI here), it says so plainly and exits 0: an audit that could not look is reported, never
mistaken for a clean one. A vulnerability found is a failure (exit 1).
"""
from __future__ import annotations

import json
import shutil
import subprocess  # nosec B404 # fixed commands, no shell
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def python_audit() -> tuple[str, int]:
    audit = BIN / "pip-audit"
    if not audit.exists():
        return "python: pip-audit is not installed (make install-test installs it); not audited", 0
    frozen = subprocess.run([str(BIN / "pip"), "freeze", "--exclude-editable"],  # nosec B603
                            capture_output=True, text=True, check=True).stdout
    requirements = ROOT / ".venv" / "audit-requirements.txt"
    requirements.write_text(frozen)
    result = subprocess.run(  # nosec B603 # our venv's pip-audit, fixed arguments
        [str(audit), "-r", str(requirements), "-f", "json", "--progress-spinner", "off"],
        capture_output=True, text=True, check=False, timeout=600,
    )
    try:
        report = json.loads(result.stdout or "{}")
    except json.JSONDecodeError:
        return f"python: pip-audit could not run ({result.stderr.strip()[:200]}); not audited", 0
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    vulnerable = [d for d in deps if d.get("vulns")]
    if vulnerable:
        lines = [f"  {d['name']} {d.get('version', '')}: "
                 + ", ".join(v["id"] for v in d["vulns"]) for d in vulnerable]
        return "python: KNOWN VULNERABILITIES\n" + "\n".join(lines), 1
    if deps and len(skipped) == len(deps):
        return (f"python: the vulnerability database could not be reached from this machine "
                f"({len(deps)} packages, none auditable); not audited"), 0
    return f"python: {len(deps) - len(skipped)} packages audited, no known vulnerabilities" + (
        f" ({len(skipped)} could not be audited)" if skipped else ""), 0


def npm_audit() -> tuple[str, int]:
    folder = ROOT / "tests" / "interop"
    if shutil.which("npm") is None or not (folder / "node_modules").is_dir():
        return "npm: npm or tests/interop/node_modules missing; not audited", 0
    result = subprocess.run(  # nosec B603 B607 # npm from PATH, fixed arguments
        ["npm", "audit", "--json", "--prefix", str(folder)],
        capture_output=True, text=True, check=False, timeout=300,
    )
    try:
        report = json.loads(result.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    if "error" in report or "message" in report and "vulnerabilities" not in report:
        reason = (report.get("error") or {}).get("summary") or report.get("message") or "no answer"
        return f"npm: the advisory service could not be reached ({reason[:120]}); not audited", 0
    counts = report.get("metadata", {}).get("vulnerabilities", {})
    serious = counts.get("high", 0) + counts.get("critical", 0)
    if serious:
        return f"npm: {serious} high or critical vulnerabilities in the test parsers", 1
    return f"npm: audited, no high or critical vulnerabilities ({counts})", 0


def main() -> int:
    status = 0
    for audit in (python_audit, npm_audit):
        message, code = audit()
        print(f"dependency audit: {message}")
        status = max(status, code)
    return status


if __name__ == "__main__":
    sys.exit(main())
