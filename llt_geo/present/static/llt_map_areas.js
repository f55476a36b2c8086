{# llt_geo.present.maps._Areas: polygons as one compact GeoJSON layer.
   JavaScript with Jinja expressions: folium renders it as the element's script macro (this = the element);
   every value from the data comes in as JSON from a this.*_js() method; the code is lltAreas in llt_map.js. -#}
var {{ this.get_name() }} = (function () {
  var styles = {{ this.styles_js() }}, data = {{ this.data_js() }};
  return lltAreas(styles, data, {{ this.first_js() }});
})();
