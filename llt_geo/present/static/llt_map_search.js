{# llt_geo.present.maps._Search: the search box.
   JavaScript with Jinja expressions: folium renders it as the element's script macro (this = the element);
   every value from the data comes in as JSON from a this.*_js() method; the code is lltSearch in llt_map.js. -#}
(function () {
  var map = {{ this._parent.get_name() }}, flats = {{ this.store.get_name() }}.flats;
  var items = {{ this.items_js() }};
  lltSearch(map, flats, items, "{{ this.get_name() }}_list");
})();
