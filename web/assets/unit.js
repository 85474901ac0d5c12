// 单位工作台 (unit.html): the unit operator's home.
import { fill, el } from './common.js';
import { requireRole } from './session.js';

const s = await requireRole('unit');
if (s) {
	fill('page-status', '');
	document.getElementById('h-page').textContent = `${s.unit} 工作台`;
	document.getElementById('main').append(el('p', {}, '本单位的报送、查询和待办事项。'));
}
