// 统计与通报: the statistics tables (GET /api/v1/stats, both layouts, any
// month range) with their downloads, the reconciliation of a hand-made table
// (POST /api/v1/reconcile: the wrong cells highlighted in the uploaded table
// when it is TSV/CSV), the bulletin (POST /api/v1/bulletins and its file),
// the city index entry (POST /api/v1/index) and its chart.
import { api, el, fill, table } from './common.js';
import { doneAfter, officePage, onSubmit, required } from './office-common.js';
import { get, send } from './session.js';

const MONTH = /^\d{4}-\d{2}$/;

/** Months from/to checked: {id: message} for the wrong ones. */
function months(v, fromId, toId, need) {
	const bad = {};
	if (need && !v.from) bad[fromId] = '请选择起始月份';
	if (need && !v.to) bad[toId] = '请选择截止月份';
	if (!need && (!v.from) !== (!v.to)) bad[v.from ? toId : fromId] = '起止月份须同时填写';
	if (v.from && v.to && v.from > v.to) bad[toId] = '截止月份不能早于起始月份';
	return bad;
}

// ---- statistics tables ----
const FORMATS = [['xlsx', '下载 XLSX'], ['csv', '下载 CSV'], ['pdf', '下载 PDF'], ['html', 'HTML 表格'], ['md', 'Markdown']];

function statsTable(v) {
	const cols = v.columns.map((c) => ({ label: c, cell: (r) => (r[c] === 0 ? '' : String(r[c] ?? '')) }));
	return table(`${v.title}${v.note ? `（${v.note}）` : ''}`, cols, v.rows);
}

onSubmit(document.getElementById('stats-form'), 'stats-error',
	{ from: 's-from', to: 's-to' }, async (v) => {
		const q = { from: v.from, to: v.to, by: v.by };
		const t = await get('stats', q);
		const link = (p, text) => el('a', { class: 'button', href: `/api/v1/stats?${new URLSearchParams(p)}`,
			download: '', id: `dl-${p.by}-${p.format}` }, text);
		fill('stats-downloads', FORMATS.map(([f, text]) => link({ ...q, format: f }, text)),
			link({ from: v.from, to: v.to, by: 'all', format: 'xlsx' }, '两表合一 XLSX'));
		fill('stats-table', statsTable(t));
	}, (v) => months(v, 's-from', 's-to', true));

// ---- reconciliation ----
/** The rows of a TSV or CSV text (CSV: RFC 4180 quotes), a BOM dropped. */
function parseTable(text, tsv) {
	const s = text.replace(/^\uFEFF/, '');
	if (tsv) return s.split(/\r?\n/).filter((l) => l !== '').map((l) => l.split('\t'));
	const rows = [];
	let row = [];
	let cell = '';
	let q = false;
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (q) {
			if (c === '"' && s[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false;
			else cell += c;
		} else if (c === '"') q = true;
		else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n' || c === '\r') {
			if (c === '\r' && s[i + 1] === '\n') i++;
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
		} else cell += c;
	}
	if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
	return rows;
}

/** The uploaded table with the diffs' cells marked (line = the file's row, 1-based). */
function markedTable(rows, diffs) {
	const header = rows[0] || [];
	const bad = new Map(diffs.filter((d) => d.line).map((d) => [`${d.line}\t${d.column}`, d]));
	const body = rows.slice(1).map((r, i) => el('tr', {}, header.map((h, k) => {
		const d = bad.get(`${i + 2}\t${h}`);
		return el('td', { 'data-label': h, class: d ? 'bad' : null,
			title: d ? `表中 ${d.printed}，应为 ${d.computed}` : null },
		r[k] ?? '', d ? el('span', { class: 'fix' }, `（应为 ${d.computed}）`) : null);
	})));
	return el('div', { class: 'table-box' }, el('table', { class: 'cards', id: 'rec-marked' },
		el('caption', {}, '上传的统计表（有误的单元格已标红）'),
		el('thead', {}, el('tr', {}, header.map((h) => el('th', { scope: 'col' }, h)))),
		el('tbody', {}, body)));
}

const KIND = { total_row: '合计行', total_column: '总计列', data: '与入库数据不符' };
onSubmit(document.getElementById('rec-form'), 'rec-error',
	{ file: 'r-file', from: 'r-from', to: 'r-to' }, async (v) => {
		const file = v.file;
		const fd = new FormData();
		fd.append('file', file, file.name);
		const q = new URLSearchParams();
		if (v.from) q.set('from', v.from);
		if (v.to) q.set('to', v.to);
		const diffs = await send('POST', `/api/v1/reconcile${q.size ? `?${q}` : ''}`, fd);
		document.getElementById('rec-status').textContent = diffs.length
			? `发现 ${diffs.length} 处不一致。` : '核对无误：合计、总计与数据一致。';
		const ext = file.name.toLowerCase().split('.').pop();
		fill('rec-table', ext === 'xlsx' ? null
			: markedTable(parseTable(await file.text(), ext !== 'csv'), diffs));
		fill('rec-diffs', diffs.length ? table('不一致的单元格', [
			{ label: '行', cell: (d) => d.row },
			{ label: '列', cell: (d) => d.column },
			{ label: '文件行号', cell: (d) => (d.line === null ? '（表中缺少该单位）' : String(d.line)) },
			{ label: '表中数值', cell: (d) => String(d.printed ?? '') },
			{ label: '应为', cell: (d) => String(d.computed ?? '') },
			{ label: '类型', cell: (d) => KIND[d.kind] || d.kind },
		], diffs) : null);
	}, (v) => {
		const bad = months(v, 'r-from', 'r-to', false);
		if (!v.file || !v.file.name) bad['r-file'] = '请选择要核对的统计表文件';
		return bad;
	});

