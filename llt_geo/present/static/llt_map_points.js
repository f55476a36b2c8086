{# llt_geo.present.maps._Points: many small circles (amenities) in one compact array.
   JavaScript with Jinja expressions: folium renders it as the element's script macro (this = the element);
   every value from the data comes in as JSON from a this.*_js() method; the code is lltPoints in llt_map.js. -#}
(function () {
  var kinds = {{ this.kinds_js() }}, pts = {{ this.points_js() }};
  lltPoints({{ this._parent.get_name() }}, kinds, pts);
})();
