// What the unit operator's pages share: the gate and navigation, the
// categories, a batch's summary and its rejected rows.
import { el, fill, table } from './common.js';
import { get, requireRole, staffNav } from './session.js';

const NAV = [['unit.html', '工作台'], ['upload.html', '上传数据'], ['batches.html', '报送记录'],
	['check.html', '联合奖惩核查']];

/** The gate of a unit page: the session (unit operators only) with its nav; null otherwise. */
export async function unitPage() {
	const s = await requireRole('unit');
	if (s) staffNav(NAV);
	return s;
}

/** YYYY-MM of a date. */
export const monthOf = (d) => String(d || '').slice(0, 7);

/** The reporting categories [{name, code, …}] (GET /api/v1/categories). */
export async function categories() {
	const v = await get('categories');
	return v.categories || v;
}

const STATUS = { committed: '已入库', refused: '整批拒收', failed: '失败', running: '处理中' };
export const batchStatus = (st) => STATUS[st] || st;
export const batchHref = (id) => `batches.html?id=${encodeURIComponent(id)}`;

/** A batch's summary as a definition list (xy_batch_summary). */
export function batchSummary(b) {
	const dl = el('dl', { class: 'facts', id: 'batch-summary' });
	const add = (k, v) => { if (v !== null && v !== undefined && v !== '') dl.append(el('dt', {}, k), el('dd', {}, String(v))); };
	add('批次号', b.batch);
	add('状态', batchStatus(b.status));
	add('信息类别', b.category);
	add('文件', `${b.file}（${String(b.format || '').toUpperCase()}${b.encoding ? `，${b.encoding}` : ''}）`);
	add('报送月份', monthOf(b.reported_on));
	add('数据行', b.rows);
	add('新增', b.new);
	add('更新', b.updated);
	add('未变', b.unchanged);
	add('拒收行', b.rejected);
	add('表头所在行', b.header_row);
	add('说明', b.message);
	return dl;
}

/** The unmapped columns with their suggested field (or null when none). */
export function unmappedTable(b) {
	const u = b.unmapped_columns || [];
	if (!u.length) return null;
	return table('未识别的列（其数据未入库，请按建议改列名或联系信用办配置映射）', [
		{ label: '工作表', cell: (r) => r.sheet || '' },
		{ label: '列', cell: (r) => r.column ?? '' },
		{ label: '列名', cell: (r) => r.header },
		{ label: '非空单元格', cell: (r) => String(r.cells ?? '') },
		{ label: '建议字段', cell: (r) => (r.suggestion ? `${r.suggestion.name}（${r.suggestion.code}）` : '无相近字段') },
	], u);
}

/** The rejected rows: row, column, value, reason. */
export function errorsTable(errors, caption = '拒收的数据行') {
	return table(caption, [
		{ label: '行号', cell: (r) => String(r.row) },
		{ label: '列', cell: (r) => r.column || '（整行）' },
		{ label: '值', cell: (r) => (r.value === null || r.value === undefined || r.value === '' ? '（空）' : String(r.value)) },
		{ label: '原因', cell: (r) => r.reason_zh || r.reason_en },
	], errors);
}

/** The error report's download link (in the uploaded format). */
export function errorReportLink(b) {
	if (!b.error_report || !b.rejected) return null;
	return el('a', { class: 'button secondary', id: 'error-report', href: b.error_report, download: '' },
		`下载错误报告（${String(b.format || '').toUpperCase()}）`);
}

/**
 * A batch in box: its summary, the unmapped columns, the rejected rows a
 * page (100) at a time with 更多 and the error report's download.
 */
export async function showBatch(box, b) {
	const rows = el('div', { id: 'batch-errors' });
	const more = el('button', { type: 'button', class: 'secondary', id: 'errors-more' }, '显示更多拒收行');
	const actions = el('p', { class: 'actions' }, errorReportLink(b));
	fill(box, batchSummary(b), unmappedTable(b), b.rejected ? rows : el('p', { class: 'status', id: 'no-errors' }, '全部数据行已入库，没有拒收的行。'), actions);
	if (!b.rejected) return;
	let shown = [];
	let next = '';
	async function page() {
		const v = await get(`batches/${encodeURIComponent(b.batch)}`, { limit: 100, after: next });
		shown = shown.concat(v.errors || []);
		next = v.next;
		fill(rows, errorsTable(shown, `拒收的数据行（${b.rejected} 行${b.errors_stored < b.rejected ? `，保存了前 ${b.errors_stored} 行` : ''}）`));
		if (next) actions.append(more);
		else more.remove();
	}
	more.addEventListener('click', page);
	await page();
}
