"""The wheel carries a working app: the project keeps templates/ and migrations/ at the top of the
repository, so the build copies them into the package, and compiles the translations (.mo files
are build products, never committed). Everything else is declared in pyproject.toml."""
import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildApp(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # a checkout: create_app() finds the folders in place
            return
        build = Path(self.build_lib)
        for folder in ("templates", "migrations"):
            shutil.copytree(folder, build / "eventsite" / folder, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
        for po in Path("eventsite/translations").glob("*/LC_MESSAGES/messages.po"):
            mo = build / po.with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source))


setup(cmdclass={"build_py": BuildApp})
