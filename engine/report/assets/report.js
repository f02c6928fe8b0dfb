// The report page: draws every section from the JSON blob in #report-data with d3 (v5, inlined
// from Debian's node-d3). Each section is drawn on its own; an exception in one is written into
// #report-errors (which the browser test reads) and the others still appear.
(function () {
  'use strict';

  var errors = document.getElementById('report-errors');
  function report_error(where, e) {
    var p = document.createElement('p');
    p.className = 'report-error';
    p.textContent = where + ': ' + ((e && e.stack) || e);
    errors.appendChild(p);
  }

  var data = JSON.parse(document.getElementById('report-data').textContent);
  var sweep = data.sweep;
  var trials = data.trials;
  var params = data.params;
  var maximize = !!sweep.maximize;
  var metric = String(sweep.metric).replace(/^val_/, '');
  var completed = trials.filter(function (t) { return t.status === 'completed' && t.cv_mean !== null; });
  var better = function (a, b) { return maximize ? a > b : a < b; };
  var best = null;
  completed.forEach(function (t) {
    if (best === null || better(t.cv_mean, best.cv_mean) ||
        (t.cv_mean === best.cv_mean && t.number < best.number)) best = t;
  });
  var status_colour = { completed: '#4c78a8', pruned: '#e0a100', failed: '#d62728', running: '#999', pending: '#ccc' };
  var fold_colour = d3.scaleOrdinal(d3.schemeCategory10);

  var root = d3.select('#report');
  root.html('');

  function fmt(v) { return v === null || v === undefined ? '—' : d3.format('.4f')(v); }
  function section(id, title, note) {
    var s = root.append('section').attr('id', id);
    s.append('h2').text(title);
    if (note) s.append('p').attr('class', 'note').text(note);
    return s;
  }
  // How long each section took to draw, in ms: written to the body's data-draw-ms attribute for
  // scripts/bench/report_bench.sh.
  var draw_ms = {};
  function guarded(name, draw) {
    var start = performance.now();
    try { draw(); } catch (e) { report_error(name, e); }
    draw_ms[name] = Math.round(performance.now() - start);
    document.body.setAttribute('data-draw-ms', JSON.stringify(draw_ms));
  }
  function chart(container, width, height, margin) {
    var svg = container.append('svg').attr('width', width).attr('height', height);
    var g = svg.append('g').attr('transform', 'translate(' + margin.left + ',' + margin.top + ')');
    return { svg: svg, g: g, w: width - margin.left - margin.right, h: height - margin.top - margin.bottom };
  }
  function axes(c, x, y, x_label, y_label) {
    var bottom = x.epochs ? epoch_axis(x, x.epochs) : d3.axisBottom(x).ticks(6, x.base ? '~g' : undefined);
    c.g.append('g').attr('class', 'axis').attr('transform', 'translate(0,' + c.h + ')').call(bottom);
    c.g.append('g').attr('class', 'axis').call(d3.axisLeft(y).ticks(5));
    c.g.append('text').attr('x', c.w / 2).attr('y', c.h + 32).attr('text-anchor', 'middle').text(x_label);
    c.g.append('text').attr('transform', 'rotate(-90)').attr('x', -c.h / 2).attr('y', -40)
      .attr('text-anchor', 'middle').text(y_label);
  }
  // A parameter's axis: log where the sweep file draws it log-uniformly, linear for other
  // numbers, one point per value otherwise.
  function param_value(p, t) {
    var v = t.params[p.name];
    if (v === undefined || v === null) return undefined;
    return p.numeric ? v : String(v);
  }
  function param_scale(p, values, range) {
    values = values.filter(function (v) { return v !== undefined; });
    var levels = Array.from(new Set(values));
    // A list of values (a grid) is a set of choices, even when they are numbers.
    var discrete = !p.numeric || p.kind === 'values' || (p.kind === '' && !p.log && levels.length <= 8);
    if (!discrete) {
      var ext = d3.extent(values);
      if (ext[0] === undefined) ext = [0, 1];
      if (p.log && ext[0] > 0) {
        if (ext[0] === ext[1]) ext = [ext[0] / 2, ext[1] * 2];
        return d3.scaleLog().domain(ext).range(range);
      }
      if (ext[0] === ext[1]) ext = [ext[0] - 1, ext[1] + 1];
      return d3.scaleLinear().domain(ext).range(range).nice();
    }
    levels.sort(p.numeric ? d3.ascending : undefined);
    return d3.scalePoint().domain(levels).range(range).padding(0.5);
  }
  function value_text(v) {
    return typeof v === 'number' && !Number.isInteger(v) ? d3.format('.4~g')(v) : (v === undefined ? '' : String(v));
  }
  // Whole epochs only on an epoch axis.
  function epoch_axis(x, n) {
    var axis = d3.axisBottom(x).tickFormat(d3.format('d'));
    return n <= 12 ? axis.tickValues(d3.range(1, n + 1)) : axis.ticks(10);
  }
  function score_extent(values) {
    var ext = d3.extent(values);
    if (ext[0] === undefined) return [0, 1];
    if (ext[0] === ext[1]) return [ext[0] - 0.01, ext[1] + 0.01];
    return ext;
  }
  function trial_label(t) {
    return 'trial ' + t.number + (t.cv_mean !== null ? ' — ' + metric + ' ' + fmt(t.cv_mean) : '') +
      ' (' + params.map(function (p) { return p.name + '=' + value_text(t.params[p.name]); }).join(', ') + ')';
  }
  function trial_select(container, id, on_change) {
    var choices = trials.filter(function (t) { return t.folds.length > 0; });
    var label = container.append('label').text('trial');
    var select = label.append('select').attr('id', id);
    select.selectAll('option').data(choices).enter().append('option')
      .attr('value', function (t) { return t.number; })
      .property('selected', function (t) { return best !== null && t.number === best.number; })
      .text(function (t) { return t.number + ' (' + t.status + (t.cv_mean !== null ? ', ' + fmt(t.cv_mean) : '') + ')'; });
    select.on('change', function () {
      var number = +this.value;
      on_change(trials.filter(function (t) { return t.number === number; })[0]);
    });
    return best !== null ? best : choices[0];
  }

  // ---- The sweep ---------------------------------------------------------------------------
  guarded('summary', function () {
    var s = section('sec-summary', '');
    s.select('h2').remove();
    s.insert('h1', ':first-child').text('Sweep ' + sweep.name);
    if (sweep.description) s.append('p').text(sweep.description);
    var counts = d3.nest().key(function (t) { return t.status; }).rollup(function (v) { return v.length; }).entries(trials);
    var final_run = data.final_runs.filter(function (r) { return r.kind === 'final'; })[0];
    var rows = [
      ['metric', metric + (maximize ? ' (higher is better)' : ' (lower is better)')],
      ['trials', trials.length + ' (' + counts.map(function (c) { return c.value + ' ' + c.key; }).join(', ') + ')'],
      ['best trial', best ? best.number + ': ' + fmt(best.cv_mean) + ' ± ' + fmt(best.cv_std) + ' over folds' : 'none yet'],
      ['test score', final_run ? 'trial ' + final_run.trial + ': ' + metric + ' ' + fmt(final_run.score) +
        ' on the held-out test rows (' + final_run.epochs + ' epochs, ' + final_run.device + ')' : 'no final run stored'],
      ['data', sweep.dataset + ' — ' + sweep.rows + ' rows × ' + sweep.features + ' features (hash ' +
        String(sweep.dataset_hash).slice(0, 12) + ')'],
      ['classes', sweep.classes.join(', ')],
      ['search', (sweep.method || '?') + '; ' + (sweep.folds || '?') + '-fold CV' +
        (sweep.stratified ? ', stratified' : '') + (sweep.group_by ? ', grouped by ' + sweep.group_by : '') +
        (sweep.test_split !== undefined ? '; test split ' + sweep.test_split : '') +
        (sweep.standardize ? '; standardized per fold' : '')],
      ['device', sweep.device + ' on ' + sweep.host + ' (engine ' + sweep.engine_version + ')'],
      ['created', sweep.created_at],
      ['training time', d3.format('.1f')(d3.sum(trials, function (t) { return t.seconds; })) + ' s summed over units']
    ];
    var table = s.append('table').attr('class', 'summary');
    rows.forEach(function (r) {
      var tr = table.append('tr');
      tr.append('th').text(r[0]);
      tr.append('td').text(r[1]);
    });
    if (sweep.spec_note) s.append('p').attr('class', 'note').text(sweep.spec_note);
    var details = s.append('details');
    details.append('summary').text('sweep file ' + sweep.spec_path);
    details.append('pre').attr('class', 'spec').text(sweep.spec);
    if (completed.length === 0) {
      s.append('p').attr('class', 'empty-note').attr('id', 'no-completed-trials')
        .text('No trial has completed yet, so there is nothing to chart: ' + trials.length +
          ' trial(s) stored. Run the sweep (or let it finish) and write the report again.');
    }
  });

  // ---- Leaderboard ---------------------------------------------------------------------------
  guarded('leaderboard', function () {
    var s = section('sec-leaderboard', 'Leaderboard',
      'Every trial; click a column to sort. Mean ± standard deviation of ' + metric +
      ' over the folds, the range of the fold scores, and each fold\'s score at its chosen epoch.');
    var columns = [
      { name: 'rank', num: true, value: function (t) { return t.rank; }, text: function (t) { return t.rank === null ? '' : t.rank; } },
      { name: 'trial', num: true, value: function (t) { return t.number; } },
      { name: 'status', value: function (t) { return t.status; }, html: function (td, t) {
        td.append('div').text(t.status);
        if (t.error) td.append('div').attr('class', 'reason').text(t.error);
      } }
    ];
    params.forEach(function (p) {
      columns.push({ name: p.name, num: p.numeric, value: function (t) { return param_value(p, t); },
                     text: function (t) { return value_text(param_value(p, t)); } });
    });
    columns.push(
      { name: metric + ' mean', num: true, value: function (t) { return t.cv_mean; }, text: function (t) { return fmt(t.cv_mean); } },
      { name: '± std', num: true, value: function (t) { return t.cv_std; }, text: function (t) { return fmt(t.cv_std); } },
      { name: 'fold range', num: true, value: function (t) { return t.folds.length ? d3.min(t.folds, function (f) { return f.score; }) : null; },
        text: function (t) {
          if (!t.folds.length) return '';
          var e = d3.extent(t.folds, function (f) { return f.score; });
          return fmt(e[0]) + ' – ' + fmt(e[1]);
        } },
      { name: 'folds', value: function (t) { return t.folds.length; },
        text: function (t) { return t.folds.map(function (f) { return fmt(f.score); }).join(' / '); } },
      { name: 'seconds', num: true, value: function (t) { return t.seconds; }, text: function (t) { return d3.format('.1f')(t.seconds); } });
    var wrap = s.append('div').attr('class', 'board-wrap');
    var table = wrap.append('table').attr('id', 'leaderboard');
    var head = table.append('thead').append('tr');
    var body = table.append('tbody');
    var ordered = trials.slice().sort(function (a, b) {
      if ((a.rank === null) !== (b.rank === null)) return a.rank === null ? 1 : -1;
      return (a.rank - b.rank) || (a.number - b.number);
    });
    var rows = body.selectAll('tr').data(ordered).enter().append('tr')
      .attr('class', function (t) { return 'trial-row status-' + t.status; })
      .attr('data-trial', function (t) { return t.number; });
    columns.forEach(function (c) {
      rows.append('td').attr('class', c.num ? 'num' : null).each(function (t) {
        var td = d3.select(this);
        if (c.html) c.html(td, t);
        else td.text(c.text ? c.text(t) : (c.value(t) === undefined ? '' : c.value(t)));
      });
    });
    var sorted_by = null, descending = false;
    head.selectAll('th').data(columns).enter().append('th')
      .attr('class', function (c) { return c.num ? 'num' : null; })
      .text(function (c) { return c.name; })
      .on('click', function (c) {
        descending = sorted_by === c ? !descending : false;
        sorted_by = c;
        head.selectAll('th').classed('sorted-asc', false).classed('sorted-desc', false);
        d3.select(this).classed(descending ? 'sorted-desc' : 'sorted-asc', true);
        rows.sort(function (a, b) {
          var x = c.value(a), y = c.value(b);
          var x_missing = x === null || x === undefined, y_missing = y === null || y === undefined;
          if (x_missing || y_missing) return x_missing === y_missing ? a.number - b.number : (x_missing ? 1 : -1);
          var order = x < y ? -1 : x > y ? 1 : a.number - b.number;
          return descending ? -order : order;
        });
      });
  });

  if (completed.length === 0) return;

  // ---- Optimization history -----------------------------------------------------------------
  guarded('history', function () {
    var s = section('sec-history', 'Optimization history',
      'Each completed trial\'s mean ' + metric + ' in trial order, and the best so far (red).');
    var c = chart(s, 760, 300, { top: 10, right: 20, bottom: 44, left: 56 });
    var x = d3.scaleLinear().domain(d3.extent(trials, function (t) { return t.number; })).range([0, c.w]).nice();
    var y = d3.scaleLinear().domain(score_extent(completed.map(function (t) { return t.cv_mean; }))).range([c.h, 0]).nice();
    axes(c, x, y, 'trial', metric + ' (mean over folds)');
    var in_order = completed.slice().sort(function (a, b) { return a.number - b.number; });
    var best_so_far = [], running = null;
    in_order.forEach(function (t) {
      if (running === null || better(t.cv_mean, running)) running = t.cv_mean;
      best_so_far.push([t.number, running]);
    });
    c.g.append('path').attr('class', 'best-so-far').datum(best_so_far)
      .attr('d', d3.line().curve(d3.curveStepAfter).x(function (d) { return x(d[0]); }).y(function (d) { return y(d[1]); }));
    c.g.selectAll('circle.history-point').data(in_order).enter().append('circle')
      .attr('class', 'history-point').attr('r', 3.5).attr('fill', status_colour.completed)
      .attr('cx', function (t) { return x(t.number); }).attr('cy', function (t) { return y(t.cv_mean); })
      .append('title').text(trial_label);
  });

  // ---- Parallel coordinates ----------------------------------------------------------------
  guarded('parallel', function () {
    var s = section('sec-parallel', 'Parallel coordinates',
      'One line per completed trial through its parameters and its score; colour = ' + metric +
      '. Log axes where the sweep file draws the parameter log-uniformly.');
    var dims = params.map(function (p) { return { label: p.name + (p.log ? ' (log)' : ''), param: p }; });
    dims.push({ label: metric, param: null });
    var c = chart(s, Math.max(480, 150 * dims.length), 340, { top: 24, right: 40, bottom: 16, left: 40 });
    var x = d3.scalePoint().domain(dims.map(function (d) { return d.label; })).range([0, c.w]);
    dims.forEach(function (d) {
      d.value = d.param ? function (t) { return param_value(d.param, t); } : function (t) { return t.cv_mean; };
      d.scale = d.param ? param_scale(d.param, completed.map(d.value), [c.h, 0])
                        : d3.scaleLinear().domain(score_extent(completed.map(d.value))).range([c.h, 0]).nice();
    });
    var colour = d3.scaleSequential(d3.interpolateViridis).domain(score_extent(completed.map(function (t) { return t.cv_mean; })));
    if (!maximize) colour.domain(colour.domain().slice().reverse());
    var line = d3.line().defined(function (p) { return p[1] !== undefined && !isNaN(p[1]); });
    c.g.selectAll('path.pc-line').data(completed).enter().append('path')
      .attr('class', 'pc-line')
      .attr('stroke', function (t) { return colour(t.cv_mean); })
      .attr('d', function (t) {
        return line(dims.map(function (d) {
          var v = d.value(t);
          return [x(d.label), v === undefined ? undefined : d.scale(v)];
        }));
      })
      .append('title').text(trial_label);
    dims.forEach(function (d) {
      var axis = c.g.append('g').attr('class', 'axis pc-axis').attr('transform', 'translate(' + x(d.label) + ',0)');
      axis.call(d.scale.base ? d3.axisLeft(d.scale).ticks(4, '~g') : d3.axisLeft(d.scale).ticks(5));
      axis.append('text').attr('y', -10).attr('text-anchor', 'middle').attr('fill', '#222').text(d.label);
    });
  });

  // ---- Slice plots ---------------------------------------------------------------------------
  guarded('slice', function () {
    var s = section('sec-slice', 'Slice plots',
      'The mean ' + metric + ' of each completed trial against one parameter at a time.');
    if (params.length === 0) { s.append('p').text('No parameter differs between trials.'); return; }
    var box = s.append('div').attr('class', 'charts');
    var y_ext = score_extent(completed.map(function (t) { return t.cv_mean; }));
    params.forEach(function (p) {
      var holder = box.append('div').attr('class', 'slice-plot').attr('data-param', p.name);
      var c = chart(holder, 300, 220, { top: 10, right: 14, bottom: 44, left: 56 });
      var x = param_scale(p, completed.map(function (t) { return param_value(p, t); }), [0, c.w]);
      var y = d3.scaleLinear().domain(y_ext).range([c.h, 0]).nice();
      axes(c, x, y, p.name + (p.log ? ' (log)' : ''), metric);
      var jitter = x.bandwidth ? function (t) { return ((t.number * 7919) % 13 - 6) * 1.2; } : function () { return 0; };
      c.g.selectAll('circle.slice-point').data(completed.filter(function (t) { return param_value(p, t) !== undefined; }))
        .enter().append('circle').attr('class', 'slice-point').attr('r', 3).attr('fill', status_colour.completed)
        .attr('opacity', 0.7)
        .attr('cx', function (t) { return x(param_value(p, t)) + jitter(t); })
        .attr('cy', function (t) { return y(t.cv_mean); })
        .append('title').text(trial_label);
    });
  });

  // ---- Parameter importance ------------------------------------------------------------------
  guarded('importance', function () {
    var s = section('sec-importance', 'Parameter importance', 'Method: ' + data.importance.method + '.');
    var values = data.importance.values;
    if (!values.length) { s.append('p').text('Not computed: ' + (data.importance.note || 'no data') + '.'); return; }
    var c = chart(s, 560, 40 + 26 * values.length, { top: 10, right: 60, bottom: 30, left: 140 });
    var x = d3.scaleLinear().domain([0, 1]).range([0, c.w]);
    var y = d3.scaleBand().domain(values.map(function (v) { return v.name; })).range([0, c.h]).padding(0.2);
    c.g.append('g').attr('class', 'axis').attr('transform', 'translate(0,' + c.h + ')').call(d3.axisBottom(x).ticks(5));
    c.g.append('g').attr('class', 'axis').call(d3.axisLeft(y));
    c.g.selectAll('rect.importance-bar').data(values).enter().append('rect').attr('class', 'importance-bar')
      .attr('x', 0).attr('y', function (v) { return y(v.name); }).attr('height', y.bandwidth())
      .attr('width', function (v) { return x(v.importance); });
    c.g.selectAll('text.importance-value').data(values).enter().append('text').attr('class', 'importance-value')
      .attr('x', function (v) { return x(v.importance) + 4; }).attr('y', function (v) { return y(v.name) + y.bandwidth() / 2 + 4; })
      .text(function (v) { return d3.format('.3f')(v.importance); });
  });

  // ---- Learning curves -----------------------------------------------------------------------
  guarded('curves', function () {
    var s = section('sec-curves', 'Learning curves',
      'Validation ' + metric + ' per epoch of every (trial, fold); a dot marks the epoch each fold ' +
      'kept (early stopping). Pruned and failed trials are dashed and end where they stopped.');
    var units = [];
    trials.forEach(function (t) {
      t.folds.forEach(function (f) { units.push({ trial: t, fold: f }); });
    });
    var max_epoch = d3.max(units, function (u) { return u.fold.curve.val_metric.length; }) || 1;
    var c = chart(s, 760, 320, { top: 10, right: 20, bottom: 44, left: 56 });
    var x = d3.scaleLinear().domain([1, Math.max(2, max_epoch)]).range([0, c.w]);
    x.epochs = Math.max(2, max_epoch);
    var all = [];
    units.forEach(function (u) { u.fold.curve.val_metric.forEach(function (v) { if (v !== null) all.push(v); }); });
    var y = d3.scaleLinear().domain(score_extent(all)).range([c.h, 0]).nice();
    axes(c, x, y, 'epoch', 'validation ' + metric);
    var line = d3.line().defined(function (v) { return v !== null; })
      .x(function (v, i) { return x(i + 1); }).y(function (v) { return y(v); });
    c.g.selectAll('path.lc-curve').data(units).enter().append('path')
      .attr('class', function (u) { return 'lc-curve' + (u.trial.status === 'completed' ? '' : ' stopped'); })
      .attr('stroke', function (u) { return status_colour[u.trial.status] || '#999'; })
      .attr('d', function (u) { return line(u.fold.curve.val_metric); })
      .append('title').text(function (u) { return 'trial ' + u.trial.number + ' fold ' + u.fold.fold + ' (' + u.trial.status + ')'; });
    c.g.selectAll('circle.lc-best').data(units.filter(function (u) {
      return u.fold.curve.val_metric[u.fold.best_epoch - 1] !== undefined && u.fold.curve.val_metric[u.fold.best_epoch - 1] !== null;
    })).enter().append('circle').attr('class', 'lc-best').attr('r', 2)
      .attr('fill', function (u) { return status_colour[u.trial.status] || '#999'; })
      .attr('cx', function (u) { return x(u.fold.best_epoch); })
      .attr('cy', function (u) { return y(u.fold.curve.val_metric[u.fold.best_epoch - 1]); });

    // One trial in detail: losses and the metric of each fold.
    var detail_box = s.append('div').attr('id', 'curve-detail');
    var chosen = trial_select(s.insert('div', '#curve-detail'), 'curve-trial', draw_detail);
    function draw_detail(t) {
      detail_box.html('');
      detail_box.append('p').attr('class', 'note').text(trial_label(t) + ' — ' + t.status + (t.error ? ': ' + t.error : ''));
      var legend = detail_box.append('div').attr('class', 'legend');
      t.folds.forEach(function (f) {
        var item = legend.append('span');
        item.append('span').attr('class', 'swatch').style('background', fold_colour(f.fold));
        item.append('span').text('fold ' + f.fold + ' (kept epoch ' + f.best_epoch + ')');
      });
      var box = detail_box.append('div').attr('class', 'charts');
      [['train_loss', 'training loss'], ['val_loss', 'validation loss'], ['val_metric', 'validation ' + metric]].forEach(function (k) {
        var holder = box.append('div');
        holder.append('div').attr('class', 'chart-title').text(k[1]);
        var c2 = chart(holder, 360, 220, { top: 8, right: 12, bottom: 44, left: 56 });
        var n = d3.max(t.folds, function (f) { return f.curve[k[0]].length; }) || 1;
        var values = [];
        t.folds.forEach(function (f) { f.curve[k[0]].forEach(function (v) { if (v !== null) values.push(v); }); });
        var x2 = d3.scaleLinear().domain([1, Math.max(2, n)]).range([0, c2.w]);
        x2.epochs = Math.max(2, n);
        var y2 = d3.scaleLinear().domain(score_extent(values)).range([c2.h, 0]).nice();
        axes(c2, x2, y2, 'epoch', k[1]);
        var line2 = d3.line().defined(function (v) { return v !== null; })
          .x(function (v, i) { return x2(i + 1); }).y(function (v) { return y2(v); });
        c2.g.selectAll('path.lc-detail').data(t.folds).enter().append('path').attr('class', 'lc-detail')
          .attr('stroke', function (f) { return fold_colour(f.fold); })
          .attr('d', function (f) { return line2(f.curve[k[0]]); });
        c2.g.selectAll('circle.lc-detail-best').data(t.folds.filter(function (f) {
          var v = f.curve[k[0]][f.best_epoch - 1];
          return v !== undefined && v !== null;
        })).enter().append('circle').attr('class', 'lc-detail-best').attr('r', 3.5)
          .attr('fill', 'none').attr('stroke', function (f) { return fold_colour(f.fold); }).attr('stroke-width', 2)
          .attr('cx', function (f) { return x2(f.best_epoch); })
          .attr('cy', function (f) { return y2(f.curve[k[0]][f.best_epoch - 1]); });
      });
    }
    if (chosen) draw_detail(chosen);
  });

  // ---- Confusion matrices --------------------------------------------------------------------
  guarded('confusion', function () {
    var s = section('sec-confusion', 'Confusion matrices',
      'Rows: true class, columns: predicted class; shade = share of the row. Each fold\'s validation rows, ' +
      'their sum, and the held-out test rows of the trial\'s final run (and reproductions).');
    var box = s.append('div').attr('id', 'confusion-maps');
    var chosen = trial_select(s.insert('div', '#confusion-maps'), 'confusion-trial', draw);
    function heatmap(title, matrix) {
      var classes = sweep.classes.length === matrix.length ? sweep.classes
                                                            : matrix.map(function (r, i) { return String(i); });
      var n = matrix.length;
      var cell = Math.max(22, Math.min(44, 220 / Math.max(1, n)));
      var holder = box.append('div').attr('class', 'heatmap');
      holder.append('div').attr('class', 'chart-title').text(title);
      var c = chart(holder, 100 + cell * n, 70 + cell * n, { top: 10, right: 10, bottom: 60, left: 90 });
      var x = d3.scaleBand().domain(d3.range(n)).range([0, cell * n]);
      var shade = d3.scaleSequential(d3.interpolateBlues).domain([0, 1]);
      var cells = [];
      matrix.forEach(function (row, i) {
        var total = d3.sum(row);
        row.forEach(function (count, j) { cells.push({ i: i, j: j, count: count, share: total ? count / total : 0 }); });
      });
      var g = c.g.selectAll('g.cm').data(cells).enter().append('g').attr('class', 'cm')
        .attr('transform', function (d) { return 'translate(' + x(d.j) + ',' + x(d.i) + ')'; });
      g.append('rect').attr('class', 'cm-cell').attr('width', cell - 1).attr('height', cell - 1)
        .attr('fill', function (d) { return shade(d.share); })
        .append('title').text(function (d) { return classes[d.i] + ' → ' + classes[d.j] + ': ' + d.count; });
      g.append('text').attr('x', cell / 2).attr('y', cell / 2 + 4).attr('text-anchor', 'middle')
        .attr('fill', function (d) { return d.share > 0.55 ? '#fff' : '#222'; }).text(function (d) { return d.count; });
      c.g.append('g').attr('class', 'axis').call(d3.axisLeft(x).tickFormat(function (i) { return classes[i]; }));
      c.g.append('g').attr('class', 'axis').attr('transform', 'translate(0,' + cell * n + ')')
        .call(d3.axisBottom(x).tickFormat(function (i) { return classes[i]; }))
        .selectAll('text').attr('transform', 'rotate(-35)').attr('text-anchor', 'end');
    }
    function draw(t) {
      box.html('');
      box.append('p').attr('class', 'note').text(trial_label(t));
      var sum = null;
      t.folds.forEach(function (f) {
        heatmap('fold ' + f.fold + ' (validation, ' + metric + ' ' + fmt(f.score) + ')', f.confusion);
        if (sum === null) sum = f.confusion.map(function (r) { return r.slice(); });
        else f.confusion.forEach(function (r, i) { r.forEach(function (v, j) { sum[i][j] += v; }); });
      });
      if (sum !== null) heatmap('sum of ' + t.folds.length + ' folds', sum);
      data.final_runs.filter(function (r) { return r.trial === t.number; }).forEach(function (r) {
        heatmap(r.kind + ' run: test rows (' + metric + ' ' + fmt(r.score) + ')', r.confusion);
      });
    }
    if (chosen) draw(chosen);
  });

  // ---- Scores per group ---------------------------------------------------------------------
  // Grouped data (subjects, recordings): under leave-one-group-out each fold validates on one
  // group, so every completed trial has a score per group; a grouped test set has each group's
  // score from the final run (final_run_groups). Grouped k-fold scores a fold's groups together:
  // the store has no per-group score for it, so the page lists which groups each fold holds.
  guarded('groups', function () {
    var fold_groups = data.fold_groups || [];
    var held_out = [];
    completed.forEach(function (t) {
      t.folds.forEach(function (f) {
        if (f.held_out_group && held_out.indexOf(f.held_out_group) < 0) held_out.push(f.held_out_group);
      });
    });
    var test_runs = data.final_runs.filter(function (r) { return r.groups && r.groups.length; });
    var grouped_folds = fold_groups.some(function (f) { return f.length > 0; });
    if (!sweep.group_by && !held_out.length && !test_runs.length && !grouped_folds) return;
    var s = section('sec-groups', 'Scores per group',
      'Grouped data' + (sweep.group_by ? ' (by ' + sweep.group_by + ')' : '') + ': how each group scores, ' +
      'to see whether one subject or recording carries or sinks the mean.');

    if (held_out.length) {
      s.append('h3').text('Cross-validation: one held-out group per fold');
      s.append('p').attr('class', 'note').text('Each dot is a completed trial\'s ' + metric +
        ' on the group its fold held out; the line joins the best trial\'s scores.');
      var points = [];
      completed.forEach(function (t) {
        t.folds.forEach(function (f) {
          if (f.held_out_group && f.score !== null) points.push({ trial: t, group: f.held_out_group, score: f.score, rows: f.val_rows });
        });
      });
      var c = chart(s, Math.max(360, 120 + 90 * held_out.length), 300, { top: 10, right: 20, bottom: 50, left: 56 });
      var x = d3.scaleBand().domain(held_out).range([0, c.w]).padding(0.2);
      var y = d3.scaleLinear().domain(score_extent(points.map(function (d) { return d.score; }))).range([c.h, 0]).nice();
      axes(c, x, y, sweep.group_by || 'group', metric);
      // Spread a group's dots across its band by rank, so that equal scores stay visible.
      var ranked = completed.slice().sort(function (a, b) { return (a.rank || 0) - (b.rank || 0) || a.number - b.number; });
      var offset = function (t) { return ranked.length < 2 ? 0.5 : ranked.indexOf(t) / (ranked.length - 1); };
      c.g.selectAll('circle.group-point').data(points).enter().append('circle').attr('class', 'group-point')
        .attr('cx', function (d) { return x(d.group) + x.bandwidth() * (0.15 + 0.7 * offset(d.trial)); })
        .attr('cy', function (d) { return y(d.score); }).attr('r', 3.5)
        .attr('fill', function (d) { return d.trial === best ? '#d62728' : '#4c78a8'; }).attr('fill-opacity', 0.75)
        .append('title').text(function (d) { return d.group + ': ' + metric + ' ' + fmt(d.score) + ' — ' + trial_label(d.trial); });
      if (best) {
        var best_points = points.filter(function (d) { return d.trial === best; });
        c.g.append('path').attr('class', 'group-best-line').datum(best_points).attr('fill', 'none')
          .attr('stroke', '#d62728').attr('stroke-width', 1.5)
          .attr('d', d3.line().x(function (d) { return x(d.group) + x.bandwidth() * (0.15 + 0.7 * offset(d.trial)); })
                              .y(function (d) { return y(d.score); }));
      }
      var table = s.append('table').attr('id', 'group-scores');
      var head = table.append('thead').append('tr');
      [sweep.group_by || 'group', 'validation rows', 'best trial' + (best ? ' (' + best.number + ')' : ''),
       'mean over trials', 'lowest', 'highest'].forEach(function (h) { head.append('th').text(h); });
      var body = table.append('tbody');
      held_out.forEach(function (g) {
        var scores = points.filter(function (d) { return d.group === g; });
        var mine = scores.filter(function (d) { return d.trial === best; })[0];
        var values = scores.map(function (d) { return d.score; });
        var tr = body.append('tr').attr('class', 'group-row');
        [g, scores.length ? scores[0].rows : '', mine ? fmt(mine.score) : '—', fmt(d3.mean(values)),
         fmt(d3.min(values)), fmt(d3.max(values))].forEach(function (v) { tr.append('td').text(v); });
      });
    } else if (grouped_folds) {
      s.append('h3').text('Cross-validation: the groups each fold validates on');
      s.append('p').attr('class', 'note').text('A fold\'s rows are scored together, so the store has ' +
        'a score per fold, not per group (cv.method: leave_one_group_out gives one score per group).');
      var fold_table = s.append('table').attr('id', 'fold-groups');
      var fold_head = fold_table.append('thead').append('tr');
      ['fold', 'groups (validation rows)'].forEach(function (h) { fold_head.append('th').text(h); });
      var fold_body = fold_table.append('tbody');
      fold_groups.forEach(function (groups, f) {
        var tr = fold_body.append('tr').attr('class', 'fold-groups-row');
        tr.append('td').text(f + 1);
        tr.append('td').text(groups.map(function (g) { return g.group + ' (' + g.rows + ')'; }).join(', '));
      });
    }

    test_runs.forEach(function (r) {
      s.append('h3').text('Test set: ' + r.kind + ' run of trial ' + r.trial + ', ' + r.groups.length + ' group' +
        (r.groups.length === 1 ? '' : 's'));
      s.append('p').attr('class', 'note').text('Accuracy and balanced accuracy (mean recall over the classes ' +
        'the group has) of each held-out test group; bars: accuracy, the dashed line: the whole test set\'s.');
      var c = chart(s, Math.max(360, 120 + 60 * r.groups.length), 260, { top: 10, right: 20, bottom: 60, left: 56 });
      var x = d3.scaleBand().domain(r.groups.map(function (g) { return g.group; })).range([0, c.w]).padding(0.25);
      var y = d3.scaleLinear().domain([0, 1]).range([c.h, 0]);
      axes(c, x, y, sweep.group_by || 'group', 'accuracy');
      c.g.selectAll('rect.test-group-bar').data(r.groups).enter().append('rect').attr('class', 'test-group-bar')
        .attr('x', function (g) { return x(g.group); }).attr('width', x.bandwidth())
        .attr('y', function (g) { return y(g.accuracy || 0); }).attr('height', function (g) { return c.h - y(g.accuracy || 0); })
        .attr('fill', '#4c78a8')
        .append('title').text(function (g) { return g.group + ': accuracy ' + fmt(g.accuracy) + ' over ' + g.rows + ' rows'; });
      if (r.test && r.test.accuracy !== null) {
        c.g.append('line').attr('x1', 0).attr('x2', c.w).attr('y1', y(r.test.accuracy)).attr('y2', y(r.test.accuracy))
          .attr('stroke', '#d62728').attr('stroke-dasharray', '4 3');
      }
      var table = s.append('table').attr('class', 'test-groups');
      var head = table.append('thead').append('tr');
      [sweep.group_by || 'group', 'rows', 'accuracy', 'balanced accuracy'].forEach(function (h) { head.append('th').text(h); });
      var body = table.append('tbody');
      r.groups.forEach(function (g) {
        var tr = body.append('tr').attr('class', 'test-group-row');
        [g.group, g.rows, fmt(g.accuracy), fmt(g.balanced_accuracy)].forEach(function (v) { tr.append('td').text(v); });
      });
    });
  });

  // ---- Timeline ------------------------------------------------------------------------------
  guarded('timeline', function () {
    var s = section('sec-timeline', 'Timeline',
      'Each trial from its start to its finish (all of its folds). The store records trial times, ' +
      'not worker slots, so lanes are assigned here: a trial takes the first lane free at its start.');
    var spans = trials.filter(function (t) { return t.started_at && t.finished_at; }).map(function (t) {
      return { trial: t, start: new Date(t.started_at), end: new Date(t.finished_at) };
    }).filter(function (d) { return !isNaN(d.start) && !isNaN(d.end); });
    if (!spans.length) { s.append('p').text('No trial has stored start and finish times.'); return; }
    spans.sort(function (a, b) { return a.start - b.start || a.trial.number - b.trial.number; });
    var lane_free = [];
    spans.forEach(function (d) {
      var lane = lane_free.findIndex(function (free) { return free <= d.start; });
      if (lane < 0) { lane = lane_free.length; lane_free.push(d.end); } else lane_free[lane] = d.end;
      d.lane = lane;
    });
    var lanes = lane_free.length;
    var c = chart(s, 760, 60 + Math.min(lanes, 64) * 14, { top: 10, right: 20, bottom: 40, left: 56 });
    var x = d3.scaleTime().domain([d3.min(spans, function (d) { return d.start; }), d3.max(spans, function (d) { return d.end; })]).range([0, c.w]);
    var y = d3.scaleBand().domain(d3.range(lanes)).range([0, c.h]).padding(0.1);
    c.g.append('g').attr('class', 'axis').attr('transform', 'translate(0,' + c.h + ')').call(d3.axisBottom(x).ticks(6));
    c.g.append('g').attr('class', 'axis').call(d3.axisLeft(y).tickValues(lanes > 16 ? [] : d3.range(lanes)));
    c.g.selectAll('rect.timeline-bar').data(spans).enter().append('rect').attr('class', 'timeline-bar')
      .attr('x', function (d) { return x(d.start); }).attr('y', function (d) { return y(d.lane); })
      .attr('width', function (d) { return Math.max(1, x(d.end) - x(d.start)); }).attr('height', y.bandwidth())
      .attr('fill', function (d) { return status_colour[d.trial.status] || '#999'; })
      .append('title').text(function (d) { return trial_label(d.trial) + ', ' + ((d.end - d.start) / 1000) + ' s'; });
  });
})();
document.body.setAttribute('data-report', 'drawn');
// Milliseconds from the start of navigation until every section was drawn.
document.body.setAttribute('data-drawn-after-ms', String(Math.round(performance.now())));
