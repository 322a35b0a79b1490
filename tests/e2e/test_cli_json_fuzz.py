"""`check --json` and `train --json` on broken project files: exit code 1 and one JSON object
with an "error" (and the field the loader names), or a normal report or run for a file that
loads; never a traceback, never plain text on stdout (`gui` says why in one line)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.core.datasets import DATASETS
from app.core.project_io import ProjectError, load
from tests.core.test_project_fuzz import BASES, mutated_files

FUZZ = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
TRAIN = ["--json", "--max-steps", "1", "--n-train", "16", "--device", "cpu"]
broken_bytes = st.one_of(
    st.binary(max_size=200),
    st.builds(lambda name, cut: json.dumps(BASES[name]).encode()[:cut],
              st.sampled_from(sorted(BASES)), st.integers(0, 3000)))



@st.composite
def settings_files(draw) -> str:
    """A preset with in-range but unkind settings: another dataset, extreme rates and sizes."""
    tree = json.loads(json.dumps(BASES[draw(st.sampled_from(sorted(BASES)))]))
    tree["data"]["name"] = draw(st.sampled_from([*DATASETS, "folder:no/such/folder"]))
    options = {"batch_size": [1, 2, 65_536], "lr": [1e-8, 1.0, 100.0],
               "optimizer": ["sgd", "adam"], "weight_decay": [0.0, 10.0],
               "momentum": [0.0, 1.0], "seed": [0, 2**32 - 1]}
    for key in draw(st.lists(st.sampled_from(sorted(options)), unique=True, max_size=3)):
        tree["training"][key] = draw(st.sampled_from(options[key]))
    if draw(st.booleans()):
        tree["data"]["augment"] = {"rotation": 180.0, "crop": 32, "noise": 1.0, "hflip": True}
    return json.dumps(tree)


def _run(capsys, argv: list[str]) -> tuple[int, list[str], str]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return code, out.splitlines(), err


def _expected_error(path: Path) -> ProjectError | None:
    try:
        load(path)
    except ProjectError as exc:
        return exc
    return None


def _check_error_line(line: str, expected: ProjectError) -> None:
    error = json.loads(line)
    assert isinstance(error, dict) and isinstance(error["error"], str), line
    assert str(expected) in error["error"]
    assert error["field"] == (expected.field or None)
    if expected.field:
        assert expected.field in error["error"]


def _write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "project.json"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


@FUZZ
@given(content=st.one_of(mutated_files(), broken_bytes, settings_files()))
@example(content=json.dumps(BASES["perceptron"]))  # a valid file: a normal report, exit 0
def test_check_json_is_a_report_or_one_error_object(tmp_path, capsys, content):
    path = _write(tmp_path, content)
    expected = _expected_error(path)
    code, lines, _ = _run(capsys, ["check", str(path), "--json"])
    if expected is not None:
        assert code == 1
        _check_error_line(lines[-1], expected)
        return
    report = json.loads("\n".join(lines))  # the whole report is one JSON object
    assert report["ok"] is (code == 0)
    errors = [i for i in report["issues"] if i["severity"] == "error"]
    assert bool(errors) is (code == 1)


@FUZZ
@given(content=st.one_of(mutated_files(), broken_bytes, settings_files()))
@example(content=json.dumps(BASES["perceptron"]))
def test_train_json_runs_or_prints_one_error_object(tmp_path, capsys, monkeypatch,
                                                    one_torch_thread, content):
    monkeypatch.setenv("NETZWERKSTATT_DATA_DIR", str(tmp_path / "no-data-here"))
    path = _write(tmp_path, content)
    expected = _expected_error(path)
    code, lines, _ = _run(capsys, ["train", str(path), *TRAIN])
    assert code in (0, 1) and lines
    if expected is not None:
        assert code == 1 and len(lines) == 1
        _check_error_line(lines[-1], expected)
        return
    events = [json.loads(line) for line in lines]  # every line is JSON, never plain text
    last = events[-1]
    if code == 0:
        assert last["event"] == "summary" and last["status"] == "completed"
    elif "error" in last:  # the run could not start (dataset, network, settings)
        assert isinstance(last["error"], str) and last["error"].strip() and len(events) == 1
    else:  # it started and blew up, which a loss of NaN may do; an exception must not
        assert last["event"] == "summary" and last["status"] == "diverged", last


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(mutated_files(), broken_bytes))
def test_gui_refuses_a_broken_file_in_one_line(tmp_path, capsys, content):
    path = _write(tmp_path, content)
    expected = _expected_error(path)
    if expected is None:
        return  # it would open a window: the GUI tests cover good files
    code, lines, err = _run(capsys, ["gui", str(path)])
    assert code == 1 and not lines
    assert err == f"netzwerkstatt: cannot open project '{path}': {expected}\n"
