"""The world map: Natural Earth borders (TopoJSON from `world-atlas`, see world/SOURCE.md)
decoded, cut at the antimeridian and projected with Equal Earth, as SVG path data.

Only numbers computed here go into the paths, so they are safe to mark up as SVG.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources

Point = tuple[float, float]  # longitude, latitude in degrees
Ring = list[Point]

WIDTH = 1000.0
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> Point:
    """Šavrič, Patterson and Jenny's Equal Earth projection (2018), in radians' units."""
    theta = math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    stretch = _M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2))
    x = math.radians(lon) * math.cos(theta) / stretch
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_X_MAX, _Y_MAX = equal_earth(180, 0)[0], equal_earth(0, 90)[1]
_SCALE = WIDTH / 2 / _X_MAX
HEIGHT = round(2 * _Y_MAX * _SCALE, 1)


def _arcs(topology: dict[str, object]) -> list[Ring]:
    """Arcs in degrees: undo the quantization's delta encoding and transform."""
    transform = topology["transform"]
    assert isinstance(transform, dict)
    (kx, ky), (dx, dy) = transform["scale"], transform["translate"]
    decoded = []
    for arc in topology["arcs"]:  # type: ignore[attr-defined]
        x = y = 0
        points = []
        for step in arc:
            x, y = x + step[0], y + step[1]
            points.append((x * kx + dx, y * ky + dy))
        decoded.append(points)
    return decoded


def _ring(arcs: list[Ring], indexes: list[int]) -> Ring:
    ring: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc[1:] if ring else arc)
    return ring


def _unwrap(ring: Ring) -> Ring:
    """Longitudes made continuous across ±180°; a ring around a pole is closed along it."""
    out = [ring[0]]
    for lon, lat in ring[1:]:
        previous = out[-1][0]
        lon += 360 * round((previous - lon) / 360)
        out.append((lon, lat))
    if abs(out[-1][0] - out[0][0]) > 180:  # it went round the world: close it at the pole
        pole = -90.0 if sum(p[1] for p in out) < 0 else 90.0
        out += [(out[-1][0], pole), (out[0][0], pole)]
    return out


def _clip(ring: Ring, edge: float, keep_below: bool) -> Ring:
    """Sutherland-Hodgman against the meridian `edge`."""

    def inside(point: Point) -> bool:
        return point[0] <= edge if keep_below else point[0] >= edge

    out: Ring = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current) != inside(previous):
            t = (edge - previous[0]) / (current[0] - previous[0])
            out.append((edge, previous[1] + t * (current[1] - previous[1])))
        if inside(current):
            out.append(current)
    return out


def split(ring: Ring) -> list[Ring]:
    """The ring as pieces that each lie within -180°..180°."""
    whole = _unwrap(ring)
    low, high = min(p[0] for p in whole), max(p[0] for p in whole)
    if low >= -180 and high <= 180:
        return [whole]
    pieces = []
    for shift in (-360, 0, 360):
        moved = [(lon + shift, lat) for lon, lat in whole]
        piece = _clip(_clip(moved, 180, True), -180, False)
        if len(piece) >= 3:
            pieces.append(piece)
    return pieces


def _path(rings: list[Ring]) -> str:
    parts = []
    for ring in rings:
        points: list[str] = []
        for lon, lat in ring:
            x, y = equal_earth(lon, lat)
            point = f"{x * _SCALE + WIDTH / 2:.1f},{HEIGHT / 2 - y * _SCALE:.1f}"
            if not points or points[-1] != point:
                points.append(point)
        if len(points) >= 3:
            parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


@cache
def countries() -> dict[str, tuple[str, str]]:
    """ISO 3166-1 numeric code (or Natural Earth's name for the few without one) →
    (Natural Earth's name, SVG path data)."""
    text = resources.files(__package__).joinpath("world/countries-110m.json").read_text("utf-8")
    topology = json.loads(text)
    arcs = _arcs(topology)
    found = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs", [])
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = [piece for polygon in polygons for r in polygon for piece in split(_ring(arcs, r))]
        name = geometry["properties"]["name"]
        found[geometry.get("id") or name] = (name, _path(rings))
    return found
