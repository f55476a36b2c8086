from pathlib import Path

import pytest

from llt_geo import InputError, default_config, load_config


def test_defaults_come_from_the_toewijzingskader():
    cfg = default_config()
    assert cfg["programme"]["goal_flats"] == 30
    assert cfg["programme"]["goal_year"] == 2030
    assert cfg["eligibility"]["min_dwellings"] == 100


def test_every_default_has_a_reason_written_beside_it():
    text = (Path(__file__).resolve().parent.parent / "llt_geo" / "default_config.toml").read_text()
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if "=" in line and not line.lstrip().startswith("#"):
            above = lines[max(0, i - 4) : i]
            assert any(a.lstrip().startswith("#") for a in above) or line.lstrip().startswith("["), line


def test_folder_overrides_keep_other_defaults(tmp_path):
    (tmp_path / "llt_geo.toml").write_text("[eligibility]\nmin_dwellings = 80\n")
    cfg = load_config(tmp_path)
    assert cfg["eligibility"]["min_dwellings"] == 80
    assert cfg["eligibility"]["amenity_radius_m"] == 500.0


def test_int_given_for_float_is_accepted_as_float(tmp_path):
    (tmp_path / "llt_geo.toml").write_text("[grouping]\nmax_distance_m = 300\n")
    assert load_config(tmp_path)["grouping"]["max_distance_m"] == 300.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[eligibility]\nmin_dwelings = 80\n", "unknown key 'min_dwelings' in [eligibility]"),
        ("[eligibilty]\nmin_dwellings = 80\n", "unknown section [eligibilty]"),
        ('[eligibility]\nmin_dwellings = "honderd"\n', "[eligibility] min_dwellings must be a number"),
        ("[areas]\nageing_threshold_share = 18\n", "ageing_threshold_share must be"),
        ("[eligibility\nmin_dwellings = 80\n", "not valid TOML"),
        ("[eligibility]\nmin_share_nultreden = 50\n", "between 0 and 1 (a share: write 0.5 for 50%)"),
        ("[eligibility]\nmin_dwellings = -1\n", "[eligibility] min_dwellings must be at least 1"),
        ("[eligibility]\nmin_dwellings = 99.5\n", "must be a whole number"),
        ("[eligibility]\namenity_kinds = []\n", "non-empty list of words"),
        ('[eligibility]\namenity_kinds = ["supermarkt", 5]\n', "non-empty list of words"),
        ("[eligibility]\nmin_amenity_kinds = 9\n", "cannot be more than the 5 amenity_kinds"),
        ('[areas]\nageing_level = "gemeente"\n', "must be one of wijk, buurt"),
        ("[areas]\noutside_tolerance_m = -5\n", "must be between 0 and 5000"),
        ("[validation]\nregion_rd = [1.0, 2.0]\n", "[xmin, ymin, xmax, ymax]"),
        ("[care]\nweight_cooperation = -1\n", "must be 0 or more"),
        ("[portfolio]\nmax_per_stadsdeel = 0\n", "is below min_per_stadsdeel"),
        ('[report]\npeildatum = "30-11-2026"\n', "[report] peildatum must be a date written 2026-11-30"),
        ('[validation]\ntoday = "gisteren"\n', "[validation] today must be a date written 2026-11-24"),
        ('[report]\nbasemap = "google"\n', "[report] basemap must be pdok, osm or none"),
    ],
)
def test_bad_configuration_names_file_and_key(tmp_path, text, expected):
    (tmp_path / "llt_geo.toml").write_text(text)
    with pytest.raises(InputError) as info:
        load_config(tmp_path)
    assert "llt_geo.toml" in str(info.value)
    assert expected in str(info.value)


def test_the_defaults_pass_their_own_rules(tmp_path):
    (tmp_path / "llt_geo.toml").write_text("")
    assert load_config(tmp_path) == default_config()


def test_weights_of_the_2_3_aspects_are_configured():
    care = default_config()["care"]
    assert {k for k in care if k.startswith("weight_")} == {
        "weight_known_in_wijk", "weight_cooperation", "weight_intramural_nearby", "weight_residents_voice",
        "weight_existing_clients"}
