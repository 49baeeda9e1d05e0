-- Clue center default catalogue: 数字城管 部件/事件 categories (GB/T 30428 style) plus enforcement
-- categories, default stage rules, case types, severity levels, the default numbering rule, the
-- global dedup setting, clue-center permissions and audit dictionaries. Identical on both backends.

INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
(NULL, 'C01', '公用设施', 'component', 1, 1, 1764115200000, 1764115200000),
(NULL, 'C02', '道路交通', 'component', 2, 1, 1764115200000, 1764115200000),
(NULL, 'C03', '市容环境', 'component', 3, 1, 1764115200000, 1764115200000),
(NULL, 'C04', '园林绿化', 'component', 4, 1, 1764115200000, 1764115200000),
(NULL, 'C05', '房屋土地', 'component', 5, 1, 1764115200000, 1764115200000),
(NULL, 'C06', '其他设施', 'component', 6, 1, 1764115200000, 1764115200000),
(NULL, 'E01', '市容环境', 'event', 7, 1, 1764115200000, 1764115200000),
(NULL, 'E02', '宣传广告', 'event', 8, 1, 1764115200000, 1764115200000),
(NULL, 'E03', '施工管理', 'event', 9, 1, 1764115200000, 1764115200000),
(NULL, 'E04', '突发事件', 'event', 10, 1, 1764115200000, 1764115200000),
(NULL, 'E05', '街面秩序', 'event', 11, 1, 1764115200000, 1764115200000),
(NULL, 'E06', '其他事件', 'event', 12, 1, 1764115200000, 1764115200000),
(NULL, 'Z01', '违法建设', 'enforcement', 13, 1, 1764115200000, 1764115200000),
(NULL, 'Z02', '生态环境', 'enforcement', 14, 1, 1764115200000, 1764115200000),
(NULL, 'Z03', '市场监管', 'enforcement', 15, 1, 1764115200000, 1764115200000),
(NULL, 'Z04', '交通运输', 'enforcement', 16, 1, 1764115200000, 1764115200000);

INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
((SELECT id FROM categories WHERE code = 'C01'), 'C0101', '上水井盖', 'component', 1, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C01'), 'C0102', '污水井盖', 'component', 2, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C01'), 'C0103', '雨水井盖', 'component', 3, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C01'), 'C0104', '电力井盖', 'component', 4, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C01'), 'C0105', '通信井盖', 'component', 5, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C01'), 'C0106', '燃气井盖', 'component', 6, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C01'), 'C0107', '消防栓', 'component', 7, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C01'), 'C0108', '路灯', 'component', 8, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C01'), 'C0109', '地下管线检查井', 'component', 9, 1, 1764115200000, 1764115200000);
INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
((SELECT id FROM categories WHERE code = 'C02'), 'C0201', '公交站亭', 'component', 1, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C02'), 'C0202', '交通标志牌', 'component', 2, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C02'), 'C0203', '交通信号灯', 'component', 3, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C02'), 'C0204', '道路护栏', 'component', 4, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C02'), 'C0205', '隔离墩', 'component', 5, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C02'), 'C0206', '停车设施', 'component', 6, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C02'), 'C0207', '人行天桥', 'component', 7, 1, 1764115200000, 1764115200000);
INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
((SELECT id FROM categories WHERE code = 'C03'), 'C0301', '公共厕所', 'component', 1, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C03'), 'C0302', '垃圾箱', 'component', 2, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C03'), 'C0303', '垃圾间（楼）', 'component', 3, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C03'), 'C0304', '户外广告设施', 'component', 4, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C03'), 'C0305', '环卫车辆停放点', 'component', 5, 1, 1764115200000, 1764115200000);
INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
((SELECT id FROM categories WHERE code = 'C04'), 'C0401', '古树名木', 'component', 1, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C04'), 'C0402', '行道树', 'component', 2, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C04'), 'C0403', '绿地', 'component', 3, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C04'), 'C0404', '花坛花箱', 'component', 4, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C04'), 'C0405', '城市雕塑', 'component', 5, 1, 1764115200000, 1764115200000);
INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
((SELECT id FROM categories WHERE code = 'C05'), 'C0501', '宣传栏', 'component', 1, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C05'), 'C0502', '人防工事', 'component', 2, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C05'), 'C0503', '房屋外立面', 'component', 3, 1, 1764115200000, 1764115200000);
INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
((SELECT id FROM categories WHERE code = 'C06'), 'C0601', '健身设施', 'component', 1, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C06'), 'C0602', '报刊亭', 'component', 2, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C06'), 'C0603', '售货亭', 'component', 3, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'C06'), 'C0604', '监控电子眼', 'component', 4, 1, 1764115200000, 1764115200000);
INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
((SELECT id FROM categories WHERE code = 'E01'), 'E0101', '私搭乱建', 'event', 1, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E01'), 'E0102', '暴露垃圾', 'event', 2, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E01'), 'E0103', '积存垃圾渣土', 'event', 3, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E01'), 'E0104', '道路不洁', 'event', 4, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E01'), 'E0105', '水域不洁', 'event', 5, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E01'), 'E0106', '绿地脏乱', 'event', 6, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E01'), 'E0107', '废弃家具设备', 'event', 7, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E01'), 'E0108', '乱堆物堆料', 'event', 8, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E01'), 'E0109', '违规饲养家禽家畜', 'event', 9, 1, 1764115200000, 1764115200000);
INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
((SELECT id FROM categories WHERE code = 'E02'), 'E0201', '非法小广告', 'event', 1, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E02'), 'E0202', '违规张贴悬挂宣传品', 'event', 2, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E02'), 'E0203', '占道广告牌', 'event', 3, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E02'), 'E0204', '街头散发广告', 'event', 4, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E02'), 'E0205', '广告招牌破损', 'event', 5, 1, 1764115200000, 1764115200000);
INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
((SELECT id FROM categories WHERE code = 'E03'), 'E0301', '施工扰民', 'event', 1, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E03'), 'E0302', '工地扬尘', 'event', 2, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E03'), 'E0303', '道路遗撒', 'event', 3, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E03'), 'E0304', '施工占道', 'event', 4, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E03'), 'E0305', '无证掘路', 'event', 5, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E03'), 'E0306', '渣土车未密闭运输', 'event', 6, 1, 1764115200000, 1764115200000);
INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
((SELECT id FROM categories WHERE code = 'E04'), 'E0401', '路面塌陷', 'event', 1, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E04'), 'E0402', '自来水管破裂', 'event', 2, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E04'), 'E0403', '燃气管道破裂', 'event', 3, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E04'), 'E0404', '下水道堵塞或破损', 'event', 4, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E04'), 'E0405', '道路积水', 'event', 5, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E04'), 'E0406', '道路积雪结冰', 'event', 6, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E04'), 'E0407', '树木倒伏', 'event', 7, 1, 1764115200000, 1764115200000);
INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
((SELECT id FROM categories WHERE code = 'E05'), 'E0501', '无照经营游商', 'event', 1, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E05'), 'E0502', '占道经营', 'event', 2, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E05'), 'E0503', '店外经营', 'event', 3, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E05'), 'E0504', '流浪乞讨', 'event', 4, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E05'), 'E0505', '占道废品收购', 'event', 5, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E05'), 'E0506', '机动车乱停放', 'event', 6, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E05'), 'E0507', '非机动车乱停放', 'event', 7, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E05'), 'E0508', '露天烧烤', 'event', 8, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E05'), 'E0509', '黑车拉客', 'event', 9, 1, 1764115200000, 1764115200000);
INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
((SELECT id FROM categories WHERE code = 'E06'), 'E0601', '噪声扰民', 'event', 1, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E06'), 'E0602', '油烟扰民', 'event', 2, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E06'), 'E0603', '违规焚烧', 'event', 3, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'E06'), 'E0604', '养犬扰民', 'event', 4, 1, 1764115200000, 1764115200000);
INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
((SELECT id FROM categories WHERE code = 'Z01'), 'Z0101', '违法搭建建（构）筑物', 'enforcement', 1, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'Z01'), 'Z0102', '擅自改变房屋结构', 'enforcement', 2, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'Z01'), 'Z0103', '违规占用公共空间', 'enforcement', 3, 1, 1764115200000, 1764115200000);
INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
((SELECT id FROM categories WHERE code = 'Z02'), 'Z0201', '违规排放污水', 'enforcement', 1, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'Z02'), 'Z0202', '餐饮油烟超标排放', 'enforcement', 2, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'Z02'), 'Z0203', '露天焚烧垃圾', 'enforcement', 3, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'Z02'), 'Z0204', '建筑施工噪声超标', 'enforcement', 4, 1, 1764115200000, 1764115200000);
INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
((SELECT id FROM categories WHERE code = 'Z03'), 'Z0301', '无证无照经营', 'enforcement', 1, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'Z03'), 'Z0302', '食品经营不规范', 'enforcement', 2, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'Z03'), 'Z0303', '价格违法', 'enforcement', 3, 1, 1764115200000, 1764115200000);
INSERT INTO categories (parent_id, code, name, kind, sort_order, enabled, created_at, updated_at) VALUES
((SELECT id FROM categories WHERE code = 'Z04'), 'Z0401', '非法营运', 'enforcement', 1, 1, 1764115200000, 1764115200000),
((SELECT id FROM categories WHERE code = 'Z04'), 'Z0402', '违规占用道路', 'enforcement', 2, 1, 1764115200000, 1764115200000);

INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES
((SELECT id FROM categories WHERE code = 'C01'), 'receive', 10, '接到线索后核实信息完整性，明确位置与问题'),
((SELECT id FROM categories WHERE code = 'C01'), 'file', 30, '判断是否属于受理范围，符合条件的立案'),
((SELECT id FROM categories WHERE code = 'C01'), 'dispatch', 30, '按权责清单派遣至责任单位'),
((SELECT id FROM categories WHERE code = 'C01'), 'handle', 1440, '责任单位到场处置并上传处置前后照片'),
((SELECT id FROM categories WHERE code = 'C01'), 'report', 60, '处置完成后反馈处置结果'),
((SELECT id FROM categories WHERE code = 'C01'), 'verify', 120, '采集员或指挥中心现场核查处置结果'),
((SELECT id FROM categories WHERE code = 'C01'), 'close', 60, '核查通过后结案归档');
INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES
((SELECT id FROM categories WHERE code = 'C02'), 'receive', 10, '接到线索后核实信息完整性，明确位置与问题'),
((SELECT id FROM categories WHERE code = 'C02'), 'file', 30, '判断是否属于受理范围，符合条件的立案'),
((SELECT id FROM categories WHERE code = 'C02'), 'dispatch', 30, '按权责清单派遣至责任单位'),
((SELECT id FROM categories WHERE code = 'C02'), 'handle', 1440, '责任单位到场处置并上传处置前后照片'),
((SELECT id FROM categories WHERE code = 'C02'), 'report', 60, '处置完成后反馈处置结果'),
((SELECT id FROM categories WHERE code = 'C02'), 'verify', 120, '采集员或指挥中心现场核查处置结果'),
((SELECT id FROM categories WHERE code = 'C02'), 'close', 60, '核查通过后结案归档');
INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES
((SELECT id FROM categories WHERE code = 'C03'), 'receive', 10, '接到线索后核实信息完整性，明确位置与问题'),
((SELECT id FROM categories WHERE code = 'C03'), 'file', 30, '判断是否属于受理范围，符合条件的立案'),
((SELECT id FROM categories WHERE code = 'C03'), 'dispatch', 30, '按权责清单派遣至责任单位'),
((SELECT id FROM categories WHERE code = 'C03'), 'handle', 720, '责任单位到场处置并上传处置前后照片'),
((SELECT id FROM categories WHERE code = 'C03'), 'report', 60, '处置完成后反馈处置结果'),
((SELECT id FROM categories WHERE code = 'C03'), 'verify', 120, '采集员或指挥中心现场核查处置结果'),
((SELECT id FROM categories WHERE code = 'C03'), 'close', 60, '核查通过后结案归档');
INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES
((SELECT id FROM categories WHERE code = 'C04'), 'receive', 10, '接到线索后核实信息完整性，明确位置与问题'),
((SELECT id FROM categories WHERE code = 'C04'), 'file', 30, '判断是否属于受理范围，符合条件的立案'),
((SELECT id FROM categories WHERE code = 'C04'), 'dispatch', 30, '按权责清单派遣至责任单位'),
((SELECT id FROM categories WHERE code = 'C04'), 'handle', 2880, '责任单位到场处置并上传处置前后照片'),
((SELECT id FROM categories WHERE code = 'C04'), 'report', 60, '处置完成后反馈处置结果'),
((SELECT id FROM categories WHERE code = 'C04'), 'verify', 120, '采集员或指挥中心现场核查处置结果'),
((SELECT id FROM categories WHERE code = 'C04'), 'close', 60, '核查通过后结案归档');
INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES
((SELECT id FROM categories WHERE code = 'C05'), 'receive', 10, '接到线索后核实信息完整性，明确位置与问题'),
((SELECT id FROM categories WHERE code = 'C05'), 'file', 30, '判断是否属于受理范围，符合条件的立案'),
((SELECT id FROM categories WHERE code = 'C05'), 'dispatch', 30, '按权责清单派遣至责任单位'),
((SELECT id FROM categories WHERE code = 'C05'), 'handle', 4320, '责任单位到场处置并上传处置前后照片'),
((SELECT id FROM categories WHERE code = 'C05'), 'report', 60, '处置完成后反馈处置结果'),
((SELECT id FROM categories WHERE code = 'C05'), 'verify', 120, '采集员或指挥中心现场核查处置结果'),
((SELECT id FROM categories WHERE code = 'C05'), 'close', 60, '核查通过后结案归档');
INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES
((SELECT id FROM categories WHERE code = 'C06'), 'receive', 10, '接到线索后核实信息完整性，明确位置与问题'),
((SELECT id FROM categories WHERE code = 'C06'), 'file', 30, '判断是否属于受理范围，符合条件的立案'),
((SELECT id FROM categories WHERE code = 'C06'), 'dispatch', 30, '按权责清单派遣至责任单位'),
((SELECT id FROM categories WHERE code = 'C06'), 'handle', 2880, '责任单位到场处置并上传处置前后照片'),
((SELECT id FROM categories WHERE code = 'C06'), 'report', 60, '处置完成后反馈处置结果'),
((SELECT id FROM categories WHERE code = 'C06'), 'verify', 120, '采集员或指挥中心现场核查处置结果'),
((SELECT id FROM categories WHERE code = 'C06'), 'close', 60, '核查通过后结案归档');
INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES
((SELECT id FROM categories WHERE code = 'E01'), 'receive', 10, '接到线索后核实信息完整性，明确位置与问题'),
((SELECT id FROM categories WHERE code = 'E01'), 'file', 30, '判断是否属于受理范围，符合条件的立案'),
((SELECT id FROM categories WHERE code = 'E01'), 'dispatch', 30, '按权责清单派遣至责任单位'),
((SELECT id FROM categories WHERE code = 'E01'), 'handle', 240, '责任单位到场处置并上传处置前后照片'),
((SELECT id FROM categories WHERE code = 'E01'), 'report', 60, '处置完成后反馈处置结果'),
((SELECT id FROM categories WHERE code = 'E01'), 'verify', 120, '采集员或指挥中心现场核查处置结果'),
((SELECT id FROM categories WHERE code = 'E01'), 'close', 60, '核查通过后结案归档');
INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES
((SELECT id FROM categories WHERE code = 'E02'), 'receive', 10, '接到线索后核实信息完整性，明确位置与问题'),
((SELECT id FROM categories WHERE code = 'E02'), 'file', 30, '判断是否属于受理范围，符合条件的立案'),
((SELECT id FROM categories WHERE code = 'E02'), 'dispatch', 30, '按权责清单派遣至责任单位'),
((SELECT id FROM categories WHERE code = 'E02'), 'handle', 240, '责任单位到场处置并上传处置前后照片'),
((SELECT id FROM categories WHERE code = 'E02'), 'report', 60, '处置完成后反馈处置结果'),
((SELECT id FROM categories WHERE code = 'E02'), 'verify', 120, '采集员或指挥中心现场核查处置结果'),
((SELECT id FROM categories WHERE code = 'E02'), 'close', 60, '核查通过后结案归档');
INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES
((SELECT id FROM categories WHERE code = 'E03'), 'receive', 10, '接到线索后核实信息完整性，明确位置与问题'),
((SELECT id FROM categories WHERE code = 'E03'), 'file', 30, '判断是否属于受理范围，符合条件的立案'),
((SELECT id FROM categories WHERE code = 'E03'), 'dispatch', 30, '按权责清单派遣至责任单位'),
((SELECT id FROM categories WHERE code = 'E03'), 'handle', 480, '责任单位到场处置并上传处置前后照片'),
((SELECT id FROM categories WHERE code = 'E03'), 'report', 60, '处置完成后反馈处置结果'),
((SELECT id FROM categories WHERE code = 'E03'), 'verify', 120, '采集员或指挥中心现场核查处置结果'),
((SELECT id FROM categories WHERE code = 'E03'), 'close', 60, '核查通过后结案归档');
INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES
((SELECT id FROM categories WHERE code = 'E04'), 'receive', 10, '接到线索后核实信息完整性，明确位置与问题'),
((SELECT id FROM categories WHERE code = 'E04'), 'file', 30, '判断是否属于受理范围，符合条件的立案'),
((SELECT id FROM categories WHERE code = 'E04'), 'dispatch', 30, '按权责清单派遣至责任单位'),
((SELECT id FROM categories WHERE code = 'E04'), 'handle', 120, '责任单位到场处置并上传处置前后照片'),
((SELECT id FROM categories WHERE code = 'E04'), 'report', 60, '处置完成后反馈处置结果'),
((SELECT id FROM categories WHERE code = 'E04'), 'verify', 120, '采集员或指挥中心现场核查处置结果'),
((SELECT id FROM categories WHERE code = 'E04'), 'close', 60, '核查通过后结案归档');
INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES
((SELECT id FROM categories WHERE code = 'E05'), 'receive', 10, '接到线索后核实信息完整性，明确位置与问题'),
((SELECT id FROM categories WHERE code = 'E05'), 'file', 30, '判断是否属于受理范围，符合条件的立案'),
((SELECT id FROM categories WHERE code = 'E05'), 'dispatch', 30, '按权责清单派遣至责任单位'),
((SELECT id FROM categories WHERE code = 'E05'), 'handle', 120, '责任单位到场处置并上传处置前后照片'),
((SELECT id FROM categories WHERE code = 'E05'), 'report', 60, '处置完成后反馈处置结果'),
((SELECT id FROM categories WHERE code = 'E05'), 'verify', 120, '采集员或指挥中心现场核查处置结果'),
((SELECT id FROM categories WHERE code = 'E05'), 'close', 60, '核查通过后结案归档');
INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES
((SELECT id FROM categories WHERE code = 'E06'), 'receive', 10, '接到线索后核实信息完整性，明确位置与问题'),
((SELECT id FROM categories WHERE code = 'E06'), 'file', 30, '判断是否属于受理范围，符合条件的立案'),
((SELECT id FROM categories WHERE code = 'E06'), 'dispatch', 30, '按权责清单派遣至责任单位'),
((SELECT id FROM categories WHERE code = 'E06'), 'handle', 480, '责任单位到场处置并上传处置前后照片'),
((SELECT id FROM categories WHERE code = 'E06'), 'report', 60, '处置完成后反馈处置结果'),
((SELECT id FROM categories WHERE code = 'E06'), 'verify', 120, '采集员或指挥中心现场核查处置结果'),
((SELECT id FROM categories WHERE code = 'E06'), 'close', 60, '核查通过后结案归档');
INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES
((SELECT id FROM categories WHERE code = 'Z01'), 'receive', 10, '接到线索后核实信息完整性，明确位置与问题'),
((SELECT id FROM categories WHERE code = 'Z01'), 'file', 30, '判断是否属于受理范围，符合条件的立案'),
((SELECT id FROM categories WHERE code = 'Z01'), 'dispatch', 30, '按权责清单派遣至责任单位'),
((SELECT id FROM categories WHERE code = 'Z01'), 'handle', 7200, '责任单位到场处置并上传处置前后照片'),
((SELECT id FROM categories WHERE code = 'Z01'), 'report', 60, '处置完成后反馈处置结果'),
((SELECT id FROM categories WHERE code = 'Z01'), 'verify', 120, '采集员或指挥中心现场核查处置结果'),
((SELECT id FROM categories WHERE code = 'Z01'), 'close', 60, '核查通过后结案归档');
INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES
((SELECT id FROM categories WHERE code = 'Z02'), 'receive', 10, '接到线索后核实信息完整性，明确位置与问题'),
((SELECT id FROM categories WHERE code = 'Z02'), 'file', 30, '判断是否属于受理范围，符合条件的立案'),
((SELECT id FROM categories WHERE code = 'Z02'), 'dispatch', 30, '按权责清单派遣至责任单位'),
((SELECT id FROM categories WHERE code = 'Z02'), 'handle', 2880, '责任单位到场处置并上传处置前后照片'),
((SELECT id FROM categories WHERE code = 'Z02'), 'report', 60, '处置完成后反馈处置结果'),
((SELECT id FROM categories WHERE code = 'Z02'), 'verify', 120, '采集员或指挥中心现场核查处置结果'),
((SELECT id FROM categories WHERE code = 'Z02'), 'close', 60, '核查通过后结案归档');
INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES
((SELECT id FROM categories WHERE code = 'Z03'), 'receive', 10, '接到线索后核实信息完整性，明确位置与问题'),
((SELECT id FROM categories WHERE code = 'Z03'), 'file', 30, '判断是否属于受理范围，符合条件的立案'),
((SELECT id FROM categories WHERE code = 'Z03'), 'dispatch', 30, '按权责清单派遣至责任单位'),
((SELECT id FROM categories WHERE code = 'Z03'), 'handle', 2880, '责任单位到场处置并上传处置前后照片'),
((SELECT id FROM categories WHERE code = 'Z03'), 'report', 60, '处置完成后反馈处置结果'),
((SELECT id FROM categories WHERE code = 'Z03'), 'verify', 120, '采集员或指挥中心现场核查处置结果'),
((SELECT id FROM categories WHERE code = 'Z03'), 'close', 60, '核查通过后结案归档');
INSERT INTO category_stage_rules (category_id, stage, time_limit_minutes, requirement) VALUES
((SELECT id FROM categories WHERE code = 'Z04'), 'receive', 10, '接到线索后核实信息完整性，明确位置与问题'),
((SELECT id FROM categories WHERE code = 'Z04'), 'file', 30, '判断是否属于受理范围，符合条件的立案'),
((SELECT id FROM categories WHERE code = 'Z04'), 'dispatch', 30, '按权责清单派遣至责任单位'),
((SELECT id FROM categories WHERE code = 'Z04'), 'handle', 1440, '责任单位到场处置并上传处置前后照片'),
((SELECT id FROM categories WHERE code = 'Z04'), 'report', 60, '处置完成后反馈处置结果'),
((SELECT id FROM categories WHERE code = 'Z04'), 'verify', 120, '采集员或指挥中心现场核查处置结果'),
((SELECT id FROM categories WHERE code = 'Z04'), 'close', 60, '核查通过后结案归档');

