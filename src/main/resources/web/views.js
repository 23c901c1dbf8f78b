'use strict';
// archon-sync web page: DOM helpers and the views of a run's record (status, verification, metrics,
// details). Plain DOM, data inserted only as text. Exposed as window.ArchonViews for app.js.
(() => {
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
  const fmtMB = (bytes) => (bytes == null ? '–' : (bytes / 1048576).toFixed(1) + ' MB');
  // Each status has its own colour AND symbol, so a failure never reads like a mismatch (or the reverse).
  const SYMBOLS = { completed: '✓', ok: '✓', match: '✓', failed: '✕', error: '✕', cancelled: '■', mismatch: '≠',
    running: '●', warning: '!', 'not verified': '–' };
  const badge = (status) => el('span', { class: 'badge ' + status.replace(/\s+/g, '-') },
    (SYMBOLS[status] ? SYMBOLS[status] + ' ' : '') + status);
  const shortSum = (v) => (typeof v === 'string' && v.length > 16 ? el('code', { title: v }, v.slice(0, 12) + '…') : v);

  // What a record is: a sync (with its direction), a restore or an undo of another run.
  function operationText(r) {
    if (r.operation === 'undo') return 'undo of ' + (r.undone_sync_id || '?') + ' (into ' + r.target_db + ')';
    if (r.operation === 'restore') return 'restore into ' + r.target_db;
    return r.direction;
  }
  // A status with what it means: a failed run whose exit code was 4 failed on a verification mismatch.
  function statusView(r) {
    const parts = [badge(r.status)];
    if (r.error_details && r.error_details.exit_code === 4) parts.push(' ', badge('mismatch'));
    return el('span', { class: 'status' }, parts);
  }

  // Renders an array of objects, or an object of objects (keyed by name), as a table.
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
    const cell = (v, c) => {
      if (typeof v === 'boolean' && (c === 'match' || c === 'value')) return el('td', {}, v ? badge('match') : badge('mismatch'));
      if (typeof v === 'boolean') return el('td', {}, v ? 'yes' : 'no');
      if (typeof v === 'number') return el('td', { class: 'num' }, Number.isInteger(v) ? fmtInt(v) : v.toFixed(2));
      if (v && typeof v === 'object') return el('td', { class: 'json' }, JSON.stringify(v));
      if (/checksum/.test(c)) return el('td', {}, shortSum(v));
      return el('td', {}, v == null ? '–' : String(v));
    };
    return el('div', { class: 'scroll' }, el('table', { id },
      el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col' }, c.replace(/_/g, ' '))))),
      el('tbody', {}, rows.map((r) => el('tr', {}, cols.map((c) => cell(r[c], c)))))));
  }

  // verification_results: {performed, all_match, tables, sequences}; a run that rolled back performed none.
  function verificationView(v, id) {
    if (!v || v.performed === false || (!Array.isArray(v.tables) && !Object.keys(v).length)) {
      return el('p', { class: 'not-verified', id }, badge('not verified'), ' Not verified: rolled back, the target is unchanged.');
    }
    if (!Array.isArray(v.tables)) return objectTable(v, id);
    const parts = [el('p', {}, 'All tables match: ', v.all_match ? badge('match') : badge('mismatch')), objectTable(v.tables, id)];
    if (v.sequences && Object.keys(v.sequences).length) parts.push(el('h5', {}, 'Sequences'), objectTable(v.sequences, id + '-sequences'));
    return el('div', {}, parts);
  }

  // metadata.metrics as a two-column table: durations in seconds, bytes in MB, in a stable order.
  const METRIC_ORDER = ['total_seconds', 'lock_wait_seconds', 'backup_seconds', 'export_seconds', 'import_seconds',
    'indexing_seconds', 'verification_seconds', 'lock_window_seconds', 'bytes_streamed', 'indexes_rebuilt', 'foreign_keys_readded'];
  const METRIC_LABELS = { total_seconds: 'total', lock_wait_seconds: 'waiting for locks', backup_seconds: 'writing the backup',
    lock_window_seconds: 'tables locked', bytes_streamed: 'streamed', backup: 'backup taken', foreign_keys_readded: 'foreign keys re-added' };
  function metricsView(m, id) {
    if (!m || !Object.keys(m).length) return el('p', { id }, 'none');
    const keys = Object.keys(m).sort((a, b) => {
      const ia = METRIC_ORDER.indexOf(a); const ib = METRIC_ORDER.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
    });
    const value = (k, v) => {
      if (typeof v === 'boolean') return v ? 'yes' : 'no';
      if (k.endsWith('_seconds') && typeof v === 'number') return v.toFixed(2) + ' s';
      if (k.startsWith('bytes') && typeof v === 'number') return fmtMB(v);
      if (typeof v === 'number') return fmtInt(v);
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    };
    return el('div', { class: 'scroll' }, el('table', { id, class: 'kv' },
      el('tbody', {}, keys.map((k) => el('tr', {}, el('th', { scope: 'row' }, METRIC_LABELS[k] || k.replace(/_seconds$/, '').replace(/_/g, ' ')),
        el('td', { class: 'num' }, value(k, m[k])))))));
  }

  // Raw JSON behind a toggle.
  const rawJson = (label, value) => el('details', { class: 'raw' }, el('summary', {}, label), el('pre', {}, JSON.stringify(value, null, 2)));


  // A bidirectional dry run's plan: per table, the rows each side receives.
  function sideText(c) {
    return c ? fmtInt(c.inserts) + ' new, ' + fmtInt(c.updates) + ' changed, ' + fmtInt(c.deletes) + ' deleted' : '–';
  }

  function mergePlanView(merge) {
    const rows = Object.entries(merge || {}).map(([t, m]) => el('tr', {}, el('td', {}, t), el('td', {}, sideText(m.to_local)),
      el('td', {}, sideText(m.to_remote)), el('td', { class: 'num' }, fmtInt(m.conflicts_unresolved))));
    return el('div', { class: 'scroll' }, el('table', { id: 'merge-table' }, el('caption', { class: 'sr-only' }, 'Rows per table and side'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Table'), el('th', { scope: 'col' }, 'Into local'),
        el('th', { scope: 'col' }, 'Into remote'), el('th', { scope: 'col', class: 'num' }, 'Conflicts'))),
      el('tbody', {}, rows)));
  }

  // The conflicts of a bidirectional run, one table each: the row's columns, local and remote side by side.
  function conflictsView(list) {
    return el('div', { id: 'conflict-list' }, (list || []).map((c) => el('div', { class: 'scroll conflict' },
      el('table', {}, el('caption', {}, el('strong', {}, c.table), ' · key ', el('code', {}, c.key), ' · ', c.kind,
        c.local_key ? [' · local row ', el('code', {}, c.local_key), ' · remote row ', el('code', {}, c.remote_key)] : []),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Column'), el('th', { scope: 'col' }, 'Local'),
          el('th', { scope: 'col' }, 'Remote'))),
        el('tbody', {}, (c.columns || []).map((col) => el('tr', {}, el('th', { scope: 'row' }, col.column),
          el('td', { class: 'side-local' }, String(col.local)), el('td', { class: 'side-remote' }, String(col.remote)))))))));
  }

  window.ArchonViews = { mergePlanView, conflictsView, el, clear, fmtInt, fmtDate, fmtDuration, fmtMB, badge, statusView, operationText, objectTable,
    verificationView, metricsView, rawJson, shortSum };
})();
