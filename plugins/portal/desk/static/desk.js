/* The desk's own additions to Decap CMS (loaded after decap-cms.js, same origin):
 * - the portal's stylesheet and item layout in the preview;
 * - before saving, empty optional values are dropped, so what the form writes passes
 *   `portal check` (the schema refuses "", [] and {} where it asks for content).
 * Contributor text reaches the preview only through React (escaped) and Decap's
 * sanitised Markdown preview (`sanitize_preview: true` in config.yml). */
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  CMS.registerPreviewStyle("../theme/css/portal.css");
  // Decap has started: the page's own loading notice gives way to its interface.
  var loading = document.getElementById("desk-loading");
  if (loading) loading.remove();

  function isEmpty(value) {
    if (value === undefined || value === null || value === "") return true;
    if (value && typeof value.size === "number" && typeof value.filter === "function") {
      return value.size === 0;
    }
    return false;
  }

  function prune(value) {
    if (value && typeof value.filter === "function" && typeof value.map === "function") {
      return value.map(prune).filter(function (v) { return !isEmpty(v); });
    }
    if (typeof value === "string") return value.trim() === "" ? "" : value;
    return value;
  }

  CMS.registerEventListener({
    name: "preSave",
    handler: function (context) {
      var data = context.entry.get("data");
      var body = data.get("body");
      var pruned = prune(data);
      return body === undefined ? pruned : pruned.set("body", body || "");
    },
  });

  function text(entry, name) {
    var value = entry.getIn(["data", name]);
    return value === undefined || value === null ? "" : String(value);
  }

  function ItemPreview(props) {
    var entry = props.entry;
    var images = entry.getIn(["data", "images"]);
    var figures = [];
    if (images && images.forEach) {
      images.forEach(function (image, index) {
        if (!image || !image.get) return;
        var asset = props.getAsset(image.get("src") || "");
        figures.push(h("figure", { key: index },
          h("img", { src: asset ? asset.toString() : "", alt: image.get("alt") || "" }),
          image.get("caption") ? h("figcaption", {}, image.get("caption")) : null));
      });
    }
    return h("main", { id: "main" },
      h("div", { className: "item-layout" },
        h("article", { className: "item" },
          h("h1", {}, text(entry, "title")),
          text(entry, "summary") ? h("p", { className: "lead" }, text(entry, "summary")) : null,
          text(entry, "abstract") ? h("p", { className: "lead" }, text(entry, "abstract")) : null,
          figures,
          h("div", { className: "body" }, props.widgetFor("body")))));
  }

  fetch("desk.json", { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (desk) {
      desk.items.forEach(function (name) { CMS.registerPreviewTemplate(name, ItemPreview); });
    });
})();
