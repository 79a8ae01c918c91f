"""Make sure `import validators` means this project's package, not PyPI's `validators`.

PyPI has a popular package of the same name. With an editable install, setuptools' finder comes
after site-packages, so an installed PyPI `validators` would shadow ours. The command and the
mkdocs-macros module call this before importing anything from `validators`.
"""

from __future__ import annotations

import sys
from pathlib import Path


def ensure_own_validators() -> None:
    root = Path(__file__).resolve().parent.parent
    if not (root / "validators" / "__init__.py").is_file():
        return  # installed as a wheel: our package is the one in site-packages
    loaded = sys.modules.get("validators")
    if loaded is not None and not Path(getattr(loaded, "__file__", "") or "/").resolve().is_relative_to(root):
        for name in [n for n in sys.modules if n == "validators" or n.startswith("validators.")]:
            del sys.modules[name]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
