// 信用修复申请 / 异议申请 (apply.html?code=&kind=repair|objection&record=):
// POST /api/v1/applications (multipart, as the public: common.js apiPost)
// with its attachments; the receipt (受理编号 and 查询密码, shown once) and a
// link to the status page.  The subject's records (GET /api/v1/subjects/{code})
// fill the record's choice; without them the record is typed by its number.
import { ApiError, SITE_NAME, api, apiPost, arg, el, fieldError, fill, mayApply, seg } from './common.js';
import { onSubmit, required } from './office-common.js';

const KINDS = { repair: '信用修复申请', objection: '异议申请' };
// the API's limits (docs/repair.md, "Online applications")
const MAX_FILES = 5;
const MAX_FILE = 10 * 1024 * 1024;
const MAX_ALL = 20 * 1024 * 1024;
const MAX_TEXT = 5000;
const MAX_ITEMS = 20;
const MAX_ITEM = 500;
// the API's error.field → the input it concerns
const FIELDS = { kind: 'f-kind-repair', subject: 'f-subject', record: 'f-record',
	applicant: 'f-applicant', contact: 'f-contact', reason: 'f-reason',
	commitment: 'f-commitment', evidence: 'f-evidence', files: 'f-files' };

const form = document.getElementById('apply-form');
const filesInput = document.getElementById('f-files');
let fileProblem = ''; // the chosen files' fault, found when they are chosen
let records = null; // the subject's records, when its page could be read
let chosen = arg('record'); // the record last chosen, kept when the list is redrawn

const kind = () => form.querySelector('input[name="kind"]:checked')?.value || '';
const chars = (s) => [...s].length;
const mib = (n) => `${(n / 1048576).toFixed(n < 1048576 ? 2 : 1)} MB`;

/** The kind's title, the commitment (a repair's only) and the records to choose from. */
function showKind() {
	const k = kind();
	const title = KINDS[k] || '信用修复与异议申请';
	document.getElementById('h-page').textContent = title;
	document.title = `${title} - ${SITE_NAME}`;
	document.getElementById('f-reason-label').textContent = k === 'objection' ? '异议理由' : '申请理由';
	const box = document.getElementById('commitment-box');
	box.hidden = k !== 'repair';
	document.getElementById('f-commitment').disabled = k !== 'repair';
	drawRecord();
}

function recordLabel(r) {
	const from = r.publication && r.publication.repairable_from;
	return `${r.category} ${r.key}（编号 ${r.id}${kind() === 'repair' && from ? `，最短公示期至 ${from}` : ''}）`;
}

/** The record's field: a choice of the subject's records, or its number typed. */
function drawRecord() {
	const want = chosen;
	const described = { 'aria-describedby': 'f-record-hint f-record-error' };
	let input;
	let hint;
	const list = records && records.filter((r) => mayApply(r, kind()));
	if (list && list.length) {
		input = el('select', { id: 'f-record', name: 'record', ...described },
			el('option', { value: '' }, '请选择'),
			list.map((r) => el('option', { value: r.id, selected: String(r.id) === want }, recordLabel(r))));
		hint = '该主体公示中的信息，选择申请所针对的一条';
	} else {
		input = el('input', { type: 'text', id: 'f-record', name: 'record', inputmode: 'numeric',
			autocomplete: 'off', value: want, ...described });
		hint = list ? `该主体没有可提出${KINDS[kind()] || '申请'}的公示中信息；如确有，请填写其编号`
			: '信用信息编号：在主体信用信息页面的记录旁点“提出异议”或“申请信用修复”可自动带入';
	}
	fill('record-box', el('label', { for: 'f-record' }, '所涉信用信息'), input,
		el('p', { class: 'hint', id: 'f-record-hint' }, hint),
		el('p', { class: 'field-error', id: 'f-record-error' }));
}