INSERT INTO case_types (code, name, description, sort_order, enabled, created_at, updated_at) VALUES
('complaint', '投诉举报', '群众通过热线、网络等渠道投诉举报', 1, 1, 1764115200000, 1764115200000),
('patrol', '巡查发现', '执法队员、网格员、采集员巡查发现', 2, 1, 1764115200000, 1764115200000),
('assigned', '上级交办', '上级机关或领导交办', 3, 1, 1764115200000, 1764115200000),
('transferred', '部门移送', '其他部门移送的线索', 4, 1, 1764115200000, 1764115200000),
('media', '媒体曝光', '新闻媒体、网络舆情曝光', 5, 1, 1764115200000, 1764115200000);

INSERT INTO severities (code, name, rank, color, time_limit_percent, description, enabled, created_at, updated_at) VALUES
('urgent', '紧急', 1, '#F56C6C', 50, '危及公共安全或影响重大，须立即处置，时限减半', 1, 1764115200000, 1764115200000),
('important', '较急', 2, '#E6A23C', 75, '影响较大，优先处置，时限按 75% 计', 1, 1764115200000, 1764115200000),
('normal', '一般', 3, '#409EFF', 100, '按标准时限处置', 1, 1764115200000, 1764115200000);

INSERT INTO numbering_rules (name, pattern, description, active, created_at, updated_at) VALUES
('标准事件号', '{region6}{yyyyMMdd}{seq:5}', '县（市、区）代码 + 日期 + 当日序号（数字城管惯例）', 1, 1764115200000, 1764115200000);

