{# llt_geo.present.maps._ContentStore: the page's store of texts and circle styles, written once.
   JavaScript with Jinja expressions: folium renders it as the element's script macro (this = the element);
   every value from the data comes in as JSON from a this.*_js() method; the code is lltStore in llt_map.js. -#}
var {{ this.get_name() }} = (function () {
  {{ this.texts_js() }}
  return lltStore(parts, texts, {{ this.styles_js() }});
})();
