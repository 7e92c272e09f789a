// The dashboard's charts (ECharts, served locally). The page gives the figures, labels and links in
// <script type="application/json" id="dashboard-data">; every word shown comes from there.
// A click on a bar, slice or point opens the filtered list behind that figure.
(function () {
  "use strict";

  var PALETTE = ["#c1121f", "#1d4e89", "#f4a261", "#2a9d8f", "#6a4c93", "#8d99ae", "#e76f51", "#264653"];

  function items(series) {
    return series.data.map(function (item) {
      var point = { value: item.value, url: item.url };
      if (item.name !== undefined) point.name = item.name;
      return point;
    });
  }

  function legend(spec) {
    return spec.series.length > 1 ? { type: "scroll", top: 0 } : undefined;
  }

  function valueAxis(name, position) {
    return { type: "value", name: name, position: position, minInterval: 1, nameTextStyle: { align: position === "right" ? "right" : "left" } };
  }

  // About how wide a label is drawn (12-px text: a Chinese character 12 px, a digit or letter 7).
  function textWidth(text) {
    var width = 0;
    for (var i = 0; i < text.length; i++) width += text.charCodeAt(i) > 255 ? 12 : 7;
    return Math.min(width, 90);
  }

  // Category labels: all of them, upright where they fit. On a narrow chart (a phone) they are
  // turned, and where even turned they would touch ECharts spaces them out ("auto", hideOverlap)
  // instead of letting them run together ("2017201820192020…"). `width`: the chart's, in pixels.
  function categoryAxis(categories, rotate, width) {
    var room = width / Math.max(categories.length, 1);
    var longest = Math.max.apply(null, categories.map(function (c) { return textWidth(String(c)); }).concat([0]));
    var fits = room >= longest + 8;
    return {
      type: "category",
      data: categories,
      axisLabel: {
        interval: fits || rotate ? 0 : "auto",
        hideOverlap: !fits,
        rotate: fits ? (rotate ? 30 : 0) : 45,
        width: 90,
        overflow: "truncate"
      }
    };
  }

  function bar(spec, width) {
    return {
      color: PALETTE,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 48, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: categoryAxis(spec.categories, spec.categories.length > 4, width),
      yAxis: valueAxis(spec.units[0]),
      series: spec.series.map(function (s) {
        return { type: "bar", name: s.name, data: items(s), barMaxWidth: 36, colorBy: "data", label: { show: true, position: "top" } };
      })
    };
  }

  function horizontalBar(spec) {
    var axis = valueAxis(spec.units[0]);
    axis.nameLocation = "middle";
    axis.nameGap = 28;
    return {
      color: PALETTE,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 48, top: 16, bottom: 28, containLabel: true },
      xAxis: axis,
      yAxis: { type: "category", inverse: true, data: spec.categories, axisLabel: { width: 120, overflow: "truncate" } },
      series: spec.series.map(function (s) {
        return { type: "bar", name: s.name, data: items(s), barMaxWidth: 22, label: { show: true, position: "right" } };
      })
    };
  }

  function pie(spec) {
    return {
      color: PALETTE,
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { type: "scroll", bottom: 0 },
      series: spec.series.map(function (s) {
        return { type: "pie", name: s.name, radius: ["38%", "66%"], center: ["50%", "45%"], data: items(s), label: { formatter: "{b}\n{c}" } };
      })
    };
  }

  function twoAxes(spec, defaultType, width) {
    return {
      color: PALETTE,
      tooltip: { trigger: "axis" },
      legend: legend(spec),
      grid: { left: 16, right: 16, top: 64, bottom: 8, containLabel: true },
      xAxis: categoryAxis(spec.categories, false, width),
      yAxis: [valueAxis(spec.units[0], "left"), valueAxis(spec.units[1], "right")],
      series: spec.series.map(function (s) {
        var type = s.line ? "line" : defaultType;
        return {
          type: type,
          name: s.name,
          yAxisIndex: s.axis || 0,
          data: items(s),
          symbolSize: 8,
          barMaxWidth: 28,
          connectNulls: false
        };
      })
    };
  }

  var BUILDERS = {
    bar: bar,
    hbar: horizontalBar,
    pie: pie,
    line: function (spec, width) { return twoAxes(spec, "line", width); },
    pipeline: function (spec, width) { return twoAxes(spec, "bar", width); }
  };

  function draw(element, spec, texts) {
    if (spec.empty) {
      element.classList.add("d-flex", "align-items-center", "justify-content-center", "text-muted");
      element.textContent = texts.empty;
      return null;
    }
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(BUILDERS[spec.type](spec, element.clientWidth));
    chart.on("click", function (params) {
      if (params.data && params.data.url) window.location.href = params.data.url;
    });
    chart.getZr().on("mousemove", function (event) {
      element.style.cursor = event.target ? "pointer" : "default";
    });
    return chart;
  }

  function start() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof window.echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-dashboard-chart]").forEach(function (element) {
      var spec = data.charts[element.dataset.dashboardChart];
      if (!spec) return;
      var chart = draw(element, spec, data.texts);
      if (!chart) return;
      // A new width may call for the labels to be turned or spaced otherwise (a phone turned).
      var fit = function () {
        chart.setOption(BUILDERS[spec.type](spec, element.clientWidth));
        chart.resize();
      };
      charts.push(fit);
      if (typeof window.ResizeObserver !== "undefined") new window.ResizeObserver(fit).observe(element);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (fit) { fit(); });
    });
    // The year and unit pickers reload the page as soon as one is changed.
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
