// 申请进度查询 (application.html?receipt=&secret=): GET
// /api/v1/applications/{receipt}?secret= — the step, dates, deadline and
// outcome as the API gives them (steps and dates only: never who acted).  An
// unknown receipt and a wrong secret are the same 404.
import { ApiError, api, arg, el, fill, seg, table } from './common.js';
import { onSubmit } from './office-common.js';

const KINDS = { repair: '信用修复', objection: '异议' };
const FIELDS = { receipt: 'f-receipt', secret: 'f-secret' };
const form = document.getElementById('query-form');

function check(v) {
	const bad = {};
	const r = String(v.receipt || '').trim();
	const s = String(v.secret || '').trim();
	if (!r) bad['f-receipt'] = '请填写受理编号';
	else if (!/^(XF|YY)[0-9]{14}$/i.test(r)) bad['f-receipt'] = '受理编号为 XF 或 YY 加 14 位数字';
	if (!s) bad['f-secret'] = '请填写查询密码';
	else if (!/^[A-Z0-9]{24}$/i.test(s.replace(/[\s-]/g, ''))) bad['f-secret'] = '查询密码为 24 位字母和数字';
	return bad;
}

function show(a) {
	const state = a.open ? (a.overdue ? '办理中（已超过办理期限）' : '办理中') : '已办结';
	fill('status',
		el('p', { role: 'status', id: 'status-line' },
			el('span', { class: `tag ${a.open ? (a.overdue ? 'warn' : '') : 'ok'}` }, state), ' ',
			el('strong', { id: 'status-zh' }, a.status_zh)),
		el('dl', { class: 'facts', id: 'status-facts' },
			el('dt', {}, '受理编号'), el('dd', {}, a.receipt),
			el('dt', {}, '申请类型'), el('dd', {}, KINDS[a.kind] || a.kind),
			el('dt', {}, '提交日期'), el('dd', {}, a.filed_on),
			el('dt', {}, '当前环节'), el('dd', {}, a.step),
			el('dt', {}, a.open ? '办理期限' : '原办理期限'),
			el('dd', {}, a.due ? `${a.due}${a.overdue ? '（已超期）' : ''}` : '—'),
			el('dt', {}, '所涉信息'),
			el('dd', {}, a.record ? `${a.record.category} ${a.record.key}（编号 ${a.record.id}）` : '—'),
			el('dt', {}, '办理单位'), el('dd', {}, '该信息的认定（报送）单位，经信用办转办'),
			el('dt', {}, '附件'), el('dd', {}, `${a.attachments || 0} 个`)),
		table('办理记录', [
			{ label: '日期', cell: (h) => h.on },
			{ label: '办理事项', cell: (h) => h.action },
		], a.history || []));
}

async function query(v) {
	const receipt = String(v.receipt).trim().toUpperCase();
	const secret = String(v.secret).trim().replace(/[\s-]/g, '').toUpperCase();
	document.getElementById('status-panel').hidden = true;
	let a;
	try {
		a = await api(`applications/${seg(receipt)}`, { secret });
	} catch (e) {
		if (e instanceof ApiError && e.status === 404)
			throw new ApiError(404, { message: '未找到：没有这个受理编号，或查询密码不正确。请核对受理回执上的编号和密码。' });
		if (e instanceof ApiError && e.status === 403)
			throw new ApiError(403, { message: '无权查询该申请，请核对受理编号和查询密码。' });
		throw e;
	}
	document.getElementById('status-panel').hidden = false;
	show(a);
	document.getElementById('h-status').focus();
}

onSubmit(form, 'query-error', FIELDS, query, check);
document.getElementById('f-receipt').value = arg('receipt');
document.getElementById('f-secret').value = arg('secret');
if (arg('secret')) {
	// the secret leaves the address bar (and this history entry) once read
	history.replaceState(null, '', `application.html?receipt=${encodeURIComponent(arg('receipt'))}`);
	form.requestSubmit();
}
