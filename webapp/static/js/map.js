/* Dichtbij: the map on /kaart. Without JavaScript the page is the list; this file shows the map box
   (before Leaflet and /kaart/kaart.js run, so the map gets its size) and then makes it easier to use:
   translated controls, keyboard focus into and out of popups, and "Toon op de kaart" in the list. */
(function () {
  "use strict";

  var box = document.getElementById("kaart");
  if (!box) {
    return;
  }
  box.hidden = false;

  document.addEventListener("DOMContentLoaded", function () {
    var element = box.querySelector(".js-map");
    var map = element && window[element.id];
    if (!map || !window.L) {
      box.hidden = true; /* Leaflet did not load: the list is still there */
      return;
    }
    var text = element.dataset;

    /* Tiles that do not load (offline, blocked, the tile service down): say so once; the markers and the
       list still work. */
    var notice = document.getElementById("kaart-tegels");
    map.eachLayer(function (layer) {
      if (layer instanceof window.L.TileLayer) {
        layer.once("tileerror", function () {
          if (notice) {
            notice.hidden = false;
          }
        });
      }
    });

    /* Popups stay inside the map on a phone, close button included: the content may be as wide as the map
       less the zoom buttons' side (56), the other side's padding (16) and the popup's own margins and
       border (62, map.css). A popup already open (/kaart?focus=) is laid out again with these. */
    var popupWidth = Math.max(160, Math.min(300, element.clientWidth - 56 - 16 - 62));
    map.eachLayer(function (layer) {
      var popup = layer.getPopup && layer.getPopup();
      if (popup) {
        popup.options.maxWidth = popupWidth;
        popup.options.autoPanPaddingTopLeft = window.L.point(56, 16);
        popup.options.autoPanPaddingBottomRight = window.L.point(16, 16);
        if (popup.isOpen && popup.isOpen()) {
          popup.update();
        }
      }
    });

    /* Zoom buttons with labels in the page language. */
    if (map.zoomControl) {
      map.zoomControl.remove();
    }
    window.L.control.zoom({ zoomInTitle: text.zoomIn, zoomOutTitle: text.zoomOut }).addTo(map);

    /* A popup opened from the keyboard gets the focus; closing it puts the focus back on its marker. */
    map.on("popupopen", function (event) {
      var popup = event.popup.getElement();
      var close = popup && popup.querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", text.close);
        close.setAttribute("title", text.close);
      }
      var source = event.popup._source;
      var icon = source && source.getElement && source.getElement();
      if (icon && document.activeElement === icon) {
        var link = popup.querySelector("a[href]:not(.leaflet-popup-close-button)");
        if (link) {
          link.focus();
        }
      }
    });
    map.on("popupclose", function (event) {
      var popup = event.popup.getElement();
      var source = event.popup._source;
      if (popup && popup.contains(document.activeElement) && source && source.getElement) {
        source.getElement().focus();
      }
    });
    element.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        map.closePopup();
      }
    });

    /* "Toon op de kaart" under each place in the list (only with a map, so made here): centre that place,
       open its popup and put the focus on its marker. The button's name ends with the place's name. */
    var markers = map.dichtbijMarkers || {};
    var list = document.querySelector(".places");
    var label = list ? list.getAttribute("data-show") : "";
    Array.prototype.forEach.call(document.querySelectorAll(".place h3 a"), function (link) {
      var slug = link.pathname.split("/").pop();
      var marker = markers[slug];
      if (!marker) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--secondary js-show-on-map";
      button.textContent = label;
      var name = document.createElement("span");
      name.className = "visually-hidden";
      name.lang = "nl";
      name.textContent = " (" + link.textContent + ")";
      button.appendChild(name);
      link.closest(".place").appendChild(button);
      button.addEventListener("click", function () {
        box.scrollIntoView({ block: "start" });
        map.setView(marker.getLatLng(), Math.max(map.getZoom(), 15));
        marker.openPopup();
        var icon = marker.getElement();
        if (icon) {
          icon.focus({ preventScroll: true });
        }
      });
    });
  });
})();
