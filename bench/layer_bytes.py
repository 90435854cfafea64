"""Bytes per map layer: what each layer adds to the static bundle and to a run's update.

    python bench/layer_bytes.py [--data-dir DIR] [--json]

The static bundle (``layers/bundle.py``) is one TopoJSON topology whose objects share arcs, so a
layer's cost is measured as what the bundle loses without it (raw and gzip bytes, the gzip being
what Streamlit serves); the cités travel with each run (``layers/map.update_payload``), measured
as they are sent. ``--data-dir`` measures another build's datasets (an older commit's ``data/``
checked out in a folder, say): layers it lacks are reported as absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.crs import to_display
from geo.load import load_layer
from layers import cites
from layers.bundle import bundle_data
from layers.map import update_payload

CONTEXT_BUFFER_M = 10_000.0  # as ui/data.py


def _sizes(data: object) -> tuple[int, int]:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return len(raw), len(gzip.compress(raw, 6))


def _frames(data_dir: Path | None) -> dict[str, object]:
    def layer(name: str):
        try:
            return load_layer(name, data_dir=data_dir)
        except Exception:  # noqa: BLE001 - a build without this layer
            return None

    communes = layer("communes")
    perim = communes[communes["perimetre_erbm"]]
    zone = perim.union_all().buffer(CONTEXT_BUFFER_M)
    near = communes[~communes["perimetre_erbm"] & communes.intersects(zone)]
    labels = layer("labels")
    unesco, contours = layer("unesco"), layer("cite_contours")
    return {
        "communes_gdf": to_display(perim),
        "neighbours": to_display(near),
        "departements": to_display(layer("departements")),
        "labels": to_display(labels[labels.within(zone)]),
        "epci_gdf": to_display(layer("epci")),
        "bud_zone": to_display(layer("bud_zone")),
        "roads_gdf": to_display(layer("roads")),
        "unesco_gdf": to_display(unesco) if unesco is not None else None,
        "_cites": to_display(layer("cites")),
        "_contours": to_display(contours) if contours is not None else None,
    }


def measure(data_dir: Path | None = None) -> dict[str, object]:
    f = _frames(data_dir)
    kwargs = {k: v for k, v in f.items() if not k.startswith("_")}
    full = bundle_data(**kwargs)
    total = _sizes(full)
    out: dict[str, object] = {"bundle_total": {"raw": total[0], "gzip": total[1]}, "bundle_layers": {}}
    names = [*full["topology"]["objects"], *full["geojson"]]  # type: ignore[index]
    for name in names:
        less = json.loads(json.dumps(full))
        if name in less["topology"]["objects"]:
            # Removing an object leaves its arcs: rebuild without it for its true share.
            less = _without(kwargs, name)
        else:
            del less["geojson"][name]
        raw, gz = _sizes(less)
        out["bundle_layers"][name] = {"raw": total[0] - raw, "gzip": total[1] - gz}  # type: ignore[index]
    run = update_payload([cites.build(f["_cites"], outlines=f["_contours"])])["features"]
    out["run_cites"] = {name: dict(zip(("raw", "gzip"), _sizes(fc), strict=True)) for name, fc in run.items()}
    return out


def _without(kwargs: dict[str, object], name: str) -> dict[str, object]:
    """The bundle rebuilt with object ``name`` emptied (its arcs then vanish too)."""
    import geopandas as gpd

    def empty(gdf):
        return gpd.GeoDataFrame(gdf.iloc[0:0], geometry=gdf.geometry.name, crs=gdf.crs)

    by_object = {
        "communes": "communes_gdf",
        "epci": "epci_gdf",
        "bud": "bud_zone",
        "unesco": "unesco_gdf",
        "departements": "departements",
        "voisines": "neighbours",
    }
    args = dict(kwargs)
    key = by_object.get(name)
    if key is None or args.get(key) is None:
        return bundle_data(**args)
    if name == "unesco":
        args[key] = None
    else:
        args[key] = empty(args[key])  # type: ignore[arg-type]
    return bundle_data(**args)


def main() -> int:
    parser = argparse.ArgumentParser(description="Octets par couche de la carte (bundle statique et mise à jour).")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.data_dir)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"bundle : {result['bundle_total']['raw']} o ({result['bundle_total']['gzip']} o gzip)")
    for name, s in result["bundle_layers"].items():  # type: ignore[union-attr]
        print(f"  {name:14} {s['raw']:>9} o  {s['gzip']:>8} o gzip")
    for name, s in result["run_cites"].items():  # type: ignore[union-attr]
        print(f"  run:{name:10} {s['raw']:>9} o  {s['gzip']:>8} o gzip")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
