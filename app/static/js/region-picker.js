// The cascading province → city → county selector of the registration form. Without JavaScript the form keeps
// its plain select of every county; with it, that select is hidden and filled from three linked selects whose
// options come from GET /regions/children?parent=CODE.
(function () {
  "use strict";

  function option(value, text) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    return o;
  }

  function setUp(box) {
    var target = box.querySelector("select");
    if (!target) return;
    var url = box.dataset.childrenUrl;
    var labels = [box.dataset.labelProvince, box.dataset.labelCity, box.dataset.labelCounty];
    var placeholder = box.dataset.placeholder || "—";
    var start = (box.dataset.lineage || "").split(" ").filter(Boolean);
    var invalid = target.classList.contains("is-invalid");
    var row = document.createElement("div");
    row.className = "row g-2";
    row.dataset.testid = "region-picker";
    var selects = labels.map(function (label, level) {
      var col = document.createElement("div");
      col.className = "col-sm-4";
      var select = document.createElement("select");
      select.className = "form-select" + (invalid ? " is-invalid" : "");
      select.id = target.id + "-level-" + level;
      select.setAttribute("aria-label", label);
      select.disabled = true;
      col.appendChild(select);
      row.appendChild(col);
      return select;
    });
    target.hidden = true;
    target.parentNode.insertBefore(row, target);
    var fieldLabel = box.querySelector("label[for='" + target.id + "']");
    if (fieldLabel) fieldLabel.htmlFor = selects[0].id;
    box.querySelectorAll(".invalid-feedback").forEach(function (el) { el.classList.add("d-block"); });

    function clearFrom(level) {
      for (var i = level; i < selects.length; i++) {
        selects[i].replaceChildren(option("", placeholder));
        selects[i].disabled = true;
      }
    }

    function load(level, parent, chosen) {
      clearFrom(level);
      if (level >= selects.length) return Promise.resolve();
      var query = parent ? "?parent=" + encodeURIComponent(parent) : "";
      return fetch(url + query, {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (regions) {
          var select = selects[level];
          regions.forEach(function (region) {
            var o = option(region.code, region.name);
            o.dataset.level = region.level;
            select.appendChild(o);
          });
          select.disabled = regions.length === 0;
          if (chosen && chosen.length && select.querySelector("option[value='" + chosen[0] + "']")) {
            select.value = chosen[0];
            return pick(level, chosen.slice(1));
          }
          box.dataset.ready = String(level);
        });
    }

    function pick(level, chosen) {
      var select = selects[level];
      var picked = select.selectedOptions[0];
      if (!select.value) {
        target.value = "";
        clearFrom(level + 1);
        return Promise.resolve();
      }
      if (picked && picked.dataset.level === "county") {
        if (!target.querySelector("option[value='" + select.value + "']")) {
          target.appendChild(option(select.value, picked.textContent));
        }
        target.value = select.value;
        clearFrom(level + 1);
        box.dataset.ready = "county";
        target.dispatchEvent(new Event("change", {bubbles: true}));
        return Promise.resolve();
      }
      target.value = "";
      return load(level + 1, select.value, chosen);
    }

    selects.forEach(function (select, level) {
      select.addEventListener("change", function () { pick(level, null); });
    });
    load(0, null, start);
  }

  document.querySelectorAll("[data-region-picker]").forEach(setUp);
})();
