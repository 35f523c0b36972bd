-- Analyst views. Idempotent (CREATE OR REPLACE). Only current report versions are visible.

CREATE OR REPLACE VIEW v_facts AS
SELECT
    f.fact_key,
    f.report_key,
    r.report_id,
    r.file_name,
    r.title            AS report_title,
    r.report_year,
    r.period_type      AS report_period_type,
    r.publish_date,
    r.version          AS report_version,
    f.region_code,
    g.street_name,
    g.district_name,
    g.city_name,
    g.province_name,
    f.indicator_key,
    i.canonical_name,
    i.category,
    i.is_catalogued,
    f.indicator_text,
    f.value,
    f.unit,
    u.unit_kind,
    f.measure,
    f.qualifier,
    f.plan,
    f.raw_value,
    f.period_key,
    f.period_text,
    p.period_type,
    p.start_date       AS period_start,
    p.end_date         AS period_end,
    p.label            AS period_label,
    f.evidence,
    f.evidence_start,
    f.evidence_end,
    f.value_start,
    f.value_end,
    f.section_path,
    f.section_title,
    f.section_topic,
    f.run_id,
    f.loaded_at
FROM fact_indicator AS f
JOIN dim_report AS r ON r.report_key = f.report_key AND r.is_current
LEFT JOIN dim_region AS g ON g.region_code = f.region_code
LEFT JOIN dim_indicator AS i ON i.indicator_key = f.indicator_key
LEFT JOIN dim_unit AS u ON u.unit_key = f.unit_key
LEFT JOIN dim_period AS p ON p.period_key = f.period_key;
COMMENT ON VIEW v_facts IS 'Every loaded fact of a current report version, with readable names from every dimension.';

-- One row per street and report year; level values in canonical units (元 for money), and
-- their year-on-year growth in percent, for the main catalogued indicators. Achievements only
-- (plan = false). Where several reports of a year state a level (H1 and annual), max() keeps the
-- largest, i.e. the most cumulative figure.
CREATE OR REPLACE VIEW v_indicator_by_street_year AS
SELECT
    region_code,
    any_value(street_name)   AS street_name,
    any_value(district_name) AS district_name,
    any_value(city_name)     AS city_name,
    any_value(province_name) AS province_name,
    report_year,
    count(DISTINCT report_key) AS reports,
    count(*)                   AS facts,
    max(value) FILTER (WHERE canonical_name = '财政总收入' AND measure = 'level') AS "财政总收入",
    max(value) FILTER (WHERE canonical_name = '财政总收入' AND measure = 'yoy_pct') AS "财政总收入_yoy_pct",
    max(value) FILTER (WHERE canonical_name = '一般公共预算收入' AND measure = 'level') AS "一般公共预算收入",
    max(value) FILTER (WHERE canonical_name = '一般公共预算收入' AND measure = 'yoy_pct') AS "一般公共预算收入_yoy_pct",
    max(value) FILTER (WHERE canonical_name = '地方税收收入' AND measure = 'level') AS "地方税收收入",
    max(value) FILTER (WHERE canonical_name = '地方税收收入' AND measure = 'yoy_pct') AS "地方税收收入_yoy_pct",
    max(value) FILTER (WHERE canonical_name = '固定资产投资' AND measure = 'level') AS "固定资产投资",
    max(value) FILTER (WHERE canonical_name = '固定资产投资' AND measure = 'yoy_pct') AS "固定资产投资_yoy_pct",
    max(value) FILTER (WHERE canonical_name = '规上工业总产值' AND measure = 'level') AS "规上工业总产值",
    max(value) FILTER (WHERE canonical_name = '规上工业总产值' AND measure = 'yoy_pct') AS "规上工业总产值_yoy_pct",
    max(value) FILTER (WHERE canonical_name = '社会消费品零售总额' AND measure = 'level') AS "社会消费品零售总额",
    max(value) FILTER (WHERE canonical_name = '社会消费品零售总额' AND measure = 'yoy_pct') AS "社会消费品零售总额_yoy_pct",
    max(value) FILTER (WHERE canonical_name = '新增就业岗位' AND measure = 'level') AS "新增就业岗位",
    max(value) FILTER (WHERE canonical_name = '新增就业岗位' AND measure = 'yoy_pct') AS "新增就业岗位_yoy_pct"
FROM v_facts
WHERE NOT coalesce(plan, false)
GROUP BY region_code, report_year;
COMMENT ON VIEW v_indicator_by_street_year IS 'Main indicators per street and report year (non-plan facts of current reports); <name> = level in canonical unit, <name>_yoy_pct = growth in percent.';
