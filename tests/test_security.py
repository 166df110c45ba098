"""Hostile text and parameters: article text is escaped in reports (checked in a headless browser),
parameters cannot inject code into the executed notebook or name a file outside ``reports/``.

One hostile report is rendered for the module (a corpus whose articles, metadata and file names
carry scripts, event handlers and ``javascript:`` links; a title parameter that tries to break out
of its string).
"""
import ast
import json
import re
import shutil
import subprocess
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from papermill.translators import translate_parameters

from stance.report import render, report_name

pytestmark = pytest.mark.slow

SCRIPT = "<script>document.body.appendChild(document.createElement('pwned-by-script'))</script>"
ONERROR = "<img src=x onerror=\"document.body.appendChild(document.createElement('pwned-by-onerror'))\">"
JS_URL = "javascript:document.body.appendChild(document.createElement('pwned-by-link'))"
ARTICLE = f"""Lavrov on Assad {SCRIPT}

January 27, 2014

Russian Foreign Minister Sergei Lavrov said: "Assad must go {SCRIPT} and the regime has lost all legitimacy {ONERROR}."

Lavrov said the Syrian people alone must decide the future of Assad {ONERROR}, and that terrorist lists must be agreed.
"""


def _title(marker) -> str:
    return f'"); import os; os.system("touch {marker}") #\\" {ONERROR}'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("hostile")
    marker = tmp_path_factory.mktemp("marker") / "injected"
    (corpus / "article.txt").write_text(ARTICLE)
    (corpus / "manifest.csv").write_text(
        f"file,url,source,date\narticle.txt,{JS_URL},\"{ONERROR.replace(chr(34), chr(34) * 2)}\",2014-01-27\n")
    (corpus / "<b onclick=alert(1)>empty.txt").write_bytes(b"")  # a skipped document whose name is markup
    out = tmp_path_factory.mktemp("reports")
    with warnings.catch_warnings():  # the skipped file's warning: the report's table shows it
        warnings.simplefilter("ignore")
        path = render({"corpus": [str(corpus)], "actor": "russia", "labeler": "rule", "compare": ["usa"],
                       "title": _title(marker)}, out_dir=out)
    return path, marker


def test_article_text_and_metadata_are_escaped(hostile):
    path, _ = hostile
    html = path.read_text()
    assert "Lavrov" in html and "&lt;script&gt;document.body.appendChild" in html  # shown as text
    assert "pwned-by" in html
    for raw in (SCRIPT, ONERROR, "<img src=x", "<script>document", 'href="javascript:'):
        assert raw not in html
    assert "Skipped documents" in html and "&lt;b onclick=alert(1)&gt;empty.txt" in html and "empty file" in html


def test_title_parameter_cannot_inject_code(hostile):
    path, marker = hostile
    assert not marker.exists()
    html = path.read_text()
    assert f'<h2>"); import os; os.system("touch {marker}") #\\" &lt;img src=x onerror=' in html  # as text
    executed = json.loads(path.with_suffix(".ipynb").read_text())
    [injected] = [c for c in executed["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    tree = ast.parse("".join(injected["source"]))
    values = {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body}
    assert all(isinstance(node, ast.Assign) for node in tree.body)
    assert values["title"] == _title(marker)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["title", "actor", "start"]),
                       st.text() | st.lists(st.text(), max_size=3), min_size=1))
def test_parameters_become_python_literals(params):
    # what papermill writes into the notebook: assignments of literals, whatever the values
    code = translate_parameters("python3", "python", params, "Parameters")
    tree = ast.parse(code)
    assert all(isinstance(node, ast.Assign) for node in tree.body)
    assert {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body} == params


@pytest.mark.parametrize("params", [
    {"actor": "../../etc", "issues": ["a/b", ".."], "period": "year"},
    {"actor": "/etc/passwd"},
    {"actor": "x", "start": "../../../tmp", "end": "\x00"},
    {"compare": ["..", "~root", "$(touch x)"]},
    {"actor": "." * 300},
])
def test_report_names_stay_inside_reports(params, tmp_path):
    name = report_name(params)
    assert re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,149}", name) and ".." not in name
    assert (tmp_path / f"{name}.html").resolve().parent == tmp_path.resolve()


def _chromium():
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not browser:
        pytest.skip("no headless browser installed (Debian's chromium): browser check skipped")
    return browser


def _dom(browser: str, uri: str) -> str:
    r = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run",
                        "--virtual-time-budget=3000", "--dump-dom", uri], capture_output=True, text=True, timeout=120)
    return r.stdout


@pytest.mark.browser
def test_hostile_report_runs_nothing_in_a_browser(hostile, tmp_path):
    browser = _chromium()
    path, _ = hostile
    # the control: the same browser does run a page's own scripts and image error handlers
    control = tmp_path / "control.html"
    control.write_text(f"<!doctype html><html><body><p>control</p>{SCRIPT}{ONERROR}</body></html>")
    dom = _dom(browser, control.as_uri())
    assert "<pwned-by-script></pwned-by-script>" in dom and "<pwned-by-onerror></pwned-by-onerror>" in dom
    dom = _dom(browser, path.as_uri())
    assert "Position summary" in dom and "Sergei Lavrov" in dom
    assert "&lt;script&gt;document.body.appendChild" in dom  # the article's script is text
    assert not re.search(r"<pwned-by-\w+", dom)  # and nothing of it ran
    assert 'href="javascript:' not in dom
