import type { StaffRole } from '../src/access/role.js';

/** The demo county (SEED=demo): one township, three villages with groups, staff for every role, a few households. */
export const DEMO_PASSWORD = 'demo2026';
export const DEMO_PIN = '123456';

export const DEMO_TOWNSHIP = { name: '青山镇', code: 'QS' };

export const DEMO_VILLAGES = [
  { name: '桃源村', code: 'TY', groups: ['第一村民小组', '第二村民小组', '第三村民小组', '第四村民小组'] },
  { name: '柳河村', code: 'LH', groups: ['上河组', '下河组', '新屋组'] },
  { name: '石桥村', code: 'SQ', groups: ['第一组', '第二组', '第三组', '第四组', '第五组'] },
];

export interface DemoStaff {
  username: string;
  displayName: string;
  role: StaffRole;
  village?: string;
  /** The code of the household this person belongs to; a village account without one says so with noHousehold. */
  household?: string;
  noHousehold?: true;
}

export const DEMO_STAFF: DemoStaff[] = [
  { username: 'qs_township', displayName: '王建国（青山镇）', role: 'TOWNSHIP' },
  { username: 'qs_bank', displayName: '赵信贷（青山农商银行）', role: 'BANK' },
  { username: 'ty_admin', displayName: '李书记', role: 'VILLAGE_ADMIN', village: 'TY', household: 'TY-0007' },
  { username: 'ty_scorer', displayName: '张组长', role: 'SCORER', village: 'TY', household: 'TY-0003' },
  { username: 'ty_grid', displayName: '陈网格员', role: 'SCORER', village: 'TY', household: 'TY-0005' },
  { username: 'ty_clerk', displayName: '刘超市', role: 'CLERK', village: 'TY', household: 'TY-0008' },
  {
    username: 'ty_jiandu',
    displayName: '周监督（村务监督委员会）',
    role: 'SUPERVISOR',
    village: 'TY',
    household: 'TY-0006',
  },
  {
    username: 'ty_pingyi1',
    displayName: '李大山（村民代表）',
    role: 'COUNCIL',
    village: 'TY',
    household: 'TY-0001',
  },
  {
    username: 'ty_pingyi2',
    displayName: '王秀英（妇联代表）',
    role: 'COUNCIL',
    village: 'TY',
    household: 'TY-0002',
  },
  {
    username: 'ty_pingyi3',
    displayName: '刘桂兰（党员）',
    role: 'COUNCIL',
    village: 'TY',
    household: 'TY-0004',
  },
  {
    username: 'ty_pingyi4',
    displayName: '陈老师（乡贤）',
    role: 'COUNCIL',
    village: 'TY',
    noHousehold: true,
  },
  {
    username: 'ty_pingyi5',
    displayName: '何医生（乡贤）',
    role: 'COUNCIL',
    village: 'TY',
    noHousehold: true,
  },
  // 党支部 (issue 22): two branch members, so that one records and the other approves.
  { username: 'ty_party', displayName: '王支书', role: 'PARTY_BRANCH', village: 'TY', household: 'TY-0002' },
  { username: 'ty_party2', displayName: '陈委员', role: 'PARTY_BRANCH', village: 'TY', noHousehold: true },
  { username: 'lh_admin', displayName: '赵主任', role: 'VILLAGE_ADMIN', village: 'LH', noHousehold: true },
  { username: 'lh_scorer', displayName: '孙组长', role: 'SCORER', village: 'LH', household: 'LH-0001' },
  { username: 'lh_clerk', displayName: '周超市', role: 'CLERK', village: 'LH', household: 'LH-0002' },
  { username: 'sq_admin', displayName: '吴书记', role: 'VILLAGE_ADMIN', village: 'SQ', noHousehold: true },
  { username: 'sq_scorer', displayName: '郑组长', role: 'SCORER', village: 'SQ', household: 'SQ-0007' },
  { username: 'sq_clerk', displayName: '冯超市', role: 'CLERK', village: 'SQ', noHousehold: true },
];

/** Heads of household per village, in group order (group = index mod number of groups). */
export const DEMO_HOUSEHOLDS: Record<string, { headName: string; memberCount: number }[]> = {
  TY: [
    { headName: '李大山', memberCount: 4 },
    { headName: '王秀英', memberCount: 2 },
    { headName: '张国强', memberCount: 5 },
    { headName: '刘桂兰', memberCount: 3 },
    { headName: '陈志明', memberCount: 6 },
    { headName: '杨春花', memberCount: 1 },
    { headName: '赵德福', memberCount: 4 },
    { headName: '黄玉梅', memberCount: 3 },
  ],
  LH: [
    { headName: '孙长青', memberCount: 3 },
    { headName: '周淑芬', memberCount: 2 },
    { headName: '吴建华', memberCount: 5 },
    { headName: '郑小红', memberCount: 4 },
    { headName: '冯永利', memberCount: 3 },
    { headName: '何翠兰', memberCount: 2 },
  ],
  SQ: [
    { headName: '郭海生', memberCount: 4 },
    { headName: '马兰芝', memberCount: 3 },
    { headName: '罗金宝', memberCount: 5 },
    { headName: '梁凤英', memberCount: 2 },
    { headName: '宋振华', memberCount: 6 },
    { headName: '谢秀珍', memberCount: 3 },
    { headName: '韩卫东', memberCount: 4 },
  ],
};
