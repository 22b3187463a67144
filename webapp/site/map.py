"""The map, built server-side with folium and served as an external script (the CSP forbids inline ones).

folium writes the Leaflet calls; the page only loads Leaflet from /static/vendor/leaflet/ (no CDN, no jQuery,
no Bootstrap) and then /kaart/kaart.js, which is `map_script()` below. Element ids and variable names are
fixed, so the same places always give the same script (and the same ETag).

The map is an extra: every place on it is also in the server-rendered list beside it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import CssLink, Figure, JavascriptLink, MacroElement
from jinja2 import Template
from markupsafe import escape

LEAFLET_VERSION = "1.9.4"
MAP_ID = "kaart"  # folium names the map "map_" + this: the element id and the JS variable are "map_kaart"
ELEMENT_ID = f"map_{MAP_ID}"

# The region the site covers (Oss, Maashorst, Meierijstad, Oirschot, Geertruidenberg): the view when
# there is nothing to show.
REGION_CENTRE = (51.65, 5.35)
REGION_ZOOM = 9
FOCUS_ZOOM = 16
MAX_FIT_ZOOM = 15


@dataclass(frozen=True)
class Marker:
    """One marker: everything the popup shows, all plain text (the script builds the DOM, no HTML strings)."""

    slug: str
    name: str
    lat: float
    lon: float
    address: str = ""
    voorbeeld: bool = False


class Markers(MacroElement):
    """All markers in one compact loop: a keyboard-operable Leaflet marker with a title and alt per place,
    and a popup that links to the place's page (`href` with "{slug}" in it). `focus` opens that popup."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  var labels = {{ this.labels|tojson }};
  var markers = {};
  {{ this.rows_json }}.forEach(function (p) {
    var marker = L.marker([p[2], p[3]], {title: p[1], alt: p[1], keyboard: true}).addTo(map);
    var box = document.createElement("div");
    box.className = "map-popup";
    box.lang = "nl";
    var link = document.createElement("a");
    link.href = {{ this.href|tojson }}.replace("{slug}", p[0]);
    link.textContent = p[1];
    box.appendChild(link);
    if (p[4]) {
      var where = document.createElement("p");
      where.textContent = p[4];
      box.appendChild(where);
    }
    if (p[5]) {
      var demo = document.createElement("p");
      demo.className = "badge badge--voorbeeld";
      demo.lang = labels.lang;
      demo.textContent = labels.voorbeeld;
      box.appendChild(demo);
    }
    marker.bindPopup(box);
    marker.dichtbijSlug = p[0];
    markers[p[0]] = marker;
  });
  map.dichtbijMarkers = markers;
  {%- if this.focus %}
  if (markers[{{ this.focus|tojson }}]) { markers[{{ this.focus|tojson }}].openPopup(); }
  {%- endif %}
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(
        self, markers: Sequence[Marker], href: str, labels: dict[str, str], focus: str | None = None
    ) -> None:
        super().__init__()
        self._name = "Markers"
        self._id = "markers"
        self.rows = [
            [p.slug, p.name, round(p.lat, 6), round(p.lon, 6), p.address, 1 if p.voorbeeld else 0]
            for p in markers
        ]
        # Compact JSON (the list can hold every place in the region); "<" escaped as in Jinja's tojson.
        self.rows_json = json.dumps(self.rows, ensure_ascii=False, separators=(",", ":")).replace(
            "<", "\\u003c"
        )
        self.href = href
        self.labels = labels
        self.focus = focus


def build_map(
    markers: Sequence[Marker],
    *,
    href: str,
    leaflet_js: str,
    leaflet_css: str,
    tile_url: str = "",
    tile_attribution: str = "",
    labels: dict[str, str] | None = None,
    focus: str | None = None,
) -> folium.Map:
    """A folium map with one marker per place; only the local Leaflet files are referenced.

    `href` is the URL of a place's page with "{slug}" where its slug goes.
    """
    focused = next((m for m in markers if m.slug == focus), None)
    location = (focused.lat, focused.lon) if focused else REGION_CENTRE
    fmap = folium.Map(
        location=location,
        zoom_start=FOCUS_ZOOM if focused else REGION_ZOOM,
        tiles=None,
        width="100%",
        height="100%",
        scroll_wheel_zoom=False,  # the page scrolls past the map; zoom with the buttons, keys or fingers
    )
    # Instance lists (not the class ones): Leaflet from our own static files, nothing else.
    fmap.default_js = [("leaflet", leaflet_js)]
    fmap.default_css = [("leaflet_css", leaflet_css)]
    fmap._id = MAP_ID
    if tile_url:
        # Leaflet shows the attribution as HTML: it is plain text here.
        attribution = str(escape(tile_attribution))
        folium.TileLayer(tiles=tile_url, attr=attribution, max_zoom=19, name="tiles").add_to(fmap)
    Markers(markers, href, labels or {}, focused.slug if focused else None).add_to(fmap)
    if markers and not focused:
        lats = [m.lat for m in markers]
        lons = [m.lon for m in markers]
        folium.FitBounds(
            [(min(lats), min(lons)), (max(lats), max(lons))], padding=(30, 30), max_zoom=MAX_FIT_ZOOM
        ).add_to(fmap)
    _fix_ids(fmap)
    return fmap


def _fix_ids(element: Any, prefix: str = "el") -> None:
    """Replace folium's random ids (uuid4) below the map by stable ones, so the script is deterministic."""
    for i, child in enumerate(element._children.values()):
        if child._id != "markers":
            child._id = f"{prefix}{i}"
        _fix_ids(child, f"{prefix}{i}_")


@dataclass(frozen=True)
class RenderedMap:
    script: str  # folium's generated map script, for an external .js file
    js: tuple[str, ...]  # the script URLs folium's own page would load (only the local Leaflet)
    css: tuple[str, ...]


def render_map(fmap: folium.Map) -> RenderedMap:
    """Render the folium figure once; keep its script (blank lines squeezed) and its asset links."""
    root = fmap.get_root()
    assert isinstance(root, Figure)
    root.render()
    children = list(root.header._children.values())
    lines = (line.rstrip() for line in root.script.render().splitlines())
    script = re.sub(r"\n{2,}", "\n", "\n".join(line for line in lines if line.strip())) + "\n"
    return RenderedMap(
        script=script,
        js=tuple(c.url for c in children if isinstance(c, JavascriptLink)),
        css=tuple(c.url for c in children if isinstance(c, CssLink)),
    )