// ---- bulletin ----
const SECTIONS = ['重要文件', '工作推进', '联合奖惩', '县区风采', '工作简讯', '情况通报'];
let nart = 0;
function addArticle() {
	const i = ++nart;
	const box = el('fieldset', { class: 'article' }, el('legend', {}, `文章 ${i}`),
		el('label', { for: `a-section-${i}` }, '栏目'),
		el('select', { id: `a-section-${i}`, name: `section-${i}` },
			SECTIONS.map((s) => el('option', { value: s }, s))),
		el('label', { for: `a-text-${i}` }, '正文（Markdown，首行为标题）'),
		el('textarea', { id: `a-text-${i}`, name: `text-${i}`, rows: 5 }));
	document.getElementById('articles').append(box);
}
addArticle();
document.getElementById('b-add').addEventListener('click', addArticle);

onSubmit(document.getElementById('bul-form'), 'bul-error',
	{ issue: 'b-issue', date: 'b-date', from: 'b-from', to: 'b-to' }, async (v) => {
		const articles = [];
		for (let i = 1; i <= nart; i++)
			if (String(v[`text-${i}`] || '').trim())
				articles.push({ section: v[`section-${i}`], text: v[`text-${i}`] });
		const body = { issue: Number(v.issue), date: v.date, format: v.format, articles };
		if (v.from) body.from = v.from;
		if (v.to) body.to = v.to;
		fill('bul-result', el('p', { class: 'status' }, '正在生成简报（PDF 需要数秒）…'));
		const b = await send('POST', '/api/v1/bulletins', body);
		fill('bul-result', el('p', { role: 'status' }, `第 ${b.issue} 期简报已生成（${b.articles} 篇文章）：`,
			el('a', { href: b.url, id: 'bul-download', download: '' }, `下载 ${b.file.split('/').pop()}`)));
	}, (v) => {
		const bad = required(v, { issue: ['b-issue', '期号'], date: ['b-date', '印发日期'] });
		if (v.issue && !/^[1-9]\d*$/.test(v.issue)) bad['b-issue'] = '期号须为正整数';
		return Object.assign(bad, months(v, 'b-from', 'b-to', false));
	});

// ---- city index ----
async function showIndex() {
	const v = await api('index');
	fill('idx-chart-box', v.months.length
		? el('img', { id: 'idx-chart', alt: `城市信用监测指数走势图（${v.months[0].month} 至 ${v.months[v.months.length - 1].month}）`,
			src: `/api/v1/index/chart?format=svg&to=${v.months[v.months.length - 1].month}` })
		: el('p', { class: 'status' }, '尚无指数数据。'));
	fill('idx-table', v.months.length ? table('各月指数', [
		{ label: '月份', cell: (m) => m.month },
		{ label: '综合指数', cell: (m) => String(m.score) },
		{ label: '全国排名', cell: (m) => String(m.rank) },
		{ label: '排名变化', cell: (m) => (m.rank_change === null ? '—' : String(m.rank_change)) },
	], v.months.slice().reverse()) : null);
}

onSubmit(document.getElementById('idx-form'), 'idx-error',
	{ month: 'i-month', score: 'i-score', rank: 'i-rank' }, async (v) => {
		const r = await send('POST', '/api/v1/index', { month: v.month, score: Number(v.score), rank: Number(v.rank) });
		await doneAfter('idx-result', `已保存 ${r.month}：综合指数 ${r.score}，全国排名 ${r.rank}。`, showIndex);
	}, (v) => {
		const bad = required(v, { month: ['i-month', '月份'], score: ['i-score', '综合指数'], rank: ['i-rank', '全国排名'] });
		if (v.month && !MONTH.test(v.month)) bad['i-month'] = '月份格式应为 YYYY-MM';
		const s = Number(v.score);
		if (v.score && !(s >= 0 && s <= 100)) bad['i-score'] = '综合指数须在 0 到 100 之间';
		if (v.rank && !/^[1-9]\d*$/.test(v.rank)) bad['i-rank'] = '全国排名须为正整数';
		return bad;
	});

const s = await officePage();
if (s) {
	if (s.role !== 'admin') // the auditor reads: generation and entry are the admin's
		for (const id of ['bul-form', 'idx-form'])
			document.getElementById(id).querySelectorAll('input, select, textarea, button')
				.forEach((e) => { e.disabled = true; });
	showIndex().catch((e) => fill('idx-table', el('p', { class: 'error' }, e.message)));
}
