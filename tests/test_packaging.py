"""The wheel is a working app outside the checkout (docs/deployment.md, "Install").

Builds the wheel once from a copy of the working tree, installs it with --no-deps into a fresh
venv (the dependencies come from this venv through a .pth line, so nothing is downloaded but the
build's own requirements), then, from an empty directory: `flask --app eventsite db upgrade`
creates the SQLite database in ./instance, and the installed app serves the home page in English
and in Chinese (the compiled catalogue is in the wheel) and a static file.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess  # nosec B404 # our own commands, fixed argument lists, no shell
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Local state of a checkout that is no part of the source.
NOT_SOURCE = (".git", ".venv", "build", "dist", "*.egg-info", "node_modules", "instance",
              "__pycache__", ".pytest_cache", ".hypothesis", "*.mo")

SERVE = """
import json, config, eventsite
client = eventsite.create_app().test_client()
pages = {lang: client.get("/", headers={"Accept-Language": lang}) for lang in ("en", "zh")}
static = client.get("/static/css/site.css")
print(json.dumps({
    "modules": [eventsite.__file__, config.__file__],
    "pages": {lang: [r.status_code, r.get_data(as_text=True)] for lang, r in pages.items()},
    "static": [static.status_code, static.mimetype],
}))
"""


def run(args, **kwargs):
    result = subprocess.run(  # nosec B603 # our own commands, fixed argument lists
        args, capture_output=True, text=True, check=False, timeout=300, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_the_wheel_runs_the_app_outside_the_checkout(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp_path / "dist",
         source])
    (wheel,) = (tmp_path / "dist").glob("eventsite-*.whl")

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet", wheel])
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(run([python, "-c", purelib]).strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    work = tmp_path / "site"
    work.mkdir()
    env = {key: value for key, value in os.environ.items()
           if key not in {"EVENTSITE_INSTANCE", "DATABASE_URL", "FLASK_APP", "PYTHONPATH"}}
    env.update({"EVENTSITE_CONFIG": "production", "SECRET_KEY": "packaging-test-" + "k" * 40,
                "SERVER_NAME": "events.test", "TRUSTED_HOSTS": "events.test", "PROXY_COUNT": "0",
                "DATA_ENCRYPTION_KEYS": "packaging-test-data-key-0000000000000000000="})
    run([python, "-m", "flask", "--app", "eventsite", "db", "upgrade"], cwd=work, env=env)
    assert (work / "instance" / "eventsite.sqlite").is_file()

    served = json.loads(run([python, "-c", SERVE], cwd=work, env=env))
    assert all(Path(path).is_relative_to(site) for path in served["modules"]), served["modules"]
    english, chinese = served["pages"]["en"], served["pages"]["zh"]
    assert english[0] == 200 and "Skip to content" in english[1]
    assert chinese[0] == 200 and "跳至正文" in chinese[1] and '<html lang="zh-Hans">' in chinese[1]
    assert served["static"] == [200, "text/css"]


def check_machine(mode: str, **env) -> tuple[int, list[str]]:
    result = subprocess.run(  # nosec B603 # our own script, fixed arguments
        ["/bin/sh", ROOT / "scripts" / "check_machine.sh", mode],
        env=env, capture_output=True, text=True, check=False, timeout=60)
    return result.returncode, result.stdout.splitlines()


def test_make_run_and_make_test_say_what_the_machine_lacks(tmp_path):
    bare = tmp_path / "bin"  # a PATH without npm or fc-list
    bare.mkdir()
    (bare / "grep").symlink_to(shutil.which("grep"))
    without_venv = tmp_path / "python3"  # Debian's python3 without python3-venv
    without_venv.write_text(
        f'#!/bin/sh\ncase "$2" in *ensurepip*) exit 1;; esac\nexec {sys.executable} "$@"\n')
    without_venv.chmod(0o755)

    assert check_machine("run", PYTHON=sys.executable, PATH=str(bare)) == (0, [])
    code, lines = check_machine("run", PYTHON=str(tmp_path / "absent"), PATH=str(bare))
    assert code == 1 and lines == [f"missing: Python 3.11 or newer ('{tmp_path / 'absent'}' is "
                                   "absent or older; Debian: sudo apt-get install python3)"]
    code, lines = check_machine("test", PYTHON=str(without_venv), PATH=str(bare))
    assert code == 1 and lines == [f"missing: the venv module of '{without_venv}' "
                                   "(Debian: sudo apt-get install python3-venv)"]

    code, lines = check_machine("test", PYTHON=sys.executable, PATH=str(bare),
                                CHROMIUM=str(tmp_path / "chromium"))
    assert code == 0 and [line.split(" (")[0] for line in lines] == [
        "missing: Node.js and npm", f"missing: {tmp_path / 'chromium'}", "missing: CJK fonts",
        "note: TEST_DATABASE_URL is not set: the PostgreSQL runs of the database tests will be "
        "skipped"]
    assert "ical.js, node-ical and accessibility checks will be skipped" in lines[0]
    assert "browser tests will be skipped" in lines[1] and "fonts-noto-cjk" in lines[2]
