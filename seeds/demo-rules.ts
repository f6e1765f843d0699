import type { RuleCategory } from '../src/rules/scoring-rule.entity.js';

export interface DemoRule {
  code: string;
  category: RuleCategory;
  title: string;
  points?: number;
  minPoints?: number;
  maxPoints?: number;
  capCount?: number;
  capPeriod?: 'month' | 'year';
  evidenceRequired?: boolean;
  blackList?: boolean;
}

/**
 * A realistic 积分清单 of the kind villages vote (rewards +5 to +50, deductions −10 to −30): the demo villages and
 * the township's template list both start from it.
 */
export const DEMO_RULES: DemoRule[] = [
  {
    code: 'ZZ-01',
    category: '自治',
    title: '按时参加村民代表会议、户代表会议',
    points: 5,
    capCount: 1,
    capPeriod: 'month',
  },
  {
    code: 'ZZ-02',
    category: '自治',
    title: '参加村里组织的志愿服务活动',
    points: 15,
    capCount: 4,
    capPeriod: 'month',
  },
  {
    code: 'ZZ-03',
    category: '自治',
    title: '主动调解邻里纠纷并达成和解',
    minPoints: 10,
    maxPoints: 20,
    evidenceRequired: true,
  },
  {
    code: 'ZZ-04',
    category: '自治',
    title: '按时缴纳新农合、养老保险',
    points: 5,
    capCount: 1,
    capPeriod: 'year',
  },
  { code: 'ZZ-05', category: '自治', title: '对村务提出合理化建议被采纳', minPoints: 5, maxPoints: 15 },
  {
    code: 'FZ-01',
    category: '法治',
    title: '参加普法宣传教育活动',
    points: 5,
    capCount: 2,
    capPeriod: 'month',
  },
  {
    code: 'FZ-02',
    category: '法治',
    title: '举报违法犯罪线索经查属实',
    minPoints: 20,
    maxPoints: 50,
    evidenceRequired: true,
  },
  {
    code: 'FZ-03',
    category: '法治',
    title: '参与赌博',
    points: -20,
    blackList: true,
    evidenceRequired: true,
  },
  {
    code: 'FZ-04',
    category: '法治',
    title: '违法占用耕地、乱搭乱建',
    points: -30,
    blackList: true,
    evidenceRequired: true,
  },
  { code: 'FZ-05', category: '法治', title: '无理缠访、闹访', points: -20, blackList: true },
  { code: 'DZ-01', category: '德治', title: '见义勇为', points: 50, evidenceRequired: true },
  {
    code: 'DZ-02',
    category: '德治',
    title: '孝老爱亲，被评为好媳妇、好儿女',
    points: 20,
    capCount: 1,
    capPeriod: 'year',
  },
  { code: 'DZ-03', category: '德治', title: '拾金不昧', minPoints: 5, maxPoints: 20, evidenceRequired: true },
  {
    code: 'DZ-04',
    category: '德治',
    title: '帮扶困难群众、留守老人儿童',
    points: 10,
    capCount: 2,
    capPeriod: 'month',
  },
  { code: 'DZ-05', category: '德治', title: '子女考上大学', points: 10, capCount: 1, capPeriod: 'year' },
  { code: 'DZ-06', category: '德治', title: '不赡养老人、虐待家庭成员', points: -30, blackList: true },
  {
    code: 'RJ-01',
    category: '人居环境',
    title: '庭院整洁、门前三包落实（月度检查合格）',
    points: 5,
    capCount: 1,
    capPeriod: 'month',
  },
  {
    code: 'RJ-02',
    category: '人居环境',
    title: '被评为“美丽庭院”',
    points: 20,
    capCount: 1,
    capPeriod: 'year',
  },
  {
    code: 'RJ-03',
    category: '人居环境',
    title: '垃圾分类投放到位',
    points: 2,
    capCount: 4,
    capPeriod: 'month',
  },
  { code: 'RJ-04', category: '人居环境', title: '乱倒垃圾、乱堆柴草杂物', points: -10 },
  { code: 'RJ-05', category: '人居环境', title: '焚烧秸秆', points: -20, evidenceRequired: true },
  { code: 'RJ-06', category: '人居环境', title: '畜禽散养影响环境', points: -10 },
  {
    code: 'YF-01',
    category: '移风易俗',
    title: '红白事简办，不大操大办',
    points: 20,
    evidenceRequired: true,
  },
  {
    code: 'YF-02',
    category: '移风易俗',
    title: '婚事新办，不要高价彩礼',
    points: 30,
    evidenceRequired: true,
  },
  {
    code: 'YF-03',
    category: '移风易俗',
    title: '文明祭扫，不燃放烟花爆竹',
    points: 5,
    capCount: 1,
    capPeriod: 'year',
  },
  { code: 'YF-04', category: '移风易俗', title: '大操大办、铺张浪费', points: -20, blackList: true },
  { code: 'YF-05', category: '移风易俗', title: '参与封建迷信活动', points: -15 },
  {
    code: 'QT-01',
    category: '其他',
    title: '参加村集体劳动（义务工）',
    points: 5,
    capCount: 4,
    capPeriod: 'month',
  },
  {
    code: 'QT-02',
    category: '其他',
    title: '无偿献血',
    points: 20,
    capCount: 1,
    capPeriod: 'year',
    evidenceRequired: true,
  },
  { code: 'QT-03', category: '其他', title: '参与防汛、防火等应急抢险', minPoints: 10, maxPoints: 30 },
];
