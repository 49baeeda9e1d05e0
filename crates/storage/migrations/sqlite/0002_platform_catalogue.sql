-- Platform catalogue: permission codes, the three built-in administrator roles (三员分立),
-- data dictionaries and default portal tiles. Identical on both backends.

INSERT INTO permissions (code, name, module, module_name, duty, sort_order) VALUES
('platform:org:view',      '组织机构-查看',        'platform', '平台管理', 'business', 10),
('platform:org:edit',      '组织机构-编辑',        'platform', '平台管理', 'system',   11),
('platform:user:view',     '用户-查看',            'platform', '平台管理', 'business', 20),
('platform:user:create',   '用户-新增',            'platform', '平台管理', 'system',   21),
('platform:user:edit',     '用户-编辑',            'platform', '平台管理', 'system',   22),
('platform:user:delete',   '用户-删除',            'platform', '平台管理', 'system',   23),
('platform:user:export',   '用户-导出',            'platform', '平台管理', 'system',   24),
('platform:user:reveal',   '用户-查看完整敏感信息', 'platform', '平台管理', 'system',   25),
('platform:user:unlock',   '用户-解锁',            'platform', '平台管理', 'security', 26),
('platform:role:view',     '角色-查看',            'platform', '平台管理', 'business', 30),
('platform:role:edit',     '角色-编辑',            'platform', '平台管理', 'security', 31),
('platform:region:view',   '行政区划-查看',        'platform', '平台管理', 'business', 40),
('platform:region:edit',   '行政区划-编辑',        'platform', '平台管理', 'system',   41),
('platform:item:view',     '执法事项-查看',        'platform', '平台管理', 'business', 50),
('platform:item:import',   '执法事项-导入',        'platform', '平台管理', 'system',   51),
('platform:dict:view',     '数据字典-查看',        'platform', '平台管理', 'business', 60),
('platform:dict:edit',     '数据字典-编辑',        'platform', '平台管理', 'system',   61),
('platform:portal:edit',   '门户配置-编辑',        'platform', '平台管理', 'system',   70),
('platform:audit:view',    '审计日志-查看',        'platform', '平台管理', 'audit',    80),
('platform:audit:export',  '审计日志-导出',        'platform', '平台管理', 'audit',    81),
('platform:audit:verify',  '审计日志-完整性校验',   'platform', '平台管理', 'audit',    82);

INSERT INTO roles (code, name, description, data_scope, builtin, created_at, updated_at) VALUES
('sys_admin',      '系统管理员', '管理组织机构、用户、字典、门户和行政区划；不能修改角色权限，不能查看审计日志', 'all', 1, 1764115200000, 1764115200000),
('security_admin', '安全管理员', '管理角色、权限和数据范围，解锁账号；不能管理用户资料，不能查看审计日志',         'all', 1, 1764115200000, 1764115200000),
('audit_admin',    '审计管理员', '查看、导出和校验审计日志；不能修改任何配置或权限',                               'all', 1, 1764115200000, 1764115200000);

INSERT INTO role_permissions (role_id, permission_code)
SELECT r.id, p.code FROM roles r, permissions p
WHERE r.code = 'sys_admin' AND (p.duty = 'system' OR p.code IN
    ('platform:org:view', 'platform:user:view', 'platform:role:view', 'platform:region:view', 'platform:item:view', 'platform:dict:view'));

INSERT INTO role_permissions (role_id, permission_code)
SELECT r.id, p.code FROM roles r, permissions p
WHERE r.code = 'security_admin' AND (p.duty = 'security' OR p.code IN
    ('platform:org:view', 'platform:user:view', 'platform:role:view'));

INSERT INTO role_permissions (role_id, permission_code)
SELECT r.id, p.code FROM roles r, permissions p
WHERE r.code = 'audit_admin' AND (p.duty = 'audit' OR p.code IN ('platform:org:view', 'platform:user:view'));

