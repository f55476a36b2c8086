{# llt_geo.present.maps._Points: many small circles (amenities) in one compact array.
   JavaScript with Jinja expressions: folium renders it as the element's script macro (this = the element);
   every value from the data comes in as JSON from a this.*_js() method. -#}
(function () {
  var kinds = {{ this.kinds_js() }}, pts = {{ this.points_js() }};
  for (var i = 0; i < pts.length; i++) {
    var p = pts[i], k = kinds[p[2]];
    L.circleMarker([p[0], p[1]], {"radius": 3, "weight": 1, "color": "#ffffff", "fillColor": k[1],
                                  "fillOpacity": 0.9, "className": "llt-amenity"})
      .bindTooltip(k[0] + (p[3] ? ": " + p[3] : "")).addTo({{ this._parent.get_name() }});
  }
})();