/** The subject's public records (null when its page cannot be read). */
async function loadRecords(code) {
	records = null;
	if (code && !code.includes('*')) {
		try {
			records = (await api(`subjects/${seg(code)}`)).records || [];
		} catch {
			records = null;
		}
	}
	drawRecord();
}

/** What a file is by its first bytes (the API decides the same way), or ''. */
async function typeOf(file) {
	const b = new Uint8Array(await file.slice(0, 8).arrayBuffer());
	const starts = (...xs) => xs.every((x, i) => b[i] === x);
	if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'PDF';
	if (starts(0xff, 0xd8, 0xff)) return 'JPEG';
	if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'PNG';
	return '';
}

/** The chosen files listed and checked against the limits before anything is sent. */
async function checkFiles() {
	const files = [...filesInput.files];
	const items = [];
	let total = 0;
	fileProblem = '';
	for (const f of files) {
		const t = await typeOf(f);
		total += f.size;
		items.push(el('li', {}, `${f.name}（${t || '类型不符'}，${mib(f.size)}）`));
		if (!fileProblem && !t) fileProblem = `附件“${f.name}”不是 PDF、JPEG 或 PNG 文件`;
		if (!fileProblem && f.size > MAX_FILE) fileProblem = `附件“${f.name}”超过 10 MB（${mib(f.size)}）`;
		if (!fileProblem && f.size === 0) fileProblem = `附件“${f.name}”是空文件`;
	}
	if (!fileProblem && files.length > MAX_FILES) fileProblem = `至多 ${MAX_FILES} 个附件，已选 ${files.length} 个`;
	if (!fileProblem && total > MAX_ALL) fileProblem = `附件合计超过 20 MB（${mib(total)}）`;
	fill('f-files-list', items);
	fieldError('f-files', fileProblem);
}

const evidenceItems = (v) => String(v.evidence || '').split(/\r?\n/).map((x) => x.trim()).filter(Boolean);

/** The form's faults before sending: {input id: message}. */
function check(v) {
	const bad = required(v, { subject: ['f-subject', '主体代码'], record: ['f-record', '所涉信用信息'],
		applicant: ['f-applicant', '申请人'], contact: ['f-contact', '联系方式'],
		reason: ['f-reason', kind() === 'objection' ? '异议理由' : '申请理由'] });
	if (!kind()) bad['f-kind-repair'] = '请选择申请类型';
	if (v.subject && !/^[0-9A-Z]{18}$|^[0-9]{17}[0-9X]$|^[0-9]{15}$/i.test(v.subject.trim()))
		bad['f-subject'] = v.subject.includes('*') ? '请填写完整的号码，不要使用隐去部分的号码'
			: '主体代码须为 18 位统一社会信用代码或身份证号';
	if (v.record && !/^[1-9][0-9]{0,17}$/.test(v.record.trim())) bad['f-record'] = '信用信息编号须为正整数';
	if (v.applicant && chars(v.applicant.trim()) > 100) bad['f-applicant'] = '申请人至多 100 字';
	const c = String(v.contact || '').trim();
	if (c && !(/^\+?[0-9][0-9 -]{5,}$/.test(c) && (c.match(/[0-9]/g) || []).length >= 7
		&& (c.match(/[0-9]/g) || []).length <= 20) && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c))
		bad['f-contact'] = '联系方式须为手机、电话号码（7–20 位数字）或电子邮箱';
	if (chars(String(v.reason || '')) > MAX_TEXT) bad['f-reason'] = `理由至多 ${MAX_TEXT} 字`;
	const items = evidenceItems(v);
	if (items.length > MAX_ITEMS) bad['f-evidence'] = `证明材料至多 ${MAX_ITEMS} 项，现有 ${items.length} 项`;
	else if (items.some((x) => chars(x) > MAX_ITEM)) bad['f-evidence'] = `每项证明材料至多 ${MAX_ITEM} 字`;
	if (kind() === 'repair') {
		if (!String(v.commitment || '').trim()) bad['f-commitment'] = '请填写信用修复承诺';
		else if (chars(v.commitment) > MAX_TEXT) bad['f-commitment'] = `承诺至多 ${MAX_TEXT} 字`;
		if (!items.length && !filesInput.files.length && !bad['f-evidence'])
			bad['f-evidence'] = '信用修复须列出证明材料，或上传附件作为证明材料';
	}
	if (fileProblem) bad['f-files'] = fileProblem;
	// the page's order, so the first fault gets the focus (onSubmit focuses the last it marks)
	const order = [...form.querySelectorAll('input, select, textarea')].map((i) => i.id);
	return Object.fromEntries(Object.entries(bad).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)));
}

