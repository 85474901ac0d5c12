// 信用办工作台: the month's reporting per unit (an SVG chart drawn with DOM
// calls), the units that reported nothing, rejection rates and the quality
// ranking — all from GET /api/v1/quality?by=unit (xy_view_quality_units:
// the library sums, rates and ranks, not this page) — and the newest audit
// events (GET /api/v1/audit?order=desc&limit=10) with the chain check (/audit/verify).
import { arg, el, fieldError, fill, pageError, table } from './common.js';
import { officePage, pct } from './office-common.js';
import { get } from './session.js';

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}, text) => {
	const e = document.createElementNS(SVG, tag);
	for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
	if (text !== undefined) e.textContent = text;
	return e;
};

/** Horizontal bars: one per unit with records, most first (at most 20). */
function chart(units, month) {
	const rows = units.filter((u) => u.records > 0).sort((a, b) => b.records - a.records).slice(0, 20);
	if (!rows.length) return el('p', { class: 'status' }, `${month} 没有单位报送数据。`);
	const max = Math.max(...rows.map((u) => u.records));
	const bar = 26;
	const label = 120;
	const width = 440;
	const s = svg('svg', { viewBox: `0 0 ${width} ${rows.length * bar + 10}`, role: 'img',
		'aria-labelledby': 'chart-title', class: 'bars', id: 'chart-svg' });
	s.append(svg('title', { id: 'chart-title' },
		`${month} 各单位报送记录数：${rows.map((u) => `${u.unit} ${u.records} 条`).join('，')}`));
	rows.forEach((u, i) => {
		const y = i * bar + 5;
		const w = Math.max(2, Math.round((u.records / max) * (width - label - 60)));
		const name = [...u.unit].length > 9 ? `${[...u.unit].slice(0, 8).join('')}…` : u.unit;
		s.append(svg('text', { x: label - 6, y: y + 17, 'text-anchor': 'end', class: 'bar-label' }, name),
			svg('rect', { x: label, y: y + 3, width: w, height: bar - 8, class: 'bar', 'data-unit': u.unit }),
			svg('text', { x: label + w + 6, y: y + 17, class: 'bar-value' }, String(u.records)));
	});
	return s;
}

async function auditTail() {
	const [v, page] = await Promise.all([get('audit/verify'), get('audit', { order: 'desc', limit: 10 })]);
	document.getElementById('audit-chain').textContent = v.ok
		? `审计日志共 ${v.entries} 条，哈希链校验通过。`
		: `审计日志哈希链校验未通过（第 ${v.first_bad} 条）：${v.error || ''}`;
	const rows = page.entries;
	fill('audit', rows.length ? table('', [
		{ label: '序号', cell: (e) => String(e.seq) },
		{ label: '时间', cell: (e) => e.at.replace('T', ' ').replace('Z', ' UTC') },
		{ label: '操作者', cell: (e) => e.who },
		{ label: '操作', cell: (e) => e.action },
		{ label: '对象', cell: (e) => e.object || '' },
	], rows) : el('p', { class: 'status' }, '暂无审计事件。'));
}

async function show(month) {
	pageError('dash-error', '');
	const status = document.getElementById('dash-status');
	status.textContent = '正在加载…';
	let v;
	if (!month) { // the server's month: the default range ends on it
		const ytd = await get('quality', { by: 'unit' });
		month = ytd.to;
	}
	document.getElementById('month').value = month;
	v = await get('quality', { by: 'unit', from: month, to: month });
	const reported = v.units.filter((u) => u.records > 0);
	const records = reported.reduce((n, u) => n + u.records, 0);
	const rejected = v.units.reduce((n, u) => n + u.rejected_rows, 0);
	fill('dash-counts', [['已报送单位', reported.length, 'reported'], ['未报送单位', v.silent.length, 'silent'],
		['入库记录', records, 'records'], ['退回行数', rejected, 'rejected']].map(([t, n, id]) =>
		el('li', {}, el('div', { class: 'count', id: `count-${id}` }, el('strong', {}, String(n)), t))));
	fill('chart', chart(v.units, month));
	fill('silent', v.silent.length
		? el('ul', { class: 'names', id: 'silent-list' }, v.silent.map((u) => el('li', {}, u)))
		: el('p', { class: 'status' }, '本月所有单位均已报送。'));
	const ranked = v.units.filter((u) => u.rank !== null).sort((a, b) => a.rank - b.rank);
	fill('rank', ranked.length ? table(`${month} 数据质量排名`, [
		{ label: '排名', cell: (u) => String(u.rank) },
		{ label: '单位', cell: (u) => u.unit },
		{ label: '记录数', cell: (u) => String(u.records) },
		{ label: '退回行数', cell: (u) => String(u.rejected_rows) },
		{ label: '退回率', cell: (u) => pct(u.rejection_rate) },
		{ label: '退回文件', cell: (u) => String(u.refused_files) },
		{ label: '7个工作日内公示', cell: (u) => pct(u.share_within_7) },
	], ranked) : el('p', { class: 'status' }, '本月没有可排名的单位。'));
	status.textContent = `${month} 的报送情况（${v.units.length} 个信源单位）`;
}

const s = await officePage();
if (s) {
	const form = document.getElementById('month-form');
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		const m = document.getElementById('month').value;
		if (!/^\d{4}-\d{2}$/.test(m)) return fieldError('month', '请选择报送月份');
		fieldError('month', '');
		history.replaceState(null, '', `?month=${m}`);
		show(m).catch((e) => pageError('dash-error', e.message));
	});
	const m = arg('month');
	await Promise.all([show(/^\d{4}-\d{2}$/.test(m) ? m : '').catch((e) => pageError('dash-error', e.message)),
		auditTail().catch((e) => pageError('dash-error', e.message))]);
}
