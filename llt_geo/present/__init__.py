"""What the stuurgroep sees, written from :class:`llt_geo.results.Results` alone.

Maps (:mod:`.maps`), print figures (:mod:`.plots`), the report and dossiers (:mod:`.report`), the
CSV and GeoPackage writers (:mod:`.export`), the offline assets (:mod:`.offline`), the palette, the
traceability table, the Dutch descriptions of the settings (:mod:`.config_nl`) and the whole pack
(:mod:`.pack`). Nothing here computes or decides: an output reads the result of the analysis
(``tests/test_layers.py`` and the import contract in ``pyproject.toml`` hold it to that).
"""
