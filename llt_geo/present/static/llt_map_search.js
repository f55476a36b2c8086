{# llt_geo.present.maps._Search: the search box.
   JavaScript with Jinja expressions: folium renders it as the element's script macro (this = the element);
   every value from the data comes in as JSON from a this.*_js() method. -#}
(function () {
  var map = {{ this._parent.get_name() }}, flats = {{ this.store.get_name() }}.flats;
  var items = {{ this.items_js() }};
  var Search = L.Control.extend({options: {position: "topright"}, onAdd: function () {
    var box = L.DomUtil.create("div", "llt-box llt-search-box");
    var label = L.DomUtil.create("label", "", box);
    label.textContent = "Zoek een flat ";
    var input = L.DomUtil.create("input", "llt-search", box);
    input.type = "search";
    input.placeholder = "nummer, groep, naam of adres";
    input.setAttribute("list", "{{ this.get_name() }}_list");
    var list = L.DomUtil.create("datalist", "", box);
    list.id = "{{ this.get_name() }}_list";
    for (var i = 0; i < items.length; i++) {
      var option = document.createElement("option");
      option.value = items[i];
      list.appendChild(option);
    }
    function go(prefix) {
      var q = input.value.trim().toLowerCase();
      if (!q) { return; }
      for (var i = 0; i < items.length; i++) {
        var t = items[i].toLowerCase(), hit = flats[i];
        if (hit && (t === q || (prefix && t.indexOf(q) !== -1))) {
          var marker = hit[0], layer = hit[1];
          if (!map.hasLayer(layer)) { map.addLayer(layer); }
          map.setView(marker.getLatLng(), Math.max(map.getZoom(), 16), {animate: false});
          marker.openPopup();
          return;
        }
      }
    }
    L.DomEvent.on(input, "input", function () { go(false); });
    L.DomEvent.on(input, "keydown", function (e) { if (e.key === "Enter") { go(true); } });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  }});
  new Search().addTo(map);
})();
