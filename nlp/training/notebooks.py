"""Execute a reviewer notebook (nbclient) on a batch output folder: for ``make_notebooks.py --execute`` and tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from nlp.training.demo import ENV_VAR

ROOT = Path(__file__).resolve().parents[2]


def execute_notebook(path: str | Path, round_dir: str | Path | None = None, timeout: int = 600) -> Any:
    """Run every cell of the notebook at ``path`` in a fresh ``python3`` kernel that imports this checkout's code;
    ``round_dir`` is handed to it as ``$PREREVIEW_ROUND_DIR`` (None: the demo round). Returns the executed notebook
    (``nbformat.NotebookNode``); a failing cell raises ``nbclient.exceptions.CellExecutionError``."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.pop(ENV_VAR, None)
    if round_dir is not None:
        env[ENV_VAR] = str(round_dir)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute(env=env)
    return nb


def errors(nb: Any) -> list[str]:
    """The error outputs of an executed notebook, as ``ename: evalue`` lines."""
    return [f"{o.get('ename')}: {o.get('evalue')}" for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "error"]
