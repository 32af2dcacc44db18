// The engagement dashboard's charts (templates/engagement/dashboard.html): one bar chart per unit
// for each chart the panels declare (engagement/pages/dashboard.py), drawn by Apache ECharts from
// the JSON the page embeds with json_script (#engagement-dashboard-data). No inline script.
(function () {
  "use strict";
  var source = document.getElementById("engagement-dashboard-data");
  if (!source || !window.echarts) { return; }
  JSON.parse(source.textContent).forEach(function (spec) {
    var element = document.getElementById(spec.id);
    if (!element) { return; }
    var hasTarget = spec.target !== null && spec.target !== undefined;
    var series = {
      name: spec.title, type: "bar",
      data: spec.values.map(function (value) {
        var colour = !hasTarget ? "#0d6efd" : (value !== null && value >= spec.target ? "#198754" : "#dc3545");
        return {value: value, itemStyle: {color: colour}};
      })
    };
    if (hasTarget) {
      series.markLine = {symbol: "none", lineStyle: {color: "#0d6efd", type: "dashed"},
                         label: {formatter: String(spec.target)}, data: [{yAxis: spec.target}]};
    }
    var chart = window.echarts.init(element);
    chart.setOption({
      tooltip: {trigger: "axis"}, grid: {containLabel: true, left: 8, right: 48, bottom: 8},
      xAxis: {type: "category", data: spec.names, axisLabel: {interval: 0, rotate: spec.names.length > 6 ? 40 : 0}},
      yAxis: {type: "value"}, series: [series]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
