"""Reading, stage 3 of 5 -- locations: points, geometry, CRS and region.

Locations come as the file's own geometry, as WKT text, as ``lon``/``lat`` (EPSG:4326) or as RD
``x``/``y`` (EPSG:28992). Here coordinate columns become points (:func:`_points_from_columns`)
and a geometry is prepared (:func:`_prepare_geometry`): a file without a coordinate reference
system gets one recognised from its coordinates (:func:`_guess_crs`, and said so), RD metres
labelled as degrees are read as RD, swapped longitude and latitude, the wrong geometry type and
invalid geometry are reported, and everything is brought to EPSG:28992 (:data:`CRS_RD`) and
checked against the region of the configuration (``[validation] region_rd``). Problems go to the
file's :class:`~llt_geo.io.values._Collector`.
"""

from __future__ import annotations

import functools

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ..schema import Table
from .formats import _Raw
from .values import _Collector, _LazyText, _text_at, _to_number, _typed_numbers

CRS_RD = "EPSG:28992"
CRS_WGS84 = "EPSG:4326"


@functools.cache
def _wgs84_to_rd() -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(CRS_WGS84, CRS_RD, always_xy=True)


def _inside(x: np.ndarray, y: np.ndarray, region: list[float]) -> np.ndarray:
    return (x >= region[0]) & (x <= region[2]) & (y >= region[1]) & (y <= region[3])


def _coordinate(
    raw: _Raw, header: str, low: float, high: float
) -> tuple[np.ndarray, np.ndarray, pd.Series | _LazyText]:
    """One coordinate column: its numbers (NaN where empty or unreadable), where it is empty, and its
    cells as text (for a typed column, made only for the rows a problem quotes)."""
    if header in raw.typed and not pd.api.types.is_bool_dtype(raw.frame[header].dtype):
        typed = raw.frame[header]
        value, infinite = _typed_numbers(typed)
        return value, np.isnan(value) & ~infinite, _LazyText(typed)
    text = raw.text(header)
    return _to_number(text, low=low, high=high).to_numpy(dtype=float), (text == "").to_numpy(), text


class _Pair(_LazyText):
    """Two coordinate columns quoted together (``4,9 / 52,4``), made only for the rows quoted."""

    def __init__(self, tx: pd.Series | _LazyText, ty: pd.Series | _LazyText):
        self.tx, self.ty = tx, ty

    def at(self, mask: np.ndarray) -> np.ndarray:
        return (_text_at(self.tx, mask) + " / " + _text_at(self.ty, mask)).to_numpy(dtype=object)


