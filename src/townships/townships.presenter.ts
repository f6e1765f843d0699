import type { Township } from './township.entity.js';

/** What the township pages show besides the rows: titles and which form it is. */
export const townshipPages = {
  newForm: () => ({ title: '新建乡镇', creating: true }),
  editForm: (township: Township) => ({ title: `修改乡镇：${township.name}`, township, values: township }),
  saved: (township: Pick<Township, 'name'>) => `已保存乡镇“${township.name}”`,
  created: (township: Pick<Township, 'name'>) => `已新建乡镇“${township.name}”`,
  activeSet: (township: Pick<Township, 'name' | 'active'>) =>
    `乡镇“${township.name}”已${township.active ? '启用' : '停用'}`,
};
