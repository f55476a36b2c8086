"""CSV exports: Dutch-Excel format, and no cell that Excel would run as a formula (CSV injection)."""

import pandas as pd

from llt_geo.cli import main
from llt_geo.present.export import write_csv

from .conftest import FLAT_HEADER, make_dataset


def _lines(path):
    return path.read_bytes().decode("utf-8-sig").split("\n")  # not splitlines: a cell holds a CR


def test_text_cells_that_start_a_formula_are_quoted_numbers_are_not(tmp_path):
    frame = pd.DataFrame(
        {
            "name": pd.array(['=HYPERLINK("http://x","klik")', "@SUM(A1)", "+31 20 1234567", "Flat -3", None],
                             dtype="string"),
            "note": pd.Series(["-weg", "\tTAB", "@", "gewoon", ""], dtype=object),
            "kind": pd.Categorical(["=1+2", "a", "=1+2", "a", "a"]),
            "margin": [-0.5, 1.25, -2.0, 0.0, -10.0],
            "count": pd.array([-1, 2, None, 4, 5], dtype="Int64"),
        }
    )
    path = write_csv(frame, tmp_path / "t.csv", dutch=False)
    lines = _lines(path)
    assert lines[0] == "name;note;kind;margin;count"
    assert lines[1] == "\"'=HYPERLINK(\"\"http://x\"\",\"\"klik\"\")\";'-weg;'=1+2;-0,5;-1"
    assert lines[2] == "'@SUM(A1);'\tTAB;a;1,25;2"
    assert lines[3] == "'+31 20 1234567;'@;'=1+2;-2,0;"
    assert lines[4] == "Flat -3;gewoon;a;0,0;4"  # a minus inside the text is harmless
    back = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    assert back["margin"].tolist() == [-0.5, 1.25, -2.0, 0.0, -10.0]  # still numbers
    assert back["name"].iloc[0] == "'=HYPERLINK(\"http://x\",\"klik\")"  # readable, one quote in front


def test_neutralise_leaves_the_input_and_safe_columns_alone():
    from llt_geo.present.export import neutralise_formulas

    frame = pd.DataFrame({"name": ["=x", "\rCR"], "v": [-1.0, 2.0], "k": pd.Categorical(["=a", "'=a"])})
    out = neutralise_formulas(frame)
    assert frame["name"].tolist() == ["=x", "\rCR"]  # a copy is changed, not the caller's frame
    assert out["name"].tolist() == ["'=x", "'\rCR"] and out["v"].tolist() == [-1.0, 2.0]
    assert out["k"].tolist() == ["'=a", "'=a"]  # quoting made two categories equal: still right


def test_a_flat_named_like_a_formula_is_quoted_in_every_screening_csv(tmp_path, capsys):
    flats = [
        ["F1", "@SUM(A1)", "=1+2", 120, 100, 110, "ja", "ja", "ja", "", "kandidaat", 120300, 485400],
        ["F2", "-Flat twee", "Corp A", 60, 60, 60, "ja", "nee", "", "", "kandidaat", 121300, 485400],
    ]
    folder = make_dataset(tmp_path / "d", changes={"flats": (FLAT_HEADER, flats)})
    assert main(["screen", str(folder), "--out", str(tmp_path / "o")]) == 0
    capsys.readouterr()
    for name in ("toets_kandidaten.csv", "toets_flats.csv"):
        text = (tmp_path / "o" / name).read_text(encoding="utf-8-sig")
        assert ";'@SUM(A1);" in text and ";'-Flat twee;" in text and ";'=1+2;" in text, name
        assert ";@SUM" not in text and ";=1+2" not in text and ";-Flat" not in text, name
    criteria = pd.read_csv(tmp_path / "o" / "toets_criteria.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert (criteria["marge"].dropna() < 0).any()  # negative margins are written as numbers
    assert pd.api.types.is_float_dtype(criteria["marge"])


def test_a_carriage_return_inside_a_cell_does_not_split_the_row(tmp_path):
    frame = pd.DataFrame({"name": ["Flat\reen", "Flat\r\ntwee", "drie"], "n": [1, 2, 3]})
    path = write_csv(frame, tmp_path / "t.csv")
    back = pd.read_csv(path, sep=";", encoding="utf-8-sig")
    assert list(back["naam"]) == ["Flat\neen", "Flat\ntwee", "drie"] and list(back["n"]) == [1, 2, 3]
