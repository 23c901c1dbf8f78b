'use strict';
// archon-sync web page: plain DOM, no dependencies. Data is only ever inserted as text.
(() => {
  const API = '/api/database/sync';
  const PHASES = ['validation', 'export', 'import', 'indexing', 'verification'];
  const $ = (id) => document.getElementById(id);
  const state = { token: null, plan: null, source: null, runId: null,
    history: { limit: 20, offset: 0, sort: 'started_at', order: 'desc', total: 0, records: [] } };

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  const clear = (node, ...children) => { node.replaceChildren(...children.flat().filter((c) => c != null)); };
  const fmtInt = (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'));
  const fmtDate = (s) => (s ? new Date(s).toLocaleString() : '–');
  function fmtDuration(sec) {
    if (sec === null || sec === undefined) return '–';
    const s = Math.round(Number(sec));
    if (s < 60) return s + ' s';
    const m = Math.floor(s / 60);
    return m < 60 ? m + ' min ' + (s % 60) + ' s' : Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }
  const badge = (status) => el('span', { class: 'badge ' + status }, status);

  // ---- token -------------------------------------------------------------------------------
  function takeToken() {
    const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem('archon-sync-token', decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + '#/sync');
    }
    state.token = sessionStorage.getItem('archon-sync-token');
  }

  async function api(path, options = {}) {
    const headers = { Authorization: 'Bearer ' + state.token };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { method: options.method || 'GET', headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    let data = null;
    try { data = await res.json(); } catch (e) { data = { success: false, error: 'unreadable answer (' + res.status + ')' }; }
    if (res.status === 401) {
      sessionStorage.removeItem('archon-sync-token');
      state.token = null;
      route();
    }
    return { status: res.status, data };
  }

  // ---- routing -----------------------------------------------------------------------------
  function route() {
    const page = location.hash.startsWith('#/history') ? 'history' : 'sync';
    $('gate').hidden = !!state.token;
    $('page-sync').hidden = !state.token || page !== 'sync';
    $('page-history').hidden = !state.token || page !== 'history';
    $('nav-sync').toggleAttribute('aria-current', page === 'sync');
    $('nav-history').toggleAttribute('aria-current', page === 'history');
    if (page === 'sync') $('nav-sync').setAttribute('aria-current', 'page');
    else $('nav-history').setAttribute('aria-current', 'page');
    if (!state.token) { $('gate-token').focus(); return; }
    if (page === 'history') { loadStats(); loadHistory(); }
  }

  async function health() {
    try {
      const res = await fetch('/health');
      const h = await res.json();
      const part = (name) => {
        const d = h.databases[name];
        return name + ': ' + (d.reachable ? 'up (' + d.latency_ms + ' ms)' : 'unreachable');
      };
      $('health').textContent = part('local') + ' · ' + part('remote');
    } catch (e) {
      $('health').textContent = 'server unreachable';
    }
  }

  // ---- sync page ---------------------------------------------------------------------------
  const direction = () => document.querySelector('input[name=direction]:checked').value;

  async function preflight(ev) {
    ev.preventDefault();
    $('confirm').hidden = true;
    $('confirm-box').checked = false;
    $('start-button').disabled = true;
    clear($('preflight'), el('p', {}, 'Checking both databases…'));
    const { status, data } = await api(API + '/preflight', { method: 'POST', body: { direction: direction() } });
    if (status !== 200) { clear($('preflight'), el('p', { class: 'error', role: 'alert' }, data.error)); return; }
    state.plan = data;
    const checks = el('ul', { class: 'checks' }, data.checks.map((c) => el('li', {}, badge(c.status), ' ', c.name + ': ' + c.message,
      c.details.length ? el('ul', {}, c.details.map((d) => el('li', {}, d))) : null)));
    const rows = data.tables.map((t) => el('tr', {}, el('td', {}, t.table_name + (t.sensitive ? ' (holds secrets)' : '')),
      el('td', { class: 'num' }, fmtInt(t.rows_to_delete)), el('td', { class: 'num' }, fmtInt(t.rows_to_import))));
    const table = el('div', { class: 'scroll' }, el('table', { id: 'plan-table' },
      el('caption', { class: 'sr-only' }, 'Rows per table'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Table'),
        el('th', { scope: 'col', class: 'num' }, 'Rows deleted from ' + data.target_db),
        el('th', { scope: 'col', class: 'num' }, 'Rows imported from ' + data.source_db))),
      el('tbody', {}, rows),
      el('tfoot', {}, el('tr', {}, el('th', { scope: 'row' }, 'Total'), el('td', { class: 'num' }, fmtInt(data.rows_to_delete)),
        el('td', { class: 'num' }, fmtInt(data.rows_to_import))))));
    clear($('preflight'), el('h3', {}, 'Preflight: ', data.ok ? badge('ok') : badge('error')), checks, table);
    if (!data.ok) {
      $('preflight').append(el('p', { class: 'error', role: 'alert' }, 'The sync is refused: ' + data.errors.join('; ')));
      return;
    }
    const sensitive = data.tables.filter((t) => t.sensitive).map((t) => t.table_name);
    $('confirm-text').textContent = 'This replaces the ' + data.target_db + ' database\'s data: ' + fmtInt(data.rows_to_delete)
      + ' rows will be deleted from ' + data.target_db + ' and ' + fmtInt(data.rows_to_import) + ' rows imported from '
      + data.source_db + ' (a backup is taken first).' + (sensitive.length ? ' Tables holding secrets: ' + sensitive.join(', ') + '.' : '');
    $('confirm-label').textContent = 'I understand: replace the ' + data.target_db + ' data';
    $('confirm').hidden = false;
    $('confirm-box').focus();
  }

  async function start() {
    $('start-button').disabled = true;
    const { status, data } = await api(API, { method: 'POST', body: { direction: state.plan.direction, triggered_by: 'Web UI' } });
    if (status !== 202) {
      $('start-button').disabled = false;
      clear($('preflight'), el('p', { class: 'error', role: 'alert' }, data.error, data.reasons ? ': ' + data.reasons.join('; ') : ''));
      return;
    }
    $('confirm').hidden = true;
    watch(data.sync_id);
  }

  function watch(id) {
    state.runId = id;
    $('run').hidden = false;
    $('run-id').textContent = id;
    $('cancel-button').hidden = false;
    $('cancel-button').disabled = false;
    clear($('run-result'));
    showProgress({ status: 'running', current_phase: 'validation', percent_complete: 0 }, null);
    if (state.source) state.source.close();
    const source = new EventSource(API + '/' + encodeURIComponent(id) + '/events?token=' + encodeURIComponent(state.token));
    state.source = source;
    source.addEventListener('progress', (e) => { const d = JSON.parse(e.data); showProgress(d.record, d.live); });
    source.addEventListener('end', (e) => { source.close(); const d = JSON.parse(e.data); showProgress(d.record, d.live); finished(d.record); });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) clear($('run-result'), el('p', { class: 'error' }, 'Lost the connection to the server.'));
    };
  }

  function showProgress(r, live) {
    const phase = r.current_phase || 'validation';
    // 'commit' (the COMMIT and, if the connection broke during it, the check of its outcome) follows verification.
    const idx = phase === 'commit' ? PHASES.length : PHASES.indexOf(phase);
    const percent = r.status === 'completed' ? 100 : Math.max(0, Math.min(100, r.percent_complete || 0));
    clear($('phases'), PHASES.map((p, i) => el('li', { class: r.status === 'completed' || i < idx ? 'done' : i === idx ? 'current' : '',
      'aria-current': i === idx && r.status === 'running' ? 'step' : null }, p)));
    $('progress').setAttribute('aria-valuenow', String(percent));
    $('progress-fill').style.width = percent + '%';
    $('progress-text').textContent = percent + '%' + (r.status === 'running' ? '' : ' · ' + r.status);
    const elapsed = r.started_at ? (Date.now() - new Date(r.started_at).getTime()) / 1000 : 0;
    const rate = elapsed > 0 && r.synced_rows ? r.synced_rows / elapsed : 0;
    const eta = rate > 0 && r.total_rows ? (r.total_rows - r.synced_rows) / rate : null;
    const facts = [['Phase', phase], ['Table', r.current_table || '–'],
      ['Rows', fmtInt(r.synced_rows) + ' of ' + fmtInt(r.total_rows)],
      ['Speed', live && elapsed > 0 ? (live.bytes / 1048576 / elapsed).toFixed(1) + ' MB/s' : '–'],
      ['Time left', r.status === 'running' && eta !== null ? fmtDuration(eta) : '–']];
    clear($('run-facts'), facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  }

  function finished(r) {
    $('cancel-button').hidden = true;
    const parts = [el('p', {}, 'Result: ', badge(r.status), r.duration_seconds != null ? ' in ' + fmtDuration(r.duration_seconds) : '')];
    if (r.error_message) parts.push(el('p', { class: 'error', role: 'alert' }, r.error_message));
    if (r.verification_results) parts.push(el('h4', {}, 'Verification'), verificationView(r.verification_results, 'run-verification'));
    if (r.status === 'completed') parts.push(el('p', {}, el('a', { href: '#/history' }, 'See it in the history')));
    clear($('run-result'), parts);
  }

  async function cancel() {
    $('cancel-button').disabled = true;
    const { status, data } = await api(API + '/' + encodeURIComponent(state.runId) + '/cancel', { method: 'POST', body: {} });
    $('run-result').append(el('p', { class: status === 202 ? '' : 'error' }, status === 202 ? 'Cancelling: the run rolls back…' : data.error));
  }

  // ---- tables of JSON ----------------------------------------------------------------------
  // Renders an array of objects, or an object of objects (keyed by table), as a table.
  function objectTable(data, id) {
    let rows;
    if (Array.isArray(data)) rows = data.map((o) => (o && typeof o === 'object' ? o : { value: o }));
    else if (data && typeof data === 'object') {
      const values = Object.values(data);
      if (values.length && values.every((v) => v && typeof v === 'object' && !Array.isArray(v))) {
        rows = Object.entries(data).map(([k, v]) => Object.assign({ table: k }, v));
      } else {
        rows = Object.entries(data).map(([k, v]) => ({ name: k, value: v }));
      }
    } else return el('p', {}, String(data));
    if (!rows.length) return el('p', { id }, 'none');
    const first = ['table_name', 'table', 'name'];
    const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))]
      .sort((a, b) => (first.includes(b) ? 1 : 0) - (first.includes(a) ? 1 : 0));
    // Only a "match" column (or a sequence's value) is a verdict; other booleans are plain yes/no.
    const cell = (v, c) => {
      if (typeof v === 'boolean' && (c === 'match' || c === 'value')) return el('td', {}, v ? badge('match') : badge('mismatch'));
      if (typeof v === 'boolean') return el('td', {}, v ? 'yes' : 'no');
      if (typeof v === 'number') return el('td', { class: 'num' }, Number.isInteger(v) ? fmtInt(v) : v.toFixed(2));
      if (v && typeof v === 'object') return el('td', { class: 'json' }, JSON.stringify(v));
      return el('td', {}, v == null ? '–' : String(v));
    };
    return el('div', { class: 'scroll' }, el('table', { id },
      el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col' }, c.replace(/_/g, ' '))))),
      el('tbody', {}, rows.map((r) => el('tr', {}, cols.map((c) => cell(r[c], c)))))));
  }

  // verification_results: {all_match, tables: [...], sequences: {...}}; anything else generically.
  function verificationView(v, id) {
    if (!v || !Array.isArray(v.tables)) return objectTable(v || {}, id);
    const parts = [el('p', {}, 'All tables match: ', v.all_match ? badge('match') : badge('mismatch')), objectTable(v.tables, id)];
    if (v.sequences && Object.keys(v.sequences).length) parts.push(el('h5', {}, 'Sequences'), objectTable(v.sequences, id + '-sequences'));
    return el('div', {}, parts);
  }

  // ---- history page ------------------------------------------------------------------------
  const COLUMNS = [['started_at', 'Started'], ['direction', 'Direction'], ['status', 'Status'],
    ['duration_seconds', 'Duration'], ['synced_rows', 'Rows'], ['triggered_by', 'Triggered by']];

  async function loadStats() {
    const { status, data } = await api(API + '/stats?days=' + $('stats-days').value);
    if (status !== 200) { clear($('stats'), el('p', { class: 'error' }, data.error)); return; }
    const s = data.stats;
    const card = (value, label) => el('div', { class: 'card' }, el('div', { class: 'value' }, value), el('div', { class: 'label' }, label));
    clear($('stats'), card(fmtInt(s.total_syncs), 'syncs'),
      card(s.success_rate == null ? '–' : s.success_rate + '%', 'success rate'),
      card(fmtDuration(s.avg_duration_seconds), 'average duration'), card(fmtInt(s.total_rows_synced), 'rows synced'));
  }

  async function loadHistory() {
    const h = state.history;
    const q = new URLSearchParams({ limit: h.limit, offset: h.offset, sort: h.sort, order: h.order });
    if ($('filter-status').value) q.set('status', $('filter-status').value);
    if ($('filter-direction').value) q.set('direction', $('filter-direction').value);
    if ($('filter-search').value.trim()) q.set('search', $('filter-search').value.trim());
    const { status, data } = await api(API + '/history?' + q);
    if (status !== 200) { $('history-warnings').textContent = data.error; return; }
    h.total = data.total;
    h.records = data.records;
    $('history-warnings').textContent = data.warnings.join(' ');
    clear($('history-head'), COLUMNS.map(([key, label]) => el('th', { scope: 'col',
      'aria-sort': h.sort === key ? (h.order === 'asc' ? 'ascending' : 'descending') : null },
    el('button', { type: 'button', onclick: () => sortBy(key) }, label + (h.sort === key ? (h.order === 'asc' ? ' ▲' : ' ▼') : '')))),
    el('th', { scope: 'col' }, el('span', { class: 'sr-only' }, 'Actions')));
    clear($('history-body'), data.records.length ? data.records.map((r) => el('tr', {},
      el('td', {}, fmtDate(r.started_at)), el('td', {}, r.direction), el('td', {}, badge(r.status)),
      el('td', { class: 'num' }, fmtDuration(r.duration_seconds)), el('td', { class: 'num' }, fmtInt(r.synced_rows)),
      el('td', {}, r.triggered_by || '–'),
      el('td', {}, el('button', { type: 'button', onclick: () => details(r), 'aria-label': 'Details of ' + r.sync_id }, 'Details'))))
      : el('tr', {}, el('td', { colspan: '7' }, 'No runs match.')));
    const from = data.total === 0 ? 0 : h.offset + 1;
    $('page-info').textContent = from + '–' + (h.offset + data.records.length) + ' of ' + fmtInt(data.total);
    $('page-prev').disabled = h.offset === 0;
    $('page-next').disabled = h.offset + h.limit >= data.total;
  }

  function sortBy(key) {
    const h = state.history;
    h.order = h.sort === key && h.order === 'desc' ? 'asc' : 'desc';
    h.sort = key;
    h.offset = 0;
    loadHistory();
  }

  function details(r) {
    const facts = [['Sync id', r.sync_id], ['Direction', r.direction], ['Status', badge(r.status)],
      ['Database', r.source_db + ' → ' + r.target_db + ' (recorded in ' + r.database + ')'],
      ['Started', fmtDate(r.started_at)], ['Completed', fmtDate(r.completed_at)], ['Duration', fmtDuration(r.duration_seconds)],
      ['Rows', fmtInt(r.synced_rows) + ' of ' + fmtInt(r.total_rows)], ['Triggered by', r.triggered_by || '–'],
      ['Export size', r.export_size_mb == null ? '–' : r.export_size_mb + ' MB'],
      ['Export / import / indexing', [r.export_duration_seconds, r.import_duration_seconds, r.indexing_duration_seconds].map(fmtDuration).join(' / ')],
      ['Backup file', r.backup_file_path || 'none']];
    const parts = [el('dl', { class: 'facts' }, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]))];
    if (r.error_message) parts.push(el('h4', {}, 'Error'), el('p', { class: 'error' }, r.error_message));
    if (r.error_details && Object.keys(r.error_details).length) parts.push(el('pre', {}, JSON.stringify(r.error_details, null, 2)));
    parts.push(el('h4', {}, 'Tables synced'), objectTable(r.tables_synced || [], 'tables-synced-table'));
    parts.push(el('h4', {}, 'Verification'), verificationView(r.verification_results, 'verification-table'));
    if (r.metadata && Object.keys(r.metadata).length) parts.push(el('h4', {}, 'Metrics and metadata'), el('pre', {}, JSON.stringify(r.metadata, null, 2)));
    if (r.backup_file_path && r.status === 'completed') {
      const confirmBox = el('div', { hidden: true },
        el('p', { class: 'warn' }, 'Undo restores the ' + r.target_db + ' database from ' + r.backup_file_path
          + ', replacing what is there now.'),
        el('div', { class: 'buttons' }, el('button', { type: 'button', class: 'danger', onclick: () => undo(r) }, 'Yes, undo this sync'),
          el('button', { type: 'button', onclick: () => { confirmBox.hidden = true; } }, 'Keep it')));
      parts.push(el('div', { class: 'buttons' }, el('button', { type: 'button', onclick: () => { confirmBox.hidden = false; } }, 'Undo…')), confirmBox);
    }
    parts.push(el('p', { id: 'undo-result', 'aria-live': 'polite' }));
    $('details-title').textContent = 'Details of ' + r.sync_id;
    clear($('details-body'), parts);
    $('details').hidden = false;
    $('details').focus();
  }

  async function undo(r) {
    const { status, data } = await api(API + '/' + encodeURIComponent(r.sync_id) + '/undo', { method: 'POST', body: { triggered_by: 'Web UI' } });
    if (status === 202) {
      location.hash = '#/sync';
      watch(data.sync_id);
    } else {
      $('undo-result').textContent = data.error;
    }
  }

  // ---- wiring ------------------------------------------------------------------------------
  document.addEventListener('DOMContentLoaded', () => {
    takeToken();
    $('gate-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      state.token = $('gate-token').value.trim();
      const { status } = await api(API + '/stats?days=1');
      if (status === 200) {
        sessionStorage.setItem('archon-sync-token', state.token);
        $('gate-error').textContent = '';
        route();
      } else {
        $('gate-error').textContent = 'That token was not accepted.';
      }
    });
    $('sync-form').addEventListener('submit', preflight);
    $('confirm-box').addEventListener('change', () => { $('start-button').disabled = !$('confirm-box').checked; });
    $('start-button').addEventListener('click', start);
    $('cancel-button').addEventListener('click', cancel);
    $('stats-days').addEventListener('change', loadStats);
    $('filters').addEventListener('submit', (e) => { e.preventDefault(); state.history.offset = 0; loadHistory(); });
    $('filter-status').addEventListener('change', () => { state.history.offset = 0; loadHistory(); });
    $('filter-direction').addEventListener('change', () => { state.history.offset = 0; loadHistory(); });
    $('page-prev').addEventListener('click', () => { state.history.offset = Math.max(0, state.history.offset - state.history.limit); loadHistory(); });
    $('page-next').addEventListener('click', () => { state.history.offset += state.history.limit; loadHistory(); });
    $('details-close').addEventListener('click', () => { $('details').hidden = true; });
    window.addEventListener('hashchange', route);
    health();
    setInterval(health, 30000);
    route();
  });
})();
