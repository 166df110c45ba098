"""The report notebook through papermill on the seed articles, and the HTML in a headless browser."""
import json
import re
import shutil
import subprocess
import sys

import pytest

from stance import StanceInputError
from stance.report import render, report_name, validate_parameters

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    # the rule labeler: no model to train, the rendering is what is tested here
    path = render({"corpus": ["data/corpus/seeds"], "actor": "russia", "compare": ["usa", "un"], "labeler": "rule"},
                  out_dir=out)
    return out, path


def test_report_renders_charts_without_code(rendered):
    out, path = rendered
    html = path.read_text()
    assert path.name == "report_russia_all_year_vs-usa-un.html"
    assert html.count("<img") >= 3  # heatmap, issue charts, comparisons
    assert "import stance" not in html and "plt.subplots" not in html
    assert "Position summary" in html and "have no place in negotiations" in html
    for section in ("What the corpus holds", "Coverage by year", "Compared with other actors",
                    "Detected shifts and their evidence", "How reliable are these labels?"):
        assert section in html, section
    assert "<mark>" in html  # the labeler's evidence highlighted in the quotes
    assert (out / (path.stem + ".ipynb")).exists()
    index = json.loads((out / "index.json").read_text())
    assert [e["name"] for e in index] == [path.stem]
    assert "report_russia_all_year" in (out / "index.html").read_text()


@pytest.mark.parametrize("params, message", [
    ({"actor": "narnia"}, "valid actors: russia"),
    ({"issues": ["weather"]}, "valid issues: assad_future"),
    ({"start": "2015-01-01", "end": "2014-01-01"}, "after end"),
    ({"corpus": ["no/such/folder"]}, "does not exist"),
])
def test_bad_parameters_fail_before_running(params, message):
    with pytest.raises(StanceInputError, match=message):
        validate_parameters(params)


def test_report_name_is_sanitised():
    name = report_name({"actor": "../../etc", "issues": ["a/b"], "period": "year"})
    assert "/" not in name and ".." not in name


def test_cli_report_rejects_unknown_actor():
    r = subprocess.run([sys.executable, "-m", "stance.cli", "report", "-p", "actor", "narnia"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "valid actors" in r.stderr


@pytest.mark.browser
def test_report_in_headless_browser(rendered):
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not browser:
        pytest.skip("no headless browser installed (Debian's chromium): browser check skipped")
    _, path = rendered
    r = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--dump-dom",
                        path.as_uri()], capture_output=True, text=True, timeout=120)
    dom = r.stdout
    assert "Position summary" in dom and "How reliable are these labels?" in dom
    assert len(re.findall(r"<img[^>]+src=\"data:image/png", dom)) >= 3
    assert "import stance" not in dom and "plt.subplots" not in dom


def test_kernel_prefetches_what_the_notebook_imports():
    """The report's kernel imports, as it starts, the modules the notebook's cells import (while
    the parent checks the corpus); names that are not modules, or fail, are left to the notebook."""
    import sys

    from stance.report import notebook_imports, prefetch

    mods = notebook_imports("report")
    assert {"pandas", "matplotlib.pyplot", "stance.plots", "stance.report"} <= set(mods)
    assert "IPython.display.HTML" in mods  # from-imports name both: prefetch skips the non-modules
    prefetch(["json", "stance.load_codebook", "no_such_module_at_all", "stance.problems"])
    assert "json" in sys.modules and "stance.problems" in sys.modules and "no_such_module_at_all" not in sys.modules


def test_html_export_is_nbconvert_page_without_its_second_pass(rendered):
    """export_html adds alt text and tabindex to the template's tags instead of re-parsing the
    page with BeautifulSoup: parsed, its page is HTMLExporter's, on the rendered report and on
    outputs with images with and without alt text, HTML, Markdown and text."""
    import base64

    import nbformat
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    from stance.report import export_html

    png = base64.b64encode(bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                                         "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")).decode()
    cells = [nbformat.v4.new_markdown_cell("# Title <img src='x.png'> and <em>text</em>"),
             nbformat.v4.new_code_cell("x", outputs=[
                 nbformat.v4.new_output("display_data", {"image/png": png}),
                 nbformat.v4.new_output("display_data", {"text/html": '<div class="a"><img src="y.png" alt="y"/>'
                                                                       '<IMG SRC="z.png"><p>&amp; &lt;b&gt;</p></div>'}),
                 nbformat.v4.new_output("display_data", {"text/markdown": "**bold** &nbsp;"}),
                 nbformat.v4.new_output("stream", name="stdout", text="a < b > c\n")])]
    _, path = rendered
    for nb in (nbformat.v4.new_notebook(cells=cells), nbformat.read(str(path.with_suffix(".ipynb")), as_version=4)):
        page = export_html(nb)
        ref, _ = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True).from_notebook_node(nb)
        assert str(BeautifulSoup(page, features="html.parser")) == ref
        assert 'tabindex="0"' in page and "<img" in page
