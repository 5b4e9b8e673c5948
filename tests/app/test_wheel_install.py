"""A wheel installed into a fresh virtualenv runs from outside the checkout, with conf/ shipped inside it."""

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_runs_from_outside_the_checkout(tmp_path):
    wheel_dir = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(wheel_dir), str(REPO)],
        check=True, capture_output=True, text=True,
    )
    (wheel,) = wheel_dir.glob("caligo_sweep-*.whl")

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    # The dependencies come from this interpreter's environment (no network needed); the package itself only from
    # the wheel: a plain path line in a .pth file adds the folder without running its editable-install hooks.
    (Path(site) / "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([python, "-m", "pip", "install", "--no-deps", str(wheel)], check=True, capture_output=True)

    work = tmp_path / "elsewhere"
    work.mkdir()
    located = subprocess.run(
        [python, "-c", "import caligo_sweep, caligo_sweep.app.config_path as c; "
                       "print(caligo_sweep.__file__); print(c.config_search_path())"],
        cwd=work, check=True, capture_output=True, text=True,
    ).stdout.split()
    assert located[0].startswith(str(env_dir)) and located[1] == "pkg://caligo_sweep.conf"

    for command in ([python, "-m", "caligo_sweep"], [env_dir / "bin" / "caligo-sweep"]):
        result = subprocess.run(
            [*command, "num_pairs=5000", "progress=false", "link=heralded"],
            cwd=work, capture_output=True, text=True,
        )
        assert result.returncode == 0, result.stderr
    rows = [json.loads(p.read_text()) for p in work.glob("outputs/runs/*/*/result.json")]
    assert len(rows) == 2 and {row["link"] for row in rows} == {"heralded"}
