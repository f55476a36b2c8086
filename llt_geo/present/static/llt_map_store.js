{# llt_geo.present.maps._ContentStore: the page's store of texts and circle styles, written once.
   JavaScript with Jinja expressions: folium renders it as the element's script macro (this = the element);
   every value from the data comes in as JSON from a this.*_js() method. -#}
var {{ this.get_name() }} = (function () {
  {{ this.texts_js() }}
  for (var i = 0; i < texts.length; i++) {
    var t = texts[i], s = "";
    for (var j = 0; j < t.length; j++) { s += parts[t[j]]; }
    texts[i] = s;
  }
  return {"texts": texts, "styles": {{ this.styles_js() }}, "flats": []};
})();
