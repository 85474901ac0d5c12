// 报送记录 (batches.html): the unit's batches, newest first, 20 a page;
// ?id= one batch with its rejected rows and the error report.
import { ApiError, arg, el, fill, pageError, pager, table } from './common.js';
import { get } from './session.js';
import { batchHref, batchStatus, monthOf, showBatch, unitPage } from './unitkit.js';

const PAGE = 20;
const s = await unitPage();
if (s) {
	if (arg('id')) await one(arg('id'));
	else await list();
}

async function one(id) {
	document.getElementById('list-panel').hidden = true;
	document.getElementById('batch-panel').hidden = false;
	try {
		const b = await get(`batches/${encodeURIComponent(id)}`);
		fill('h-batch', `批次 ${b.batch}：${b.category}`);
		document.title = `批次 ${b.batch} - 报送记录`;
		await showBatch(document.getElementById('batch'), b);
	} catch (e) {
		fill('h-batch', e instanceof ApiError && e.status === 404 ? '批次不存在' : '无法加载批次');
		pageError('page-error', e instanceof ApiError && e.status === 404
			? `批次 ${id} 不存在，或不属于本单位。` : e.message);
	}
}

// 20 a page by the API's keyset cursor (common.js pager: 上一页 goes back by
// the cursors seen).
async function list() {
	const p = pager('list-pager', async (after) => {
		let v;
		try {
			v = await get('batches', { limit: PAGE, after });
		} catch (e) {
			fill('list-status', '');
			pageError('page-error', e.message);
			return null;
		}
		fill('list-status', v.batches.length || after ? '' : '本单位还没有上传过数据。');
		fill('list', v.batches.length ? table('', [
			{ label: '批次', cell: (b) => el('a', { href: batchHref(b.batch) }, String(b.batch)) },
			{ label: '信息类别', cell: (b) => b.category },
			{ label: '报送月份', cell: (b) => monthOf(b.reported_on) },
			{ label: '文件', cell: (b) => b.file },
			{ label: '状态', cell: (b) => batchStatus(b.status) },
			{ label: '数据行', cell: (b) => String(b.rows) },
			{ label: '拒收', cell: (b) => String(b.rejected) },
			{ label: '上传时间', cell: (b) => String(b.started_at || '').replace('T', ' ').replace('Z', ' UTC') },
		], v.batches) : null);
		return v.next;
	});
	await p.reset();
}
