"""Static checks: bandit finds nothing in eventsite/ that is not fixed or justified inline.

Bandit runs with `--ignore-nosec` so that every finding is seen; each one must carry
`# nosec <its test id> # <reason>` on one of its lines. A bare `# nosec`, one naming another
test, or one without a reason does not count: a suppression has to say why.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOSEC = re.compile(r"#\s*nosec\s+(?P<ids>B\d{3}(?:\s*,\s*B\d{3})*)\s*#\s*(?P<reason>\S.*)$")


def _bandit_findings() -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", "eventsite", "-f", "json", "--ignore-nosec",
         "--severity-level", "low"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )
    assert result.stdout, f"bandit did not run: {result.stderr}"
    report = json.loads(result.stdout)
    assert not report["errors"], report["errors"]
    return report["results"]


def _justified(finding: dict) -> bool:
    lines = (ROOT / finding["filename"]).read_text(encoding="utf-8").splitlines()
    for number in finding.get("line_range") or [finding["line_number"]]:
        match = NOSEC.search(lines[number - 1])
        if match and finding["test_id"] in re.split(r"\s*,\s*", match["ids"]):
            return True
    return False


def test_bandit_findings_are_fixed_or_justified_inline():
    findings = _bandit_findings()
    open_findings = [
        f"{f['filename']}:{f['line_number']} {f['test_id']} ({f['issue_severity']}): {f['issue_text']}"
        for f in findings if not _justified(f)
    ]
    assert not open_findings, "bandit findings without `# nosec BXXX # reason`:\n" + "\n".join(open_findings)


def test_every_nosec_in_the_code_names_a_test_and_a_reason():
    bare = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "eventsite").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"#\s*nosec\b", line) and not NOSEC.search(line)
    ]
    assert not bare, "write `# nosec BXXX # reason`: " + ", ".join(bare)


def test_every_folder_of_python_modules_is_a_regular_package():
    """A folder of modules without __init__.py imports as a namespace package here but is easy to
    leave out of a wheel and reads unlike every other feature (eventsite/letters once was one)."""
    folders = {path.parent for path in (ROOT / "eventsite").rglob("*.py")}
    missing = sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").is_file())
    assert not missing, missing
