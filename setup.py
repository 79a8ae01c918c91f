"""Ships the default pages and MkDocs configuration inside the wheel.

docs/ and mkdocs.yml stay at the top of the repository, where MkDocs and contributors expect
them; an installed tool finds its copy in preparedness_handbook/handbook/defaults/, so a
repository that holds only data/ builds. Editable installs read the checkout itself.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithDefaults(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        dest = Path(self.build_lib) / "preparedness_handbook" / "handbook" / "defaults"
        shutil.copytree("docs", dest / "docs", dirs_exist_ok=True)
        shutil.copy2("mkdocs.yml", dest / "mkdocs.yml")


setup(cmdclass={"build_py": BuildWithDefaults})
