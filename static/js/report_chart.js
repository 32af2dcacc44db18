// A report's chart (templates/governance/report.html): Apache ECharts draws a bar per series from
// the JSON the page embeds with json_script (#report-chart-data). No inline script (CSP).
(function () {
  "use strict";
  var source = document.getElementById("report-chart-data");
  var element = document.getElementById("report-chart");
  if (!source || !element || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var chart = window.echarts.init(element);
  chart.setOption({
    tooltip: {trigger: "axis"}, legend: {},
    grid: {containLabel: true, left: 8, right: 8, bottom: 8},
    xAxis: {type: "category", data: data.categories, axisLabel: {interval: 0, rotate: data.categories.length > 6 ? 40 : 0}},
    yAxis: {type: "value"},
    series: data.series.map(function (s) { return {name: s.name, type: "bar", data: s.data}; })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
