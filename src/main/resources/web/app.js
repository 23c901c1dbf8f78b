'use strict';
// archon-sync web page: plain DOM, no dependencies. Data is only ever inserted as text.
(() => {
  const API = '/api/database/sync';
  const PHASES = ['validation', 'export', 'import', 'indexing', 'verification'];
  const $ = (id) => document.getElementById(id);
  const state = { token: null, plan: null, source: null, runId: null, databases: null, detailsOpener: null,
    history: { limit: 20, offset: 0, sort: 'started_at', order: 'desc', total: 0, records: [] } };

  const { el, clear, fmtInt, fmtDate, fmtDuration, badge, statusView, operationText, objectTable, verificationView,
    metricsView, rawJson, mergePlanView, conflictsView } = window.ArchonViews;

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
    if (!state.databases) loadDatabases();
    if (page === 'history') { loadStats(); loadHistory(); }
  }

  // Which servers "local" and "remote" are (host and database, never a password).
  async function loadDatabases() {
    const { status, data } = await api(API + '/databases');
    if (status !== 200) return;
    state.databases = data;
    const name = (d) => d.host + '/' + d.database;
    $('databases').textContent = 'local = ' + name(data.local) + ' · remote = ' + name(data.remote);
    $('direction-names').textContent = 'Local is ' + name(data.local) + '; remote is ' + name(data.remote) + '.';
  }
  const dbName = (label) => (state.databases && state.databases[label]
    ? label + ' (' + state.databases[label].host + '/' + state.databases[label].database + ')' : label);

  // A run going on (started here, elsewhere on the page before a reload, or from the CLI) is shown live.
  async function showRunning() {
    const { status, data } = await api(API + '/running');
    if (status !== 200 || !data.sync_id) return;
    if (location.hash.startsWith('#/history')) location.hash = '#/sync';
    watch(data.sync_id, data.record);
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
    $('conflicts').hidden = true;
    clear($('preflight'), el('p', {}, 'Checking both databases…'));
    if (direction() === 'bidirectional') { await mergePreview(); return; }
    const { status, data } = await api(API + '/preflight', { method: 'POST', body: { direction: direction() } });
    if (status !== 200) { clear($('preflight'), el('p', { class: 'error', role: 'alert' }, data.error)); return; }
    state.plan = data;
    const checks = el('ul', { class: 'checks' }, data.checks.map((c) => el('li', {}, badge(c.status), ' ', c.name + ': ' + c.message,
      c.details.length ? el('ul', {}, c.details.map((d) => el('li', {}, d))) : null)));
    // With the comparison's counts (a changes-only sync writes only those rows), else the full copy's.
    const delta = data.inserts !== undefined;
    const cols = delta ? [['inserts', 'Insert into '], ['updates', 'Update in '], ['deletes', 'Delete from ']]
      : [['rows_to_delete', 'Rows deleted from '], ['rows_to_import', 'Rows imported from ']];
    const dbOf = (key) => (key === 'rows_to_import' ? data.source_db : data.target_db);
    const rows = data.tables.map((t) => el('tr', {}, el('td', {}, t.table_name + (t.sensitive ? ' (holds secrets)' : '')
      + (t.full_copy ? ' (copied in full: ' + t.full_copy + ')' : '')),
      ...cols.map(([key]) => el('td', { class: 'num' }, fmtInt(t[key])))));
    const table = el('div', { class: 'scroll' }, el('table', { id: 'plan-table' },
      el('caption', { class: 'sr-only' }, 'Rows per table'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Table'),
        ...cols.map(([key, label]) => el('th', { scope: 'col', class: 'num' }, label + dbOf(key))))),
      el('tbody', {}, rows),
      el('tfoot', {}, el('tr', {}, el('th', { scope: 'row' }, 'Total'),
        ...cols.map(([key]) => el('td', { class: 'num' }, fmtInt(data[key])))))));
    clear($('preflight'), el('h3', {}, 'Preflight: ', data.ok ? badge('ok') : badge('error')), checks, table);
    if (!data.ok) {
      $('preflight').append(el('p', { class: 'error', role: 'alert' }, 'The sync is refused: ' + data.errors.join('; ')));
      return;
    }
    const sensitive = data.tables.filter((t) => t.sensitive).map((t) => t.table_name);
    $('confirm-text').textContent = (delta
      ? 'This changes the ' + dbName(data.target_db) + ' database to match ' + data.source_db + ': ' + fmtInt(data.inserts)
        + ' rows inserted, ' + fmtInt(data.updates) + ' updated and ' + fmtInt(data.deletes) + ' deleted'
      : 'This replaces the ' + dbName(data.target_db) + ' database\'s data: ' + fmtInt(data.rows_to_delete)
        + ' rows will be deleted from ' + data.target_db + ' and ' + fmtInt(data.rows_to_import) + ' rows imported from '
        + data.source_db) + ' (a backup is taken first).' + (sensitive.length ? ' Tables holding secrets: ' + sensitive.join(', ') + '.' : '');
    $('confirm-label').textContent = 'I understand: replace the ' + data.target_db + ' data';
    $('confirm').hidden = false;
    $('confirm-box').focus();
  }

  // Both ways: a dry run of the merge (nothing written) shows what each side receives, and the conflicts.
  async function mergePreview() {
    const { status, data } = await api(API, { method: 'POST', body: { direction: 'bidirectional', dry_run: true } });
    if (status !== 200) { clear($('preflight'), el('p', { class: 'error', role: 'alert' }, data.error)); return; }
    state.plan = { direction: 'bidirectional' };
    clear($('preflight'), el('h3', {}, 'Merge plan'), mergePlanView(data.merge));
    if (data.conflict_count > 0) { showConflicts(data.conflicts, data.conflict_count); return; }
    $('confirm-text').textContent = 'Each database receives the other\'s changes since the last sync (a backup of both is taken first).';
    $('confirm-label').textContent = 'I understand: change both databases';
    $('confirm').hidden = false;
    $('confirm-box').focus();
  }

  function showConflicts(list, count) {
    $('confirm').hidden = true;
    $('conflicts-text').textContent = count + ' row' + (count === 1 ? ' was' : 's were') + ' changed differently on both'
      + ' databases since the last sync; nothing has been written. Choose which side wins, then the merge runs again.';
    clear($('conflicts-body'), conflictsView(list));
    $('conflicts').hidden = false;
    $('conflicts').scrollIntoView({ block: 'start' });
    $('keep-local').focus({ preventScroll: true });
  }

  async function resolve(side) {
    $('keep-local').disabled = $('keep-remote').disabled = true;
    const body = { direction: 'bidirectional', on_conflict: side, triggered_by: 'Web UI' };
    const { status, data } = await api(API, { method: 'POST', body });
    $('keep-local').disabled = $('keep-remote').disabled = false;
    if (status === 409 && data.conflicts) { showConflicts(data.conflicts, data.conflicts.length); return; }
    if (status !== 202) {
      $('conflicts-body').prepend(el('p', { class: 'error', role: 'alert' }, data.error));
      return;
    }
    $('conflicts').hidden = true;
    clear($('preflight'));
    watch(data.sync_id);
  }

  async function start() {
    $('start-button').disabled = true;
    const { status, data } = await api(API, { method: 'POST', body: { direction: state.plan.direction, triggered_by: 'Web UI' } });
    if (status === 409 && data.conflicts) { $('start-button').disabled = false; showConflicts(data.conflicts, data.conflicts.length); return; }
    if (status !== 202) {
      $('start-button').disabled = false;
      clear($('preflight'), el('p', { class: 'error', role: 'alert' }, data.error, data.reasons ? ': ' + data.reasons.join('; ') : ''));
      return;
    }
    $('confirm').hidden = true;
    watch(data.sync_id);
  }

  function watch(id, record) {
    state.runId = id;
    $('run').hidden = false;
    $('run-id').textContent = id;
    $('cancel-button').hidden = false;
    $('cancel-button').disabled = false;
    clear($('run-result'));
    showProgress(record || { status: 'running', current_phase: 'validation', percent_complete: 0 }, null);
    $('run').scrollIntoView({ block: 'start' });
    $('run').focus({ preventScroll: true });
    if (state.source) state.source.close();
    const source = new EventSource(API + '/' + encodeURIComponent(id) + '/events?token=' + encodeURIComponent(state.token));
    state.source = source;
    source.addEventListener('progress', (e) => { const d = JSON.parse(e.data); showProgress(d.record, d.live); });
    source.addEventListener('end', (e) => { source.close(); const d = JSON.parse(e.data); showProgress(d.record, d.live); finished(d.record); });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) clear($('run-result'), el('p', { class: 'error' }, 'Lost the connection to the server.'));
    };
  }

  // The live detail: from this server's run (live) or, for a run of another process, the history row's metadata.progress.
  function detailOf(r, live) {
    const p = (r.metadata && r.metadata.progress) || {};
    return {
      step: (live && live.step) || p.step || r.current_phase || 'validation',
      waitingOn: (live && live.waiting_on) || p.waiting_on || null,
      speed: live && live.bytes_per_second != null ? live.bytes_per_second : p.bytes_per_second,
      eta: live && live.eta_seconds !== undefined ? live.eta_seconds : p.eta_seconds,
    };
  }

  function showProgress(r, live) {
    const phase = r.current_phase || 'validation';
    const idx = PHASES.indexOf(phase);
    const running = r.status === 'running';
    const percent = r.status === 'completed' ? 100 : Math.max(0, Math.min(100, r.percent_complete || 0));
    const phases = $('phases');
    if (phases.children.length !== PHASES.length) clear(phases, PHASES.map((p) => el('li', {}, p)));
    PHASES.forEach((p, i) => {
      const li = phases.children[i];
      li.className = r.status === 'completed' || i < idx ? 'done' : i === idx ? 'current' : '';
      if (i === idx && running) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    });
    $('progress').setAttribute('aria-valuenow', String(percent));
    $('progress-fill').style.width = percent + '%';
    $('progress-text').textContent = percent + '%' + (running ? '' : ' · ' + r.status);
    const d = detailOf(r, live);
    const step = d.waitingOn ? 'waiting for locks on ' + d.waitingOn : d.step;
    let left = '–';
    if (running) {
      if (d.eta != null) left = fmtDuration(d.eta);
      else if (d.waitingOn) left = 'waiting for locks';
      else if (phase === 'indexing') left = 'rebuilding indexes';
      else if (phase === 'verification') left = 'verifying checksums';
      else left = d.step;
    }
    const facts = [['Now', running ? step : r.status], ['Table', r.current_table || '–'],
      ['Rows', fmtInt(r.synced_rows) + ' of ' + fmtInt(r.total_rows)],
      ['Speed', running && d.speed != null ? (d.speed / 1048576).toFixed(1) + ' MB/s' : '–'],
      ['Time left', left]];
    if (r.direction === 'bidirectional') facts.push(['Into', 'both databases']);
    else if (r.target_db) facts.push(['Into', dbName(r.target_db)]);
    // Updated in place when the same facts are shown (every event while running): rebuilding them would
    // lose a reader's selection and make a screen reader start over.
    const dl = $('run-facts');
    const same = dl.children.length === facts.length * 2 && facts.every(([k], i) => dl.children[2 * i].textContent === k);
    if (!same) clear(dl, facts.flatMap(([k]) => [el('dt', {}, k), el('dd', { 'data-fact': k })]));
    facts.forEach(([, v], i) => { const dd = dl.children[2 * i + 1]; if (dd.textContent !== v) dd.textContent = v; });
  }

  function finished(r) {
    $('cancel-button').hidden = true;
    const parts = [el('p', {}, 'Result: ', statusView(r), r.duration_seconds != null ? ' in ' + fmtDuration(r.duration_seconds) : '')];
    if (r.error_message) parts.push(el('p', { class: 'error', role: 'alert' }, r.error_message));
    parts.push(el('h4', {}, 'Verification'), verificationView(r.verification_results, 'run-verification'));
    parts.push(el('p', {}, el('a', { href: '#/history' }, 'See it in the history')));
    clear($('run-result'), parts);
  }

  async function cancel() {
    $('cancel-button').disabled = true;
    const { status, data } = await api(API + '/' + encodeURIComponent(state.runId) + '/cancel', { method: 'POST', body: {} });
    $('run-result').append(el('p', { class: status === 202 ? '' : 'error' }, status === 202 ? 'Cancelling: the run rolls back…' : data.error));
  }

  // ---- tables of JSON ----------------------------------------------------------------------
  // ---- history page ------------------------------------------------------------------------
  const COLUMNS = [['started_at', 'Started'], ['sync_id', 'Sync id'], ['direction', 'What'], ['status', 'Status'],
    ['duration_seconds', 'Duration'], ['synced_rows', 'Rows'], ['triggered_by', 'Triggered by'], ['error_message', 'Error']];
  const SORTABLE = ['started_at', 'direction', 'status', 'duration_seconds', 'synced_rows', 'triggered_by'];

  async function loadStats() {
    const { status, data } = await api(API + '/stats?days=' + $('stats-days').value);
    if (status !== 200) { clear($('stats'), el('p', { class: 'error' }, data.error)); return; }
    const s = data.stats;
    const card = (value, label) => el('div', { class: 'card' }, el('div', { class: 'value' }, value), el('div', { class: 'label' }, label));
    clear($('stats'), card(fmtInt(s.total_syncs), 'syncs'),
      card(s.success_rate == null ? '–' : s.success_rate + '%', 'success rate'),
      card(fmtDuration(s.avg_duration_seconds), 'average duration'), card(fmtInt(s.total_rows_synced), 'rows synced'),
      s.restore_runs ? card(fmtInt(s.restore_runs), 'restores and undos (not counted as syncs)') : null);
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
    SORTABLE.includes(key) ? el('button', { type: 'button', onclick: () => sortBy(key) },
      label + (h.sort === key ? (h.order === 'asc' ? ' ▲' : ' ▼') : '')) : label)),
    el('th', { scope: 'col' }, el('span', { class: 'sr-only' }, 'Actions')));
    const td = (label, attrs, ...children) => el('td', Object.assign({ 'data-label': label }, attrs), ...children);
    clear($('history-body'), data.records.length ? data.records.map((r) => el('tr', { class: 'run-' + r.status },
      td('Started', {}, fmtDate(r.started_at)), td('Sync id', { class: 'id' }, r.sync_id),
      td('What', {}, operationText(r)), td('Status', {}, statusView(r)),
      td('Duration', { class: 'num' }, fmtDuration(r.duration_seconds)), td('Rows', { class: 'num' }, fmtInt(r.synced_rows)),
      td('Triggered by', {}, r.triggered_by || '–'), td('Error', { class: 'err' }, r.error_message || '–'),
      td('', { class: 'actions' }, el('button', { type: 'button', onclick: (e) => details(r, e.currentTarget),
        'aria-label': 'Details of ' + r.sync_id }, 'Details'))))
      : el('tr', {}, el('td', { colspan: String(COLUMNS.length + 1) }, 'No runs match.')));
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

  function details(r, opener) {
    state.detailsOpener = opener || null;
    const isSync = r.operation === 'sync' || !r.operation;
    const facts = [['Sync id', r.sync_id], ['Operation', r.operation || 'sync'],
      isSync ? ['Direction', r.direction] : ['What', operationText(r)], ['Status', statusView(r)],
      ['Databases', dbName(r.source_db) + ' → ' + dbName(r.target_db) + ' (recorded in ' + r.database + ')'],
      ['Started', fmtDate(r.started_at)], ['Completed', fmtDate(r.completed_at)], ['Duration', fmtDuration(r.duration_seconds)],
      ['Rows', fmtInt(r.synced_rows) + ' of ' + fmtInt(r.total_rows)], ['Triggered by', r.triggered_by || '–'],
      ['Export size', r.export_size_mb == null ? '–' : r.export_size_mb + ' MB'],
      ['Backup file', r.backup_file_path || 'none']];
    const parts = [el('dl', { class: 'facts' }, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]))];
    if (r.error_message) parts.push(el('h4', {}, 'Error'), el('p', { class: 'error' }, r.error_message));
    if (r.error_details && Object.keys(r.error_details).length) parts.push(objectTable(r.error_details, 'error-table'));
    parts.push(el('h4', {}, 'Tables synced'), r.status === 'completed' ? objectTable(r.tables_synced || [], 'tables-synced-table')
      : el('p', {}, 'None: the run rolled back, the target is unchanged.'));
    parts.push(el('h4', {}, 'Verification'), verificationView(r.verification_results, 'verification-table'));
    parts.push(el('h4', {}, 'Metrics'), metricsView(r.metadata && r.metadata.metrics, 'metrics-table'));
    parts.push(rawJson('Raw record (JSON)', r));
    const undoBox = el('div', { id: 'undo-box' });
    parts.push(undoBox, el('p', { id: 'undo-result', 'aria-live': 'polite' }));
    $('details-title').textContent = 'Details of ' + r.sync_id;
    clear($('details-body'), parts);
    $('details').hidden = false;
    $('details').focus();
    if (r.status === 'completed' && r.backup_file_path) offerUndo(r, undoBox);
  }

  function closeDetails() {
    if ($('details').hidden) return;
    $('details').hidden = true;
    const back = state.detailsOpener;
    state.detailsOpener = null;
    if (back && document.body.contains(back)) back.focus();
  }

  // Undo is offered only when the run's archive exists and reads back.
  async function offerUndo(r, box) {
    const { status, data } = await api(API + '/' + encodeURIComponent(r.sync_id) + '/backup');
    if (status !== 200 || !data.valid) {
      clear(box, el('p', { class: 'muted' }, 'Undo is not available: ' + (data.problem || data.error) + '.'));
      return;
    }
    const confirmBox = el('div', { hidden: true },
      el('p', { class: 'warn' }, 'Undo restores the ' + dbName(r.target_db) + ' database from ' + r.backup_file_path
        + ', replacing what is there now (which is backed up first).'),
      el('div', { class: 'buttons' }, el('button', { type: 'button', class: 'danger', onclick: () => undo(r, false) }, 'Yes, undo this sync'),
        el('button', { type: 'button', onclick: () => { confirmBox.hidden = true; } }, 'Keep it')));
    clear(box, el('div', { class: 'buttons' }, el('button', { type: 'button', onclick: () => { confirmBox.hidden = false; } }, 'Undo…')),
      confirmBox);
  }

  async function undo(r, force) {
    const { status, data } = await api(API + '/' + encodeURIComponent(r.sync_id) + '/undo',
      { method: 'POST', body: { triggered_by: 'Web UI', force } });
    if (status === 202) {
      closeDetails();
      location.hash = '#/sync';
      watch(data.sync_id);
      return;
    }
    const parts = [el('span', { class: 'error' }, data.error)];
    if (data.force_possible) {
      parts.push(el('div', { class: 'buttons' }, el('button', { type: 'button', class: 'danger', id: 'undo-force',
        onclick: () => undo(r, true) }, 'Undo anyway (the current content is backed up first)')));
    }
    clear($('undo-result'), parts);
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
        showRunning();
      } else {
        $('gate-error').textContent = 'That token was not accepted.';
      }
    });
    $('sync-form').addEventListener('submit', preflight);
    $('confirm-box').addEventListener('change', () => { $('start-button').disabled = !$('confirm-box').checked; });
    $('start-button').addEventListener('click', start);
    $('keep-local').addEventListener('click', () => resolve('local'));
    $('keep-remote').addEventListener('click', () => resolve('remote'));
    $('cancel-button').addEventListener('click', cancel);
    $('stats-days').addEventListener('change', loadStats);
    $('filters').addEventListener('submit', (e) => { e.preventDefault(); state.history.offset = 0; loadHistory(); });
    $('filter-status').addEventListener('change', () => { state.history.offset = 0; loadHistory(); });
    $('filter-direction').addEventListener('change', () => { state.history.offset = 0; loadHistory(); });
    $('page-prev').addEventListener('click', () => { state.history.offset = Math.max(0, state.history.offset - state.history.limit); loadHistory(); });
    $('page-next').addEventListener('click', () => { state.history.offset += state.history.limit; loadHistory(); });
    $('details-close').addEventListener('click', closeDetails);
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape') closeDetails(); });
    window.addEventListener('hashchange', route);
    health();
    setInterval(health, 30000);
    route();
    if (state.token) showRunning();
  });
})();
