// The dashboard: reads the public API (/api/v1) and draws with ECharts.
// API values reach the page only through textContent and chart options, never as HTML.
// For tests, <html> carries data-errors (JSON list of errors seen) and data-ready (set once
// every section has its data); each chart carries data-series, the figures it drew.
'use strict';

(function () {
  const root = document.documentElement;
  const errors = [];
  function recordError(message) {
    errors.push(String(message));
    root.dataset.errors = JSON.stringify(errors);
  }
  root.dataset.errors = '[]';
  window.addEventListener('error', (e) => recordError(e.message));
  window.addEventListener('unhandledrejection', (e) => recordError(e.reason && e.reason.message || e.reason));
  document.addEventListener('securitypolicyviolation', (e) => recordError('CSP: ' + e.violatedDirective));

  const TOKEN_KEY = 'jixiao-token';
  const GRADES = [['excellent', '优', '#2e7d32'], ['good', '良', '#7cb342'], ['fair', '中', '#f9a825'], ['poor', '差', '#c62828']];
  const STATUS = { draft: '草稿', submitted: '已报送', returned: '已退回', approved: '已审核' };
  const FILING = [['missing', '未填报'], ['draft', '草稿'], ['submitted', '已报送'],
    ['returned', '已退回'], ['approved', '已审核'], ['overdue', '逾期']];
  const $ = (id) => document.getElementById(id);

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(path, params) {
    const url = new URL('/api/v1' + path, location.origin);
    for (const [name, value] of params) url.searchParams.append(name, value);
    const headers = { Accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = 'Bearer ' + token;
    const response = await fetch(url, { headers });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new ApiError(response.status, problem.detail || problem.title || response.statusText);
    }
    return response.json();
  }

  // The filters as query pairs, leaving out the empty ones.
  function filters() {
    const form = new FormData($('filters'));
    return ['fiscal_year', 'kind', 'department', 'region']
      .map((name) => [name, String(form.get(name) || '').trim()])
      .filter(([, value]) => value !== '');
  }

  function chart(id, option, series) {
    const element = $(id);
    element.dataset.series = JSON.stringify(series);
    const drawn = echarts.getInstanceByDom(element) || echarts.init(element);
    drawn.setOption(Object.assign({ animation: false }, option), true);
  }

  function clearChart(id) {
    const drawn = echarts.getInstanceByDom($(id));
    if (drawn) drawn.clear();
    delete $(id).dataset.series;
  }

  function note(id, text) { $(id).textContent = text || ''; }

  function explain(error) {
    if (error.status === 401) return '令牌无效或需要令牌：' + error.message;
    if (error.status === 403) return '此令牌无权查看。';
    return '读取失败：' + error.message;
  }

  const number = (text) => (text === null || text === undefined ? null : Number(text));

  async function grades() {
    const stats = await api('/stats', [...filters(), ['group_by', 'fiscal_year'], ['group_by', 'grade']]);
    const years = [...new Set(stats.groups.map((g) => g.key.fiscal_year))].sort((a, b) => a - b);
    const series = {};
    for (const [code] of GRADES) series[code] = years.map(() => 0);
    for (const group of stats.groups) {
      const row = series[group.key.grade];
      if (row) row[years.indexOf(group.key.fiscal_year)] = group.count;
    }
    note('grades-note', years.length ? '' : '没有可查看的表。');
    chart('grades-chart', {
      tooltip: { trigger: 'axis' },
      legend: {},
      xAxis: { type: 'category', name: '年度', data: years.map(String) },
      yAxis: { type: 'value', name: '表数', minInterval: 1 },
      series: GRADES.map(([code, label, color]) => ({ name: label, type: 'bar', stack: 'grade', color, data: series[code] })),
    }, { years, series });
  }

  async function rates() {
    const stats = await api('/stats', [...filters(), ['group_by', 'fiscal_year']]);
    const years = stats.groups.map((g) => g.key.fiscal_year);
    const rate = stats.groups.map((g) => number(g.good_or_better_rate));
    const mean = stats.groups.map((g) => number(g.total && g.total.mean));
    chart('rates-chart', {
      tooltip: { trigger: 'axis' },
      legend: {},
      xAxis: { type: 'category', name: '年度', data: years.map(String) },
      yAxis: [{ type: 'value', name: '优良率（%）', min: 0, max: 100 }, { type: 'value', name: '平均分', min: 0, max: 100 }],
      series: [
        { name: '优良率', type: 'line', data: rate },
        { name: '平均分', type: 'line', yAxisIndex: 1, data: mean },
      ],
    }, { years, good_or_better_rate: rate, mean_total: mean });
  }

  async function filing() {
    const given = new Map(filters());
    const year = given.get('fiscal_year') || String(new Date().getFullYear() - 1);
    const params = [['fiscal_year', year], ...filters().filter(([name]) => name !== 'fiscal_year')];
    try {
      const report = await api('/filing', params);
      const counts = FILING.map(([code]) => report.counts[code]);
      note('filing-note', year + ' 年度，共 ' + report.units.length + ' 个已登记单位。');
      chart('filing-chart', {
        tooltip: {},
        xAxis: { type: 'category', data: FILING.map(([, label]) => label) },
        yAxis: { type: 'value', name: '单位数', minInterval: 1 },
        series: [{ name: '单位数', type: 'bar', data: counts }],
      }, { fiscal_year: Number(year), counts });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      clearChart('filing-chart');
      note('filing-note', error.status === 401 || error.status === 403
        ? '填报情况只有财政局（复核人）或管理员令牌可以查看。'
        : explain(error));
    }
  }

  async function trend() {
    const code = $('unit-code').value.trim();
    if (!code) {
      clearChart('trend-chart');
      note('trend-note', '输入单位编码（预算编码）查看该单位历年得分。');
      return;
    }
    const kind = new Map(filters()).get('kind');
    const points = await api('/units/' + encodeURIComponent(code) + '/trend', kind ? [['kind', kind]] : []);
    note('trend-note', points.length ? '' : '该单位没有可查看的表。');
    const years = points.map((p) => p.fiscal_year);
    const total = points.map((p) => number(p.total));
    const review = points.map((p) => number(p.review_total));
    chart('trend-chart', {
      tooltip: { trigger: 'axis' },
      legend: {},
      xAxis: { type: 'category', name: '年度', data: years.map(String) },
      yAxis: { type: 'value', name: '总分', min: 0, max: 100 },
      series: [
        { name: '规则总分', type: 'line', data: total },
        { name: '复核总分', type: 'line', data: review },
      ],
    }, { years, total, review_total: review });
  }

  function cell(row, text) {
    const td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '' : String(text);
    row.appendChild(td);
    return td;
  }

  async function differs() {
    const page = await api('/evaluations', [...filters(), ['finding', 'rule_grade_differs'], ['limit', '200']]);
    const body = $('differs').tBodies[0];
    body.replaceChildren();
    for (const form of page.items) {
      const row = document.createElement('tr');
      cell(row, form.fiscal_year);
      cell(row, form.unit && form.unit.name);
      cell(row, form.project_name);
      cell(row, form.declared_grade && form.declared_grade.label);
      cell(row, form.rule_grade && form.rule_grade.label);
      cell(row, form.total);
      cell(row, STATUS[form.status] || form.status);
      const link = document.createElement('a');
      link.href = '/api/v1/evaluations/' + encodeURIComponent(form.id) + '/form.html?annotate=true';
      link.textContent = '打印页';
      cell(row, '').appendChild(link);
      body.appendChild(row);
    }
    note('differs-note', page.items.length
      ? '共 ' + page.items.length + ' 张' + (page.next_cursor ? '（只列出前 200 张）' : '') + '。'
      : '没有不一致的表。');
  }

  const SECTIONS = [[grades, 'grades-note'], [rates, 'rates-note'], [filing, 'filing-note'],
    [trend, 'trend-note'], [differs, 'differs-note']];

  async function refresh() {
    delete root.dataset.ready;
    await Promise.all(SECTIONS.map(([load, noteId]) => load().catch((error) => {
      if (error instanceof ApiError) note(noteId, explain(error));
      else recordError(error && error.message || error);
    })));
    root.dataset.ready = 'true';
  }

  function showTokenState() {
    note('token-state', sessionStorage.getItem(TOKEN_KEY) ? '已使用令牌（仅在本标签页保存）。' : '未使用令牌：只显示已公开的表。');
  }

  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token').value.trim();
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    $('token').value = '';
    showTokenState();
    refresh();
  });
  $('token-clear').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showTokenState();
    refresh();
  });
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); refresh(); });
  $('trend-form').addEventListener('submit', (e) => {
    e.preventDefault();
    delete root.dataset.ready;
    trend().catch((error) => note('trend-note', explain(error))).finally(() => { root.dataset.ready = 'true'; });
  });
  window.addEventListener('resize', () => {
    for (const element of document.querySelectorAll('.chart')) {
      const drawn = echarts.getInstanceByDom(element);
      if (drawn) drawn.resize();
    }
  });

  // A link may carry a token, a unit code and filters in its fragment (`#token=…&unit=…&
  // fiscal_year=…`): a fragment never reaches a server or its logs. The token moves to this
  // tab's storage and the fragment leaves the address bar at once.
  function readFragment() {
    const given = new URLSearchParams(location.hash.slice(1));
    if (given.get('token')) sessionStorage.setItem(TOKEN_KEY, given.get('token'));
    if (given.get('unit')) $('unit-code').value = given.get('unit');
    const form = $('filters');
    for (const name of ['fiscal_year', 'kind', 'department', 'region']) {
      if (given.get(name) && form.elements[name]) form.elements[name].value = given.get(name);
    }
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  }

  readFragment();
  showTokenState();
  refresh();
})();