/** The multipart body: the text fields, each evidence item, each file. */
function body(v) {
	const fd = new FormData();
	fd.append('kind', kind());
	for (const k of ['subject', 'record', 'applicant', 'contact', 'reason'])
		fd.append(k, String(v[k]).trim());
	if (kind() === 'repair') fd.append('commitment', v.commitment.trim());
	for (const item of evidenceItems(v)) fd.append('evidence', item);
	for (const f of filesInput.files) fd.append('files', f, f.name);
	return fd;
}

/** The receipt: number and secret (shown this once), dates, the status page. */
function showReceipt(a) {
	const href = `application.html?receipt=${encodeURIComponent(a.receipt)}&secret=${encodeURIComponent(a.secret)}`;
	document.getElementById('apply-panel').hidden = true;
	const panel = document.getElementById('receipt-panel');
	panel.hidden = false;
	fill('receipt',
		el('p', { role: 'status' }, `您的${KINDS[a.kind] || '申请'}已受理登记，已转该信息的认定单位办理。`),
		el('dl', { class: 'facts' },
			el('dt', {}, '受理编号'), el('dd', {}, el('strong', { class: 'secret', id: 'receipt-no' }, a.receipt)),
			el('dt', {}, '查询密码'), el('dd', {}, el('strong', { class: 'secret', id: 'receipt-secret' }, a.secret)),
			el('dt', {}, '提交日期'), el('dd', {}, a.filed_on),
			el('dt', {}, '办理期限'), el('dd', {}, a.due || '—')),
		el('p', { class: 'error', id: 'receipt-note' },
			'请抄写或截图保存受理编号和查询密码：查询进度须同时提供两者，查询密码只在此显示一次，遗失后无法找回。'),
		el('p', { class: 'actions' }, el('a', { class: 'button', href, id: 'receipt-status' }, '查询办理进度')));
	document.getElementById('h-receipt').focus();
}

async function submit(v) {
	let a;
	try {
		a = await apiPost('applications', body(v));
	} catch (e) {
		// the API's English for a case already open: said here in Chinese
		if (e instanceof ApiError && e.status === 409)
			throw new ApiError(409, { field: 'record', message:
				`该信息已有办理中的${kind() === 'repair' ? '信用修复' : '异议'}申请，请勿重复提交；可凭原受理编号查询进度` });
		if (e instanceof ApiError && e.status === 413 && !e.field)
			throw new ApiError(413, { field: 'files', message: e.message });
		throw e;
	}
	showReceipt(a);
}

const code = arg('code');
document.getElementById('f-subject').value = code.includes('*') ? '' : code;
const k0 = arg('kind');
if (KINDS[k0]) document.getElementById(`f-kind-${k0}`).checked = true;
for (const r of form.querySelectorAll('input[name="kind"]')) r.addEventListener('change', showKind);
document.getElementById('f-subject').addEventListener('change', (ev) => loadRecords(ev.target.value.trim()));
filesInput.addEventListener('change', checkFiles);
document.getElementById('record-box').addEventListener('change', (ev) => { chosen = ev.target.value; });
onSubmit(form, 'apply-error', FIELDS, submit, check);
showKind();
loadRecords(code);
