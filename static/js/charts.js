/* Charts of energy-data series, drawn with uPlot (static/vendor/uplot/, served from our own
   static files). Each chart's data is in a JSON island next to its container; the table and the
   CSV link below it carry the same data without JavaScript, and for screen readers, since the
   plot is a single role="img". uPlot styles its elements through element.style only, which our
   CSP (style-src 'self') allows; it never adds <style> elements or style="" markup. */
(function () {
  "use strict";

  // Tick steps to choose from, in seconds: uPlot takes the smallest that leaves `space` pixels
  // between ticks. MONTH and YEAR are uPlot's own round figures; calendarSplits() turns them into
  // whole calendar months and years.
  var DAY = 86400, MONTH = 30 * DAY, YEAR = 365 * DAY;
  var FREQUENCIES = {
    annual: {
      period: 365.25 * DAY,
      incrs: [YEAR, 2 * YEAR, 5 * YEAR, 10 * YEAR, 20 * YEAR, 50 * YEAR],
      space: 44,
      readout: { year: "numeric" }
    },
    quarterly: {
      period: 91.31 * DAY,
      incrs: [3 * MONTH, 6 * MONTH, YEAR, 2 * YEAR, 5 * YEAR, 10 * YEAR],
      space: 50,
      readout: { month: "short", year: "numeric" },
      months: 3
    },
    monthly: {
      period: 30.44 * DAY,
      incrs: [MONTH, 2 * MONTH, 3 * MONTH, 6 * MONTH, YEAR, 2 * YEAR, 5 * YEAR, 10 * YEAR],
      space: 50,
      readout: { month: "long", year: "numeric" }
    },
    daily: {
      period: DAY,
      incrs: [DAY, 2 * DAY, 7 * DAY, 14 * DAY, MONTH, 2 * MONTH, 3 * MONTH, 6 * MONTH,
        YEAR, 2 * YEAR, 5 * YEAR, 10 * YEAR],
      space: 70,
      readout: { dateStyle: "medium" }
    }
  };
  var MUTED = "#4a5360", GRID = "#e3e6ea", ACCENT = "#0b5cad";
  var FONT = "13px system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif";

  var lang = document.documentElement.lang || undefined;
  var numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });

  // Periods are calendar dates: read and write them in UTC so no time zone shifts a year.
  function dateFormat(options) {
    var utc = { timeZone: "UTC" };
    Object.keys(options).forEach(function (key) { utc[key] = options[key]; });
    return new Intl.DateTimeFormat(lang, utc);
  }

  var yearTick = dateFormat({ year: "numeric" });
  var monthTick = dateFormat({ month: "short" });
  var monthYearTick = dateFormat({ month: "short", year: "numeric" });
  var dayTick = dateFormat({ day: "numeric", month: "short" });
  var dayYearTick = dateFormat({ day: "numeric", month: "short", year: "numeric" });

  // Years for ticks a year or more apart (so always for annual data); otherwise months, or days,
  // naming the year only on the first tick and where it changes ("Jan 2024, Jul, Jan 2025"), so
  // that a phone has room for them.
  function tickLabels(u, splits, axisIdx, space, incr) {
    return splits.map(function (split, i) {
      var date = new Date(split * 1000);
      if (incr >= YEAR) { return yearTick.format(date); }
      var newYear = i === 0 ||
        date.getUTCFullYear() !== new Date(splits[i - 1] * 1000).getUTCFullYear();
      if (incr >= MONTH) { return (newYear ? monthYearTick : monthTick).format(date); }
      return (newYear ? dayYearTick : dayTick).format(date);
    });
  }

  function periodText(frequency, format, seconds) {
    var start = new Date(seconds * 1000);
    if (!frequency.months) { return format.format(start); }
    var end = new Date(
      Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + frequency.months - 1, 1)
    );
    return format.formatRange(start, end);  // "Jan – Mar 2024"
  }

  // Ticks on whole calendar steps: every 3 months is January, April, July and October, every 5
  // years 2015, 2020; uPlot would count its steps from the first month or day in view.
  function calendarSplits(u, axisIdx, min, max, incr) {
    var splits = [], split;
    if (incr < MONTH) {  // whole days: multiples of a day since 1970 are UTC midnights
      for (split = Math.ceil(min / incr) * incr; split <= max; split += incr) {
        splits.push(split);
      }
      return splits;
    }
    var step = incr >= YEAR ? 12 * Math.round(incr / YEAR) : Math.round(incr / MONTH);  // months
    var first = new Date(min * 1000);
    var month = Math.ceil((first.getUTCFullYear() * 12 + first.getUTCMonth()) / step) * step;
    for (;; month += step) {
      split = Date.UTC(Math.floor(month / 12), month % 12, 1) / 1000;
      if (split > max) { break; }
      if (split >= min) { splits.push(split); }
    }
    return splits;
  }

  function valueText(value, unit) {
    return unit ? numbers.format(value) + " " + unit : numbers.format(value);
  }

  // The y axis as wide as its longest label, so large values are never cut off.
  function yAxisSize(u, values, axisIdx) {
    var axis = u.axes[axisIdx];
    var widest = 0;
    u.ctx.font = axis.font[0];
    (values || []).forEach(function (text) {
      widest = Math.max(widest, u.ctx.measureText(text).width / uPlot.pxRatio);
    });
    return Math.ceil(widest + axis.ticks.size + axis.gap + 4);
  }

  function readoutFor(el) {
    var readout = document.createElement("p");
    readout.className = "chart__readout";
    readout.setAttribute("aria-live", "polite");
    readout.setAttribute("aria-atomic", "true");
    var period = document.createElement("span");
    period.className = "chart__readout-period";
    var value = document.createElement("span");
    value.className = "chart__readout-value";
    readout.appendChild(period);
    readout.appendChild(value);
    el.parentNode.insertBefore(readout, el.nextSibling);
    return { period: period, value: value };
  }

  function draw(el) {
    var island = document.getElementById(el.getAttribute("data-chart"));
    if (!island) { return; }
    var data = JSON.parse(island.textContent);
    if (!data.x.length) { return; }
    var frequency = FREQUENCIES[data.frequency] || FREQUENCIES.daily;
    // uPlot's time axis counts seconds; a date-only ISO string parses as UTC midnight
    var xs = data.x.map(function (iso) { return Date.parse(iso) / 1000; });
    var ys = data.y;
    var last = xs.length - 1;
    var readoutFormat = dateFormat(frequency.readout);
    var readout = readoutFor(el);

    // The hovered (or keyboard-selected) value; the latest one while the cursor is away.
    function showReadout(idx) {
      var i = idx == null ? last : idx;
      readout.period.textContent = periodText(frequency, readoutFormat, xs[i]);
      readout.value.textContent = valueText(ys[i], data.unit);
    }

    var plot = new uPlot({
      width: el.clientWidth,
      height: el.clientHeight,
      legend: { show: false },
      // Dates only, in UTC; uPlot's own formatters would use the browser's time zone.
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
      cursor: {
        y: false,
        drag: { x: false, y: false, setScale: false },
        points: { size: 9, width: 2, fill: "#ffffff" }
      },
      scales: {
        // All the data, with half a period either side: the first and last points sit inside
        // the plot, and an annual series' year ticks fall on its points. From the data, not
        // uPlot's min and max: for a single point it makes the max 1,000 days later.
        x: {
          time: true,
          range: function () {
            return [xs[0] - frequency.period / 2, xs[last] + frequency.period / 2];
          }
        },
        // From zero, as a share or a quantity is read against zero; below it only if the data
        // goes there.
        y: {
          range: function (u, min, max) {
            var low = Math.min(0, min), high = Math.max(0, max);
            return uPlot.rangeNum(low, high === low ? low + 1 : high, 0.1, true);
          }
        }
      },
      axes: [
        {
          stroke: MUTED, font: FONT, incrs: frequency.incrs,
          // years are short labels: when ticks must be a year apart anyway, they may sit closer
          space: function (u, axisIdx, min, max, width) {
            return (max - min) / width * frequency.space >= YEAR ? 44 : frequency.space;
          },
          grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 },
          splits: calendarSplits,
          values: tickLabels
        },
        {
          stroke: MUTED, font: FONT, label: data.unit, labelFont: FONT, labelSize: 24,
          grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 },
          size: yAxisSize,
          values: function (u, splits) {
            return splits.map(function (v) { return numbers.format(v); });
          }
        }
      ],
      series: [
        {},
        {
          label: data.title, stroke: ACCENT, width: 2,
          points: { size: 6, fill: ACCENT, stroke: ACCENT }
        }
      ],
      hooks: {
        setCursor: [function (u) { showReadout(u.cursor.idx); }]
      }
    }, [xs, ys], el);
    showReadout(null);

    // Keyboard: the plot takes focus, and the arrow keys move the cursor from point to point.
    function moveTo(i) {
      plot.setCursor({ left: plot.valToPos(xs[i], "x"), top: plot.valToPos(ys[i], "y") });
    }
    el.tabIndex = 0;
    el.setAttribute("aria-keyshortcuts", "ArrowLeft ArrowRight Home End");
    el.addEventListener("keydown", function (event) {
      var idx = plot.cursor.idx;
      var steps = {
        ArrowLeft: idx == null ? last : idx - 1,
        ArrowRight: idx == null ? last : idx + 1,
        Home: 0,
        End: last
      };
      if (!(event.key in steps)) { return; }
      event.preventDefault();
      moveTo(Math.max(0, Math.min(last, steps[event.key])));
    });
    el.addEventListener("focus", function () {
      // a click focuses the plot too, and the mouse already places the cursor then
      if (el.matches(":focus-visible")) {
        moveTo(plot.cursor.idx == null ? last : plot.cursor.idx);
      }
    });
    el.addEventListener("blur", function () { plot.setCursor({ left: -10, top: -10 }); });

    // The container's size comes from the stylesheet (full width, height from the width);
    // the plot follows it, on a phone turned sideways as on a resized window.
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        if (el.clientWidth && (el.clientWidth !== plot.width || el.clientHeight !== plot.height)) {
          plot.setSize({ width: el.clientWidth, height: el.clientHeight });
        }
      }).observe(el);
    }
  }

  function drawAll() {
    if (!window.uPlot) { return; }
    document.querySelectorAll("[data-chart]").forEach(draw);
  }
  if (document.readyState !== "loading") {
    drawAll();
  } else {
    document.addEventListener("DOMContentLoaded", drawAll);
  }
})();
