"""Nothing lost, nothing half-written: runs killed with SIGKILL, corrupt caches, concurrent reports.

The killed runs are real ``stance`` processes (each in its own process group, so that the
notebook kernel of ``stance report`` dies with it); earlier outputs must be byte-for-byte
intact and the next run must complete.
"""
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from stance import cache
from stance.report import NAME_DEFAULTS, load_run, report_name

from .conftest import FAKES, SEEDS

ONE_SEED = SEEDS / "000_ae4d8e935ad00417.txt"

pytestmark = pytest.mark.slow

# Runs the CLI with os.replace paused before the rename onto ``target``: the output is written
# in full to its temporary file, and the test kills the process at that exact point.
PAUSED_BEFORE_RENAME = """
import os, sys, time
import stance.io
marker, target = sys.argv[1], sys.argv[2]
class PausedOs:
    def __getattr__(self, name):
        return getattr(os, name)
    def replace(self, src, dst):
        if os.fspath(dst) == target:
            open(marker, "w").close()
            time.sleep(120)
        os.replace(src, dst)
stance.io.os = PausedOs()
from stance.cli import main
sys.exit(main(sys.argv[3:]))
"""


def _start(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _kill(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)  # the process and its children (a notebook kernel)
    proc.wait(timeout=30)


def _wait_for(predicate, proc: subprocess.Popen, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.02)
    return False


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    return {**os.environ, "STANCE_CACHE": str(tmp_path_factory.mktemp("kill-cache"))}


def _label(out: Path, *paths) -> list[str]:
    return [sys.executable, "-m", "stance.cli", "label", *map(str, paths), "--labeler", "rule", "--quiet",
            "--out", str(out)]


def test_label_killed_while_processing_keeps_the_previous_output(tmp_path, env):
    out = tmp_path / "labels.csv"
    subprocess.run(_label(out, ONE_SEED), env=env, check=True, capture_output=True)
    before = out.read_bytes()
    # 4 x 600 articles, uncached: still running after 3 s
    proc = _start(_label(out, FAKES, FAKES, FAKES, FAKES) + ["--no-cache"], env)
    assert not _wait_for(lambda: False, proc, 3.0), "the run ended before it could be killed"
    _kill(proc)
    assert proc.returncode == -signal.SIGKILL
    assert out.read_bytes() == before
    subprocess.run(_label(out, SEEDS), env=env, check=True, capture_output=True)
    assert pd.read_csv(out)["doc_id"].nunique() == 5


def test_label_killed_between_writing_and_renaming(tmp_path, env):
    out = tmp_path / "labels.parquet"
    problems = tmp_path / "problems.csv"
    subprocess.run(_label(out, ONE_SEED), env=env, check=True, capture_output=True)
    before = out.read_bytes()
    marker = tmp_path / "paused"
    proc = _start([sys.executable, "-c", PAUSED_BEFORE_RENAME, str(marker), str(out),
                   *_label(out, SEEDS)[3:], "--problems", str(problems)], env)
    assert _wait_for(marker.exists, proc, 120), proc.stderr.read()
    temporary = [f for f in tmp_path.iterdir() if f.name.startswith(".labels.parquet.")]
    assert len(temporary) == 1 and temporary[0].stat().st_size > len(before)  # the new table, whole
    _kill(proc)
    assert proc.returncode == -signal.SIGKILL
    assert out.read_bytes() == before
    assert set(pd.read_parquet(out)["doc_id"]) == {ONE_SEED.stem}  # still the one article's labels
    subprocess.run(_label(out, SEEDS), env=env, check=True, capture_output=True)
    assert pd.read_parquet(out)["doc_id"].nunique() == 5


# ---------------------------------------------------------------------------------------------
# Caches

def test_corrupt_or_foreign_model_cache_is_rebuilt_never_loaded(tmp_path, monkeypatch):
    monkeypatch.setenv("STANCE_CACHE", str(tmp_path))
    path = tmp_path / "models" / "k.pkl"
    trained = []

    def train():
        trained.append(1)
        return {"weights": [1, 2, 3]}

    assert cache.load_or_train("k", train) == {"weights": [1, 2, 3]} and len(trained) == 1
    assert cache.load_or_train("k", train) == {"weights": [1, 2, 3]} and len(trained) == 1  # from the cache

    class Exploit:  # a pickle that runs code when loaded
        def __reduce__(self):
            return (os.system, (f"touch {tmp_path / 'pwned'}",))

    for tamper in ("truncated", "replaced", "no sidecar"):
        data = path.read_bytes()
        if tamper == "truncated":
            path.write_bytes(data[: len(data) // 2])
        elif tamper == "replaced":
            path.write_bytes(pickle.dumps(Exploit()))
        else:
            path.write_bytes(pickle.dumps(Exploit()))
            path.with_name("k.pkl.sha256").unlink()
        assert cache.load_or_train("k", train) == {"weights": [1, 2, 3]}
        assert not (tmp_path / "pwned").exists()
    assert len(trained) == 4  # rebuilt each time
    assert cache.read_verified(path) == path.read_bytes()  # and the rebuilt entry verifies


def test_corrupt_run_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("STANCE_CACHE", str(tmp_path))
    first = load_run([str(SEEDS)], labeler="rule")
    [folder] = (tmp_path / "runs").iterdir()
    (folder / "labels.parquet").write_bytes((folder / "labels.parquet").read_bytes()[:100])  # torn
    (folder / "statements.parquet").unlink()  # a run killed before writing it
    again = load_run([str(SEEDS)], labeler="rule")
    for name in ("documents", "statements", "labels"):
        pd.testing.assert_frame_equal(again[name], first[name])
    assert len(pd.read_parquet(folder / "labels.parquet")) == len(first["labels"])


# ---------------------------------------------------------------------------------------------
# Reports: two at once on the same reports/ and cache, then one killed mid-run

REPORT_A = {"corpus": [str(SEEDS)], "actor": "russia", "issues": ["assad_future"], "compare": ["usa"], "labeler": "rule"}
REPORT_B = {"corpus": [str(SEEDS)], "actor": "usa", "issues": ["terrorist_lists"], "labeler": "rule"}


def _report(params: dict, out: Path) -> list[str]:
    args = [sys.executable, "-m", "stance.cli", "report", "--out", str(out)]
    for key, value in params.items():
        args += ["-p", key, json.dumps(value) if isinstance(value, list) else value]
    return args


def _name(params: dict) -> str:
    return report_name({**NAME_DEFAULTS, **params})


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory, env):
    """Two ``stance report`` runs at once, different parameters, same reports/ folder and cache."""
    out = tmp_path_factory.mktemp("reports")
    runs = [_start(_report(p, out), env) for p in (REPORT_A, REPORT_B)]
    for run in runs:
        run.wait(timeout=600)
    return out, [(run.returncode, run.stderr.read()) for run in runs]


def test_concurrent_reports_both_finish_and_are_indexed(two_reports):
    out, results = two_reports
    assert [rc for rc, _ in results] == [0, 0], results
    names = [_name(REPORT_A), _name(REPORT_B)]
    index = json.loads((out / "index.json").read_text())
    assert sorted(e["name"] for e in index) == sorted(names)  # no lost index entry
    listing = (out / "index.html").read_text()
    for name in names:
        html = (out / f"{name}.html").read_text()
        assert html.rstrip().endswith("</html>") and "Position summary" in html  # whole, not torn
        assert f'href="{name}.html"' in listing
        assert (out / f"{name}.ipynb").exists()
    assert [f.name for f in out.glob(".*")] == [".index.lock"]  # no temporary file left behind


def test_report_killed_mid_run_keeps_earlier_reports_and_next_run_completes(two_reports, env):
    out, results = two_reports
    assert [rc for rc, _ in results] == [0, 0], results
    before = {f.name: f.read_bytes() for f in out.iterdir() if f.is_file() and not f.name.startswith(".")}
    proc = _start(_report(REPORT_A, out), env)
    assert _wait_for(lambda: list(out.glob(".*.running.ipynb")), proc, 300), proc.stderr.read()
    time.sleep(1.0)  # into the notebook's execution
    _kill(proc)
    assert proc.returncode == -signal.SIGKILL  # killed, not finished
    after = {f.name: f.read_bytes() for f in out.iterdir() if f.is_file() and not f.name.startswith(".")}
    assert after == before  # every earlier report, notebook and the index intact
    subprocess.run(_report(REPORT_A, out), env=env, check=True, capture_output=True, timeout=600)
    index = json.loads((out / "index.json").read_text())
    assert sorted(e["name"] for e in index) == sorted([_name(REPORT_A), _name(REPORT_B)])
    assert (out / f"{_name(REPORT_A)}.html").read_text().rstrip().endswith("</html>")
    assert not list(out.glob(".*.running.ipynb"))  # the killed run's notebook was cleared away