def _points_from_columns(
    raw: _Raw, headers: dict[str, str], c: _Collector, region: list[float]
) -> gpd.GeoSeries | None:
    """Point geometries from coordinate columns (``lon``/``lat`` in degrees, or ``x``/``y`` in RD
    metres), or None when the table has neither pair. An empty or non-numeric coordinate, degrees
    without their decimal separator, RD metres given as longitude/latitude and a location outside
    the Amsterdam region are reported per row (with the fix)."""
    frame = raw.frame
    if "lon" in headers and "lat" in headers:
        hx, hy = headers["lon"], headers["lat"]
        kind = "lonlat"
    elif "x" in headers and "y" in headers:
        hx, hy = headers["x"], headers["y"]
        kind = "rd"
    else:
        return None
    if kind == "lonlat":
        x, empty_x, tx = _coordinate(raw, hx, -180, 180)
        y, empty_y, ty = _coordinate(raw, hy, -90, 90)
    else:
        x, empty_x, tx = _coordinate(raw, hx, region[0], region[2])
        y, empty_y, ty = _coordinate(raw, hy, region[1], region[3])

    pair = _Pair(tx, ty)

    empty = empty_x | empty_y
    c.add(
        "error",
        f"{hx}/{hy}",
        "no location (empty coordinate)",
        empty,
        pair,
        fix="fill in both coordinates; a row without a location cannot be placed on the map",
    )
    unreadable = ~empty & (np.isnan(x) | np.isnan(y))
    c.add(
        "error",
        f"{hx}/{hy}",
        "coordinate is not a number",
        unreadable,
        pair,
        fix="write coordinates as numbers, e.g. 4,8412 / 52,3617 or 4.8412 / 52.3617",
    )
    ok = ~(empty | unreadable)
    if kind == "lonlat":
        # 4.900274 / 52.379762 written by a program whose locale dropped the decimal point
        big = ok & ((np.abs(x) > 1000) | (np.abs(y) > 1000)) & (x > 0) & (y > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            lead_x = np.where(big, x / 10 ** np.floor(np.log10(np.where(big, x, 1))), 0)
            lead_y = np.where(big, y / 10 ** (np.floor(np.log10(np.where(big, y, 1))) - 1), 0)
        scrambled = big & (lead_x >= 3) & (lead_x < 8) & (lead_y >= 50) & (lead_y < 54)
        c.add(
            "error",
            f"{hx}/{hy}",
            "the decimal separator is missing from these longitude/latitude values (a locale setting of the "
            "program that wrote the file?)",
            scrambled,
            pair,
            fix="export the coordinates again with their decimal separator, e.g. 4,900274 / 52,379762",
        )
        ok = ok & ~scrambled
        rd_like = ok & ((np.abs(x) > 1000) | (np.abs(y) > 1000))
        c.add(
            "error",
            f"{hx}/{hy}",
            "these look like RD coordinates (metres), not longitude/latitude",
            rd_like,
            pair,
            fix=f"rename the columns '{hx}'/'{hy}' to x/y (RD New, EPSG:28992)",
        )
        swapped = ok & ~rd_like & (x > 50) & (x < 54) & (y > 3) & (y < 8)
        c.add(
            "error",
            f"{hx}/{hy}",
            "longitude and latitude are swapped (Amsterdam lies at about lon 4.9, lat 52.4)",
            swapped,
            pair,
            fix=f"swap the columns '{hx}' and '{hy}'",
        )
        ok = ok & ~rd_like & ~swapped
        # the coordinates to RD by the transformation geopandas' to_crs uses (always_xy), the points
        # made once, in RD
        px, py = _wgs84_to_rd().transform(np.where(ok, x, np.nan), np.where(ok, y, np.nan))
    else:
        ll_like = ok & (np.abs(x) <= 180) & (np.abs(y) <= 90)
        c.add(
            "error",
            f"{hx}/{hy}",
            "these look like longitude/latitude, not RD coordinates (metres)",
            ll_like,
            pair,
            fix=f"rename the columns '{hx}'/'{hy}' to lon/lat",
        )
        swapped = ok & ~ll_like & (x > 300000) & (y < 300000)
        c.add(
            "error",
            f"{hx}/{hy}",
            "x and y are swapped (in Amsterdam x is about 120000 and y about 487000)",
            swapped,
            pair,
            fix=f"swap the columns '{hx}' and '{hy}'",
        )
        ok = ok & ~ll_like & ~swapped
        px, py = x, y
    px, py = np.where(ok, px, np.nan), np.where(ok, py, np.nan)
    points = gpd.points_from_xy(px, py)
    points[~ok] = None
    pts = gpd.GeoSeries(points, index=frame.index, crs=CRS_RD)
    outside = ok & ~_inside(px, py, region)
    c.add(
        "error",
        f"{hx}/{hy}",
        "location lies outside the Amsterdam region",
        outside,
        pair,
        fix="check the coordinates (and whether they are lon/lat or RD x/y)",
    )
    return pts


def _guess_crs(geom: gpd.GeoSeries) -> str | None:
    b = geom.total_bounds
    if np.isnan(b).any():
        return None
    if b[0] >= -180 and b[2] <= 180 and b[1] >= -90 and b[3] <= 90:
        return CRS_WGS84
    if b[0] >= -10000 and b[2] <= 300000 and b[1] >= 280000 and b[3] <= 650000:
        return CRS_RD
    return None


def _prepare_geometry(
    geom: gpd.GeoSeries, table: Table, c: _Collector, region: list[float], column: str = "geometry"
) -> gpd.GeoSeries:
    """A file's geometries made usable: empty ones reported, the CRS known (guessed from the
    coordinates with a warning when the file has none, an error when it cannot be recognised), RD
    metres labelled as degrees read as RD with a warning, swapped longitude/latitude reported,
    reprojected to EPSG:28992; the wrong geometry type for the table, invalid shapes and features
    outside the Amsterdam region are reported per row (with the fix), never repaired silently."""
    geom = geom.copy()
    geom.index = c.raw.frame.index
    missing = (geom.isna() | geom.is_empty).to_numpy()
    c.add("error", column, "empty or missing geometry", missing, fix="draw or fill in the geometry, or remove the row")
    if geom.crs is None:
        guess = _guess_crs(geom[~missing])
        if guess is None:
            c.add(
                "error",
                column,
                "the file has no coordinate reference system and it cannot be recognised",
                fix="save the file with a CRS (EPSG:28992 or EPSG:4326)",
            )
            return geom.set_crs(CRS_RD, allow_override=True)
        c.add("warning", column, f"the file has no coordinate reference system; read as {guess} from its coordinates")
        geom = geom.set_crs(guess)
    if geom.crs.is_geographic and _guess_crs(geom[~missing]) == CRS_RD:
        # GeoJSON without a "crs" member is read as WGS84 by GDAL; RD metres then cannot be degrees
        c.add(
            "warning",
            column,
            f"the coordinates are RD metres, but the file says (or GDAL assumed) {geom.crs.to_string()}; "
            "read as EPSG:28992",
            fix='save the file with its CRS (for GeoJSON: a "crs" member naming EPSG:28992)',
        )
        geom = geom.set_crs(CRS_RD, allow_override=True)
    if geom.crs.is_geographic:
        b = geom[~missing].bounds
        swapped = ((b.minx > 50) & (b.maxx < 54) & (b.miny > 3) & (b.maxy < 8)).reindex(geom.index, fill_value=False)
        c.add(
            "error",
            column,
            "longitude and latitude are swapped in these geometries",
            swapped.to_numpy(),
            fix="swap the axis order when exporting (x = longitude, y = latitude)",
        )
    try:
        # already RD New (a CRS equal to EPSG:28992 though not written the same way, as GeoParquet's
        # PROJJSON): the transformation would be the identity, and is skipped
        geom = geom.set_crs(CRS_RD, allow_override=True) if geom.crs == CRS_RD else geom.to_crs(CRS_RD)
    except Exception as exc:  # pyproj raises several types
        c.add(
            "error", column, f"cannot convert from {geom.crs} to RD New ({exc})", fix="save in EPSG:28992 or EPSG:4326"
        )
        return geom.set_crs(CRS_RD, allow_override=True)
    present = ~missing
    # shapely's type ids (no string per geometry); the type names only for the rows a message quotes
    type_id = shapely.get_type_id(geom.to_numpy())

    def gtype() -> pd.Series:
        return pd.Series(geom.geom_type.to_numpy(), index=geom.index)

    if table.geometry == "point":
        wrong = present & (type_id != shapely.GeometryType.POINT)
        multi1 = (
            present & (type_id == shapely.GeometryType.MULTIPOINT) & (shapely.get_num_geometries(geom.to_numpy()) == 1)
        )
        if multi1.any():
            geom[multi1] = shapely.get_geometry(geom[multi1].to_numpy(), 0)
            wrong = wrong & ~multi1
        c.add(
            "error",
            column,
            "expected a point",
            wrong,
            gtype,
            fix="give one point per row (a building's location)",
        )
    else:
        wrong = present & ~np.isin(type_id, [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON])
        c.add(
            "error",
            column,
            "expected a polygon",
            wrong,
            gtype,
            fix="give one (multi)polygon per area",
        )
    checkable = present & ~wrong
    valid = np.ones(len(geom), dtype=bool)
    valid[checkable] = shapely.is_valid(geom[checkable].to_numpy())

    def reasons() -> pd.Series:  # made only when a geometry is invalid
        out = pd.Series("", index=geom.index, dtype=object)
        out[~valid] = shapely.is_valid_reason(geom[~valid].to_numpy())
        return out

    c.add(
        "error",
        column,
        "invalid geometry",
        ~valid,
        reasons,
        fix="repair it, e.g. QGIS 'Fix geometries' or shapely.make_valid",
    )
    ok = checkable & valid
    x = np.full(len(geom), np.nan)
    y = np.full(len(geom), np.nan)
    if ok.any():
        if table.geometry == "point":
            x[ok], y[ok] = shapely.get_x(geom[ok].to_numpy()), shapely.get_y(geom[ok].to_numpy())
        else:
            cent = shapely.centroid(geom[ok].to_numpy())
            x[ok], y[ok] = shapely.get_x(cent), shapely.get_y(cent)
    outside = ok & ~_inside(x, y, region)
    coords = pd.Series("", index=geom.index, dtype=object)  # text only for the rows reported
    coords[outside] = [f"{a:.0f}, {b:.0f}" for a, b in zip(x[outside], y[outside], strict=True)]
    c.add(
        "error",
        column,
        "lies outside the Amsterdam region (RD x, y shown)",
        outside,
        coords,
        fix="check the coordinates and the file's coordinate reference system",
    )
    return geom
