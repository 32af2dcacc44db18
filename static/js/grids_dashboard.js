// The grid dashboard's charts (templates/grids/dashboard.html): Apache ECharts draws them from
// the JSON the page embeds with json_script (#grids-dashboard-data). No inline script.
(function () {
  "use strict";
  var source = document.getElementById("grids-dashboard-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);

  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element) { return; }
    var chart = window.echarts.init(element);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  var grid = {containLabel: true, left: 8, right: 16, bottom: 8};
  var stateColours = ["#6c757d", "#0d6efd", "#ffc107", "#198754", "#212529"];
  var units = data.units.names;
  var rotate = units.length > 6 ? 40 : 0;

  draw("chart-categories", {
    color: stateColours, tooltip: {trigger: "axis"}, legend: {}, grid: grid,
    xAxis: {type: "category", data: data.categories.names, axisLabel: {interval: 0, rotate: data.categories.names.length > 5 ? 30 : 0}},
    yAxis: {type: "value", minInterval: 1},
    series: data.categories.series.map(function (s) { return {name: s.name, type: "bar", stack: "states", data: s.data}; })
  });
  draw("chart-satisfaction", {
    tooltip: {trigger: "axis"}, grid: {containLabel: true, left: 8, right: 64, bottom: 8},
    xAxis: {type: "category", data: units, axisLabel: {interval: 0, rotate: rotate}},
    yAxis: {type: "value", min: 0, max: 100},
    series: [{
      name: data.labels.share, type: "bar",
      data: data.units.satisfied_share.map(function (value) {
        return {value: value, itemStyle: {color: value !== null && value >= data.target ? "#198754" : "#dc3545"}};
      }),
      markLine: {symbol: "none", lineStyle: {color: "#0d6efd", type: "dashed"}, label: {formatter: data.labels.target},
                 data: [{yAxis: data.target}]}
    }]
  });
  draw("chart-hours", {
    color: ["#0d6efd"], tooltip: {trigger: "axis"}, grid: grid,
    xAxis: {type: "category", data: units, axisLabel: {interval: 0, rotate: rotate}},
    yAxis: {type: "value"},
    series: [{name: data.labels.hours, type: "bar", data: data.units.hours_to_handle}]
  });
  draw("chart-overdue", {
    color: ["#dc3545"], tooltip: {trigger: "axis"}, grid: grid,
    xAxis: {type: "category", data: units, axisLabel: {interval: 0, rotate: rotate}},
    yAxis: {type: "value", minInterval: 1},
    series: [{name: data.labels.overdue, type: "bar", data: data.units.overdue}]
  });
})();