INSERT INTO dict_types (code, name, description, builtin, created_at, updated_at) VALUES
('department_kind',   '部门类型',     '组织机构的类型',         1, 1764115200000, 1764115200000),
('region_level',      '区划层级',     '行政区划的层级',         1, 1764115200000, 1764115200000),
('data_scope',        '数据范围',     '角色可见的数据范围',     1, 1764115200000, 1764115200000),
('item_category',     '执法事项类别', '执法事项目录的分类',     1, 1764115200000, 1764115200000),
('audit_outcome',     '操作结果',     '审计日志的操作结果',     1, 1764115200000, 1764115200000),
('permission_duty',   '权限职责',     '三员分立的职责划分',     1, 1764115200000, 1764115200000);

INSERT INTO dict_items (dict_code, value, label, sort_order, enabled, tag_type) VALUES
('department_kind', 'government',        '人民政府/管委会',  1, 1, 'info'),
('department_kind', 'bureau',            '综合行政执法局',   2, 1, 'primary'),
('department_kind', 'squad',             '执法队伍',         3, 1, 'success'),
('department_kind', 'city_department',   '市直部门',         4, 1, 'warning'),
('department_kind', 'county_department', '县级部门',         5, 1, 'warning'),
('department_kind', 'township_office',   '乡镇(街道)执法队', 6, 1, 'success'),
('department_kind', 'other',             '其他',             7, 1, 'info'),
('region_level', 'city',     '市',       1, 1, NULL),
('region_level', 'county',   '县(市、区)', 2, 1, NULL),
('region_level', 'township', '乡镇(街道)', 3, 1, NULL),
('data_scope', 'all',        '全部数据',       1, 1, 'danger'),
('data_scope', 'region',     '本区域及下级',   2, 1, 'warning'),
('data_scope', 'department', '本部门及下级',   3, 1, 'primary'),
('data_scope', 'own',        '仅本人',         4, 1, 'info'),
('item_category', 'comprehensive', '综合执法事项', 1, 1, 'primary'),
('item_category', 'special',       '专项执法事项', 2, 1, 'warning'),
('item_category', 'township',      '乡镇执法事项', 3, 1, 'success'),
('item_category', 'transferred',   '划转事项',     4, 1, 'info'),
('item_category', 'other',         '其他',         5, 1, 'info'),
('audit_outcome', 'success', '成功', 1, 1, 'success'),
('audit_outcome', 'failure', '失败', 2, 1, 'danger'),
('permission_duty', 'system',   '系统管理', 1, 1, 'primary'),
('permission_duty', 'security', '安全管理', 2, 1, 'warning'),
('permission_duty', 'audit',    '安全审计', 3, 1, 'danger'),
('permission_duty', 'business', '业务',     4, 1, 'info');

INSERT INTO portal_tiles (name, description, icon, url, kind, required_permission, sort_order, enabled, created_at, updated_at) VALUES
('组织机构',     '市、县、乡三级执法部门与科室',     'OfficeBuilding', '/platform/org',   'internal', 'platform:org:view',    10, 1, 1764115200000, 1764115200000),
('用户管理',     '统一用户中心：账号、角色与状态',   'User',           '/platform/user',  'internal', 'platform:user:view',   20, 1, 1764115200000, 1764115200000),
('角色权限',     '角色、功能权限与数据范围',         'Lock',           '/platform/role',  'internal', 'platform:role:view',   30, 1, 1764115200000, 1764115200000),
('执法事项目录', '全域执法事项目录与导入',           'Notebook',       '/platform/item',  'internal', 'platform:item:view',   40, 1, 1764115200000, 1764115200000),
('审计日志',     '操作留痕、导出与完整性校验',       'Document',       '/audit/log',      'internal', 'platform:audit:view',  50, 1, 1764115200000, 1764115200000),
('浙江政务服务网', '浙江省一体化政务服务平台',       'Link',           'https://www.zjzwfw.gov.cn/', 'external', NULL, 90, 1, 1764115200000, 1764115200000),
('丽水市人民政府', '丽水市人民政府门户网站',         'Link',           'https://www.lishui.gov.cn/', 'external', NULL, 91, 1, 1764115200000, 1764115200000),
('天地图·浙江',   '浙江省地理信息公共服务平台',       'MapLocation',    'https://zhejiang.tianditu.gov.cn/', 'external', NULL, 92, 1, 1764115200000, 1764115200000);