INSERT INTO dedup_settings (category_id, high_threshold, low_threshold, radius_m, window_hours, same_category, enabled, created_at, updated_at) VALUES
(NULL, 0.85, 0.6, 100, 72, 1, 1, 1764115200000, 1764115200000);

INSERT INTO permissions (code, name, module, module_name, duty, sort_order) VALUES
('clue:config:view', '处置规则-查看', 'clue', '线索中心', 'business', 10),
('clue:config:edit', '处置规则-编辑', 'clue', '线索中心', 'business', 11);

INSERT INTO dict_types (code, name, description, builtin, created_at, updated_at) VALUES
('audit_action', '审计操作', '审计日志中操作代码的中文名称', 1, 1764115200000, 1764115200000),
('audit_target', '审计对象', '审计日志中对象类型的中文名称', 1, 1764115200000, 1764115200000);

INSERT INTO dict_items (dict_code, value, label, sort_order, enabled, tag_type) VALUES
('audit_action', 'auth.login', '登录', 1, 1, NULL),
('audit_action', 'auth.logout', '退出登录', 2, 1, NULL),
('audit_action', 'auth.lockout', '账号锁定', 3, 1, NULL),
('audit_action', 'auth.forbidden', '越权访问被拒绝', 4, 1, NULL),
('audit_action', 'auth.csrf_rejected', 'CSRF 校验失败', 5, 1, NULL),
('audit_action', 'auth.password_change', '修改密码', 6, 1, NULL),
('audit_action', 'user.create', '新增用户', 7, 1, NULL),
('audit_action', 'user.update', '修改用户', 8, 1, NULL),
('audit_action', 'user.delete', '删除（注销）用户', 9, 1, NULL),
('audit_action', 'user.enable', '启用用户', 10, 1, NULL),
('audit_action', 'user.disable', '停用用户', 11, 1, NULL),
('audit_action', 'user.reset_password', '重置密码', 12, 1, NULL),
('audit_action', 'user.unlock', '解锁用户', 13, 1, NULL),
('audit_action', 'user.reveal', '查看完整敏感信息', 14, 1, NULL),
('audit_action', 'user.export', '导出用户', 15, 1, NULL),
('audit_action', 'user.grant', '授予角色', 16, 1, NULL),
('audit_action', 'user.revoke', '收回角色', 17, 1, NULL),
('audit_action', 'role.create', '新增角色', 18, 1, NULL),
('audit_action', 'role.update', '修改角色', 19, 1, NULL),
('audit_action', 'role.delete', '删除角色', 20, 1, NULL),
('audit_action', 'department.create', '新增部门', 21, 1, NULL),
('audit_action', 'department.update', '修改部门', 22, 1, NULL),
('audit_action', 'department.delete', '删除部门', 23, 1, NULL),
('audit_action', 'dict.create', '新增字典', 24, 1, NULL),
('audit_action', 'dict.update', '修改字典', 25, 1, NULL),
('audit_action', 'dict.delete', '删除字典', 26, 1, NULL),
('audit_action', 'dict.item_create', '新增字典项', 27, 1, NULL),
('audit_action', 'dict.item_update', '修改字典项', 28, 1, NULL),
('audit_action', 'dict.item_delete', '删除字典项', 29, 1, NULL),
('audit_action', 'portal.create', '新增门户入口', 30, 1, NULL),
('audit_action', 'portal.update', '修改门户入口', 31, 1, NULL),
('audit_action', 'portal.delete', '删除门户入口', 32, 1, NULL),
('audit_action', 'region.boundaries_import', '导入区域边界', 33, 1, NULL),
('audit_action', 'item.import', '导入执法事项', 34, 1, NULL),
('audit_action', 'audit.export', '导出审计日志', 35, 1, NULL),
('audit_action', 'audit.verify', '审计完整性校验', 36, 1, NULL),
('audit_action', 'demo.seed', '载入演示数据', 37, 1, NULL),
('audit_action', 'clue_config.create', '新增处置规则', 38, 1, NULL),
('audit_action', 'clue_config.update', '修改处置规则', 39, 1, NULL),
('audit_action', 'clue_config.delete', '删除处置规则', 40, 1, NULL),
('audit_action', 'clue_config.import', '导入权责清单', 41, 1, NULL),
('audit_action', 'clue_config.export', '导出权责清单', 42, 1, NULL),
('audit_target', 'user', '用户', 1, 1, NULL),
('audit_target', 'role', '角色', 2, 1, NULL),
('audit_target', 'department', '部门', 3, 1, NULL),
('audit_target', 'dict', '字典', 4, 1, NULL),
('audit_target', 'portal_tile', '门户入口', 5, 1, NULL),
('audit_target', 'region', '行政区划', 6, 1, NULL),
('audit_target', 'enforcement_item', '执法事项', 7, 1, NULL),
('audit_target', 'audit_log', '审计日志', 8, 1, NULL),
('audit_target', 'request', '请求', 9, 1, NULL),
('audit_target', 'system', '系统', 10, 1, NULL),
('audit_target', 'category', '事件分类', 11, 1, NULL),
('audit_target', 'case_type', '事件类型', 12, 1, NULL),
('audit_target', 'severity', '程度等级', 13, 1, NULL),
('audit_target', 'numbering_rule', '编码规则', 14, 1, NULL),
('audit_target', 'responsibility', '权责清单', 15, 1, NULL),
('audit_target', 'dedup_setting', '去重配置', 16, 1, NULL);
