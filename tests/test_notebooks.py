"""The explore and evaluate notebooks through papermill (each rendered once per module), the
notebooks' parameters as papermill lists them, and what `stance report` does with parameters
from the command line and with a notebook that fails."""
import json
import re
import subprocess
import sys

import nbformat
import pytest

from stance import StanceInputError
from stance.cli import _parse_value
from stance.report import check_selection, notebook_parameters, render, validate_parameters

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def explored(tmp_path_factory):
    out = tmp_path_factory.mktemp("explore")
    path = render({"corpus": ["data/corpus/seeds"], "actor": "russia", "issue": "terrorist_lists", "labeler": "rule",
                   "search": "negotiations"}, notebook="explore", out_dir=out)
    return path


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    out = tmp_path_factory.mktemp("evaluate")
    return render({"labelers": ["rule"], "n_boot": 50}, notebook="evaluate", out_dir=out)


def test_explore_shows_matching_quotes_and_a_chart(explored):
    html = explored.read_text()
    assert explored.name == "explore_russia_data-corpus-seeds_terrorist_lists_rule_year_negotiations.html"
    assert "Matching statements" in html
    # the search word is in every quote shown, and the labeler's evidence is highlighted
    assert "have no place in negotiations" in html and "<mark>" in html
    assert len(re.findall(r"<img[^>]+src=\"data:image/png", html)) >= 1
    assert "import stance" not in html
    nb = nbformat.read(explored.with_suffix(".ipynb"), as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    assert any("HBox" in json.dumps(c.get("outputs", [])) for c in nb.cells if c.cell_type == "code")  # the widgets


def test_evaluate_notebook_tables_and_figures(evaluated):
    html = evaluated.read_text()
    assert "Labelers by evaluation split" in html and "macro_f1" in html and "relevance_f1" in html
    assert "favor, train&lt;=2014, test&gt;=2015" in html or "favor, train<=2014, test>=2015" in html
    assert "F1 · rule" in html and "n_gold" in html
    assert "Stance of statements about the issue" in html
    assert "Assad&#x27;s future" in html or "Assad's future" in html  # per-issue rows by the codebook's label
    assert len(re.findall(r"<img[^>]+src=\"data:image/png", html)) >= 2  # F1 chart and confusion matrices


@pytest.mark.parametrize("notebook", ["report", "explore", "evaluate"])
def test_every_parameter_is_typed_and_commented(notebook):
    declared = notebook_parameters(notebook)
    assert declared
    for name, spec in declared.items():
        assert spec["type"] in ("str", "int", "float", "bool", "list"), name
        assert spec["help"], f"{notebook}.ipynb parameter {name} has no comment"
    r = subprocess.run([sys.executable, "-m", "papermill", "--help-notebook", f"notebooks/{notebook}.ipynb"],
                       capture_output=True, text=True)
    assert "Unable to parse" not in r.stderr + r.stdout
    for name in declared:
        assert f"  {name}:" in r.stdout


def test_parameters_are_read_as_papermill_reads_them(tmp_path):
    """notebook_parameters reads the parameters cell without papermill (the kernel checks its
    parameters with it): the same names, types, defaults and help as papermill's inspection."""
    import papermill as pm

    def papermills(path):
        return {k: {"type": v["inferred_type_name"], "default": v["default"], "help": v["help"]}
                for k, v in pm.inspect_notebook(str(path)).items()}

    for name in ("report", "explore", "evaluate"):
        path = f"notebooks/{name}.ipynb"
        assert list(notebook_parameters(path).items()) == list(papermills(path).items())
    # the harder cases: a list over several lines, a type comment, no annotation, two '=' on a line
    src = ('# Parameters\nx: int = 3  # an int\nnames = [\n  "a",  # first\n  "b",\n]  # the names\n'
           'rate = 0.5  # type: float the rate\nweird = a == b\nflag: bool = False\n')
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src, metadata={"tags": ["parameters"]})],
                                  metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    path = tmp_path / "params.ipynb"
    nbformat.write(nb, str(path))
    assert notebook_parameters(path) == papermills(path)
    assert notebook_parameters(path)["names"]["default"] == '["a","b",]'


@pytest.mark.parametrize("raw, expected", [
    (["issues", "assad_future,ceasefire"], ["assad_future", "ceasefire"]),
    (["issues", "[assad_future, ceasefire]"], ["assad_future", "ceasefire"]),
    (["start", "2014-01-01"], "2014-01-01"),
    (["start", "2014"], "2014-01-01"),
    (["min_statements", "2"], 2),
    (["weighted", "true"], True),
    (["shift_alpha", "0.1"], 0.1),
    (["compare", "usa"], ["usa"]),
])
def test_command_line_values_are_parsed(raw, expected):
    name, value = raw
    assert validate_parameters({name: _parse_value(value)})[name] == expected


def test_unknown_parameter_lists_the_notebooks_parameters():
    with pytest.raises(StanceInputError, match=r"unknown parameters \['colour'\].*actor \(str\)"):
        validate_parameters({"colour": "red"})
    with pytest.raises(StanceInputError, match="valid: rule, model, hybrid"):
        validate_parameters({"labelers": ["rule", "oracle"]}, "evaluate")


def test_empty_selection_fails_before_running():
    with pytest.raises(StanceInputError, match="no labelled statement of 'russia'.*between 2030-01-01"):
        check_selection(validate_parameters({"corpus": ["data/corpus/seeds"], "labeler": "rule", "start": "2030-01-01"}))


def test_failed_run_keeps_previous_report_and_names_the_cell(tmp_path):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell("size: int = 3  # how many", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("print('rows', size)")]
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    out = tmp_path / "reports"
    first = render({}, notebook=path, out_dir=out)
    before = first.read_text()
    nb.cells.append(nbformat.v4.new_code_cell("total = size / 0"))
    nbformat.write(nb, path)
    with pytest.raises(StanceInputError, match=r"failed in cell 3 \(\"total = size / 0\"\).*ZeroDivisionError.*previous report is kept"):
        render({}, notebook=path, out_dir=out)
    assert first.read_text() == before
    assert (out / "tiny.failed.ipynb").exists()


def test_explore_widgets_redraw_on_change(tmp_path):
    import papermill as pm

    from stance.report import PROJECT

    nb = nbformat.read(PROJECT / "notebooks" / "explore.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('controls["issue"].value = "political_solution"\n'
                                              'controls["search"].value = "dialogue"'))
    nbformat.write(nb, tmp_path / "explore.ipynb")
    pm.execute_notebook(str(tmp_path / "explore.ipynb"), str(tmp_path / "out.ipynb"), cwd=str(PROJECT),
                        parameters={"corpus": ["data/corpus/seeds"], "labeler": "rule"}, progress_bar=False, execution_timeout=300)
    state = (tmp_path / "out.ipynb").read_text()
    # each change redrew the view into the output widget: matching quotes for the new choice
    assert state.count("Matching statements (") == 2 and "Traceback" not in state
