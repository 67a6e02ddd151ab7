// The dashboard page: the trials come from the server's event stream (a
// snapshot, then one event per finished trial); the charts are the
// server's Vega-Lite specs, fetched again (at most one fetch in flight)
// whenever trials arrived, and drawn with vega-embed.
/* global document, EventSource, vegaEmbed, requestAnimationFrame */
'use strict';

const MAX_ROWS = 1000;

let trials = [];
let info = { params: [], sampler: '', title: 'hyperopt-rx', direction: 'minimize' };
let sort = { key: 'i', desc: false };
const views = {};
let charting = false;
let chartsDirty = false;
let tableQueued = false;

const $ = (id) => document.getElementById(id);

function format(v) {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(4) : v.toPrecision(5);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function bestTrial() {
  const maximize = info.direction === 'maximize';
  let best;
  for (const t of trials) {
    if (t.status === 'failed' || t.value === null) continue;
    if (best === undefined || (maximize ? t.value > best.value : t.value < best.value)) best = t;
  }
  return best;
}

function updateStats() {
  $('count').textContent = String(trials.length);
  const best = bestTrial();
  $('best').textContent = best ? format(best.value) : '–';
  $('bestParams').textContent = best ? `trial ${best.i}: ` + info.params.map((k) => `${k} = ${format(best.params[k])}`).join(', ') : '';
  document.body.dataset.count = String(trials.length);
}

function columns() {
  return [['id', 'id'], ['i', 'trial'], ['status', 'status'], ['value', 'value'], ...info.params.map((k) => [`p:${k}`, k]), ['resources', 'resources'], ['durationMs', 'ms']];
}

function cell(t, key) {
  return key.startsWith('p:') ? t.params[key.slice(2)] : t[key];
}

function compare(a, b) {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

function renderTable() {
  tableQueued = false;
  const cols = columns()
    .filter(([key]) => key !== 'id' || trials.some((t) => t.id !== undefined))
    .filter(([key]) => key !== 'resources' || trials.some((t) => t.resources !== undefined));
  const head = document.createElement('tr');
  for (const [key, label] of cols) {
    const th = document.createElement('th');
    th.textContent = label;
    th.dataset.key = key;
    if (sort.key === key) th.className = sort.desc ? 'sorted desc' : 'sorted';
    th.addEventListener('click', () => {
      sort = { key, desc: sort.key === key ? !sort.desc : false };
      renderTable();
    });
    head.appendChild(th);
  }
  const thead = $('trials').tHead;
  thead.replaceChildren(head);
  const best = bestTrial();
  const sorted = trials.slice().sort((a, b) => (sort.desc ? -1 : 1) * compare(cell(a, sort.key), cell(b, sort.key)));
  const rows = sorted.slice(0, MAX_ROWS).map((t) => {
    const tr = document.createElement('tr');
    if (t.status === 'failed') tr.className = 'failed';
    if (t === best) tr.className = 'best';
    for (const [key] of cols) {
      const td = document.createElement('td');
      td.textContent = key === 'status' && t.error ? `${t.status}: ${t.error}` : format(cell(t, key));
      tr.appendChild(td);
    }
    return tr;
  });
  $('trials').tBodies[0].replaceChildren(...rows);
  $('tableNote').textContent = trials.length > MAX_ROWS ? `the first ${MAX_ROWS} of ${trials.length} trials in this order` : '';
}

async function embed(id, spec) {
  if (views[id]) views[id].finalize();
  const result = await vegaEmbed(`#${id}`, spec, { actions: false, renderer: 'svg' });
  views[id] = result.view;
}

/** Draws the charts; trials that arrive meanwhile mark them dirty and are drawn next, so a burst costs one fetch. */
async function renderCharts() {
  if (charting) {
    chartsDirty = true;
    return;
  }
  charting = true;
  try {
    do {
      chartsDirty = false;
      const response = await fetch('api/plots');
      if (!response.ok) throw new Error(`api/plots: ${response.status}`);
      const specs = await response.json();
      await embed('convergence', specs.convergence);
      await embed('scatter', specs.scatter);
      await embed('parallel', specs.parallel);
      // What tests and people can rely on: the charts now show this many trials.
      document.body.dataset.charted = String(specs.count);
    } while (chartsDirty);
  } catch (error) {
    document.body.dataset.error = String(error);
  } finally {
    charting = false;
  }
}

function changed() {
  updateStats();
  if (!tableQueued) {
    tableQueued = true;
    requestAnimationFrame(renderTable);
  }
  void renderCharts();
}

const events = new EventSource('api/events');
events.addEventListener('open', () => {
  $('live').textContent = 'live';
  $('live').className = '';
});
events.addEventListener('error', () => {
  $('live').textContent = 'reconnecting';
  $('live').className = 'off';
});
events.addEventListener('snapshot', (event) => {
  const snapshot = JSON.parse(event.data);
  info = { ...info, ...snapshot };
  trials = snapshot.trials;
  $('title').textContent = info.title;
  $('sampler').textContent = info.sampler;
  document.title = `${info.title} – hyperopt-rx`;
  changed();
});
events.addEventListener('trial', (event) => {
  trials.push(JSON.parse(event.data));
  changed();
});
