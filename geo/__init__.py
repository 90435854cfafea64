"""Pure, typed geospatial functions: GeoDataFrame in, GeoDataFrame out, CRS checked at entry.

No Streamlit or folium here; rendering lives in ``layers``.
"""

from geo.crs import LAMBERT93, WGS84, CRSError, require_crs, to_display
from geo.errors import DataFileError
from geo.load import Territory, load_layer, load_table, load_territory

__all__ = [
    "LAMBERT93",
    "WGS84",
    "CRSError",
    "DataFileError",
    "Territory",
    "load_layer",
    "load_table",
    "load_territory",
    "require_crs",
    "to_display",
]
