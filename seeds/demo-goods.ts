/** What a village points supermarket typically stocks (1 point ≈ 1 yuan), and who donated what. */
export interface DemoGoods {
  name: string;
  unit: string;
  pricePoints: number;
  stock: number;
  lowStockThreshold: number;
  monthlyLimit?: number;
  /** Part of the stock came as a donation from this 帮扶单位. */
  donation?: { donor: string; quantity: number };
}

export const DEMO_GOODS: DemoGoods[] = [
  { name: '香皂', unit: '块', pricePoints: 5, stock: 60, lowStockThreshold: 10 },
  { name: '牙膏', unit: '支', pricePoints: 8, stock: 40, lowStockThreshold: 10 },
  { name: '洗衣粉（1kg）', unit: '袋', pricePoints: 12, stock: 30, lowStockThreshold: 8 },
  { name: '洗洁精', unit: '瓶', pricePoints: 10, stock: 24, lowStockThreshold: 6 },
  { name: '毛巾', unit: '条', pricePoints: 10, stock: 30, lowStockThreshold: 8 },
  { name: '酱油（500ml）', unit: '瓶', pricePoints: 9, stock: 20, lowStockThreshold: 5 },
  { name: '垃圾袋', unit: '卷', pricePoints: 3, stock: 100, lowStockThreshold: 20 },
  {
    name: '大米（10斤）',
    unit: '袋',
    pricePoints: 35,
    stock: 10,
    lowStockThreshold: 5,
    monthlyLimit: 2,
    donation: { donor: '县农商银行', quantity: 10 },
  },
  {
    name: '食用油（5L）',
    unit: '桶',
    pricePoints: 60,
    stock: 6,
    lowStockThreshold: 3,
    monthlyLimit: 1,
    donation: { donor: '县供电公司驻村工作队', quantity: 6 },
  },
  { name: '暖水瓶', unit: '个', pricePoints: 45, stock: 3, lowStockThreshold: 2 },
];
