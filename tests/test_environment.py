"""environment.yml names the same dependencies as pyproject.toml (conda cannot be reached here)."""

import re
import tomllib

from .conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = {_name(r) for r in project["dependencies"] + extras["test"] + extras["notebooks"]}
    text = (ROOT / "environment.yml").read_text()
    deps = text.split("dependencies:", 1)[1]
    listed = {_name(m) for m in re.findall(r"^ +- ([A-Za-z][A-Za-z0-9_.\-]+)", deps, flags=re.M)}
    listed -= {"python", "pip"}
    assert wanted == listed, f"only in pyproject: {wanted - listed}; only in environment.yml: {listed - wanted}"
    assert "- -e ." in text  # the package itself, from this checkout
    py = re.search(r"python\s*>=\s*([0-9.]+)", text)
    assert py and project["requires-python"] == f">={py.group(1)}"


def test_data_format_doc_lists_exactly_what_the_schema_reads():
    from llt_geo.schema import markdown_reference

    doc = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    between = doc.split("<!-- tables:begin -->\n", 1)[1].split("<!-- tables:end -->", 1)[0]
    assert between == markdown_reference(), "regenerate the table reference in docs/data-format.md"


def test_environment_yml_uses_the_same_version_bounds():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    pins = {_name(r): r[len(_name(r)):].replace(" ", "") for r in
            project["dependencies"] + extras["test"] + extras["notebooks"]}
    deps = (ROOT / "environment.yml").read_text().split("dependencies:", 1)[1]
    listed = dict(re.findall(r"^ +- ([A-Za-z][A-Za-z0-9_.\-]+) *([^\n]*)$", deps, flags=re.M))
    for name, spec in pins.items():
        assert listed[name].replace(" ", "") == spec, f"{name}: pyproject {spec!r}, environment.yml {listed[name]!r}"
