// Small behaviours of the portal's pages. Third-party code (Bootstrap, htmx, ECharts) is served locally.
(function () {
  "use strict";

  // Charts: <script type="application/json" id="X"> holds ECharts options for <div data-chart="X">.
  function drawCharts(root) {
    if (typeof window.echarts === "undefined") return;
    root.querySelectorAll("[data-chart]").forEach(function (element) {
      if (element.dataset.drawn) return;
      var source = document.getElementById(element.dataset.chart);
      if (!source) return;
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(JSON.parse(source.textContent));
      element.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // Pickers over large sets (core/pickers.py): a search box asks the form's own page for matches
  // (?pick=<field>&q=<text>, JSON); a chosen match becomes a selected <option> of the real <select>,
  // which is what the form posts. A multiple picker shows its chosen options as a numbered list
  // (each can be moved up or removed) and keeps the <select>'s options in that order, so an
  // ordered field (a result's contributors) posts them in rank order.
  function searchSelect(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    var select = root.querySelector("select");
    var input = root.querySelector("[data-search-input]");
    var results = root.querySelector("[data-search-results]");
    var chosen = root.querySelector("[data-search-chosen]");
    var multiple = root.hasAttribute("data-multiple");
    var timer = null;
    var asked = 0;

    function button(label, className, onClick) {
      var element = document.createElement("button");
      element.type = "button";
      element.className = className;
      element.textContent = label;
      element.addEventListener("click", onClick);
      return element;
    }

    function showChosen() {
      if (!multiple) return;
      select.classList.add("d-none");
      chosen.replaceChildren();
      var picked = Array.prototype.filter.call(select.options, function (option) { return option.selected; });
      if (!picked.length) {
        var none = document.createElement("li");
        none.className = "list-group-item text-muted small";
        none.textContent = chosen.dataset.labelNone;
        chosen.appendChild(none);
        chosen.classList.remove("list-group-numbered");
        return;
      }
      chosen.classList.add("list-group-numbered");
      picked.forEach(function (option, index) {
        var item = document.createElement("li");
        item.className = "list-group-item d-flex align-items-center gap-2";
        item.dataset.value = option.value;
        var text = document.createElement("span");
        text.className = "flex-grow-1";
        text.textContent = option.textContent;
        item.appendChild(text);
        if (root.hasAttribute("data-ordered") && index > 0) {
          item.appendChild(button("↑", "btn btn-sm btn-outline-secondary", function () {
            select.insertBefore(option, picked[index - 1]);
            showChosen();
          })).setAttribute("aria-label", chosen.dataset.labelUp + " " + option.textContent);
        }
        item.appendChild(button("×", "btn btn-sm btn-outline-danger", function () {
          option.remove();
          showChosen();
        })).setAttribute("aria-label", chosen.dataset.labelRemove + " " + option.textContent);
        chosen.appendChild(item);
      });
    }

    function choose(id, label) {
      var existing = Array.prototype.find.call(select.options, function (option) { return option.value === id; });
      if (!multiple) {
        Array.prototype.forEach.call(select.options, function (option) {
          if (option.value && option !== existing) option.remove();
        });
      }
      if (!existing) {
        existing = new Option(label, id, true, true);
        select.appendChild(existing);  // last: the next in rank order
      }
      existing.selected = true;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      input.value = "";
      results.replaceChildren();
      showChosen();
    }

    function search() {
      var query = input.value.trim();
      var ask = ++asked;
      if (!query) { results.replaceChildren(); return; }
      var url = new URL(window.location.href);
      url.searchParams.set("pick", root.dataset.pick);
      url.searchParams.set("q", query);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (ask !== asked) return;  // a later search has been asked since
          results.replaceChildren();
          if (!data.results.length) {
            var none = document.createElement("div");
            none.className = "list-group-item text-muted small";
            none.textContent = results.dataset.labelNoMatch;
            results.appendChild(none);
          }
          data.results.forEach(function (row) {
            var item = button(row.label, "list-group-item list-group-item-action", function () { choose(row.id, row.label); });
            item.setAttribute("role", "option");
            results.appendChild(item);
          });
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();  // Enter picks the first match instead of sending the form
        var first = results.querySelector("button");
        if (first) first.click();
      } else if (event.key === "Escape") {
        input.value = "";
        results.replaceChildren();
      }
    });
    showChosen();
  }

  function enhance(root) {
    drawCharts(root);
    root.querySelectorAll("[data-search-select]").forEach(searchSelect);
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
