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
    f.section_titles,
    f.level_fact_key,
    f.run_id,
    f.loaded_at
FROM fact_indicator AS f
JOIN dim_report AS r ON r.report_key = f.report_key AND r.is_current
LEFT JOIN dim_region AS g ON g.region_code = f.region_code
LEFT JOIN dim_indicator AS i ON i.indicator_key = f.indicator_key
LEFT JOIN dim_unit AS u ON u.unit_key = f.unit_key
LEFT JOIN dim_period AS p ON p.period_key = f.period_key;
COMMENT ON VIEW v_facts IS 'Every loaded fact of a current report version, with readable names from every dimension.';

-- ─────────────────────────────── mart_indicator ───────────────────────────────
-- MODEL (
--   name   mart_indicator,
--   kind   VIEW,
--   grain  (region_code, report_year, period_start, period_end, canonical_name, measure),
--   audits (audit_mart_indicator_unique_grain, audit_mart_indicator_one_unit)
-- );
-- One row per street, report year, period (start and end dates), catalogued indicator and
-- measure: achievements (plan = false) of current report versions whose street is known. The
-- period is part of the grain, so an H1 report's 1-6月 and an annual report's 全年, or 1-11月
-- and 全年, are different rows, never max()-ed together; a growth rate is its own measure.
-- Only catalogued indicators: the catalogue fixes their unit (transforms/indicators.py), so
-- one grain holds one unit. When several facts fall on one grain (a figure repeated in a
-- summary, or two reports of the same street and period), `value` is the first stated
-- (earliest publication, then file name, then position in the text), and `facts` /
-- `distinct_values` say how many there were and whether they agreed.
CREATE OR REPLACE VIEW mart_indicator AS
WITH achieved AS (
    SELECT *,
           row_number() OVER (
               PARTITION BY region_code, report_year, period_start, period_end, canonical_name, measure
               ORDER BY publish_date NULLS LAST, file_name, value_start, fact_key) AS stated_order
    FROM v_facts
    WHERE is_catalogued AND NOT coalesce(plan, false) AND region_code <> '000000000'
)
SELECT
    region_code,
    any_value(street_name)   AS street_name,
    any_value(district_name) AS district_name,
    any_value(city_name)     AS city_name,
    any_value(province_name) AS province_name,
    report_year,
    period_start,
    period_end,
    any_value(period_label)  AS period_label,
    canonical_name,
    any_value(category)      AS category,
    measure,
    max(value) FILTER (WHERE stated_order = 1)    AS value,
    any_value(unit)                               AS unit,
    max(fact_key) FILTER (WHERE stated_order = 1) AS fact_key,
    count(*)                                      AS facts,
    count(DISTINCT value)                         AS distinct_values,
    count(DISTINCT report_key)                    AS reports,
    count(DISTINCT unit)                          AS units
FROM achieved
GROUP BY region_code, report_year, period_start, period_end, canonical_name, measure;
COMMENT ON VIEW mart_indicator IS 'Grain: (region_code, report_year, period_start, period_end, canonical_name, measure). Achievements of catalogued indicators, current reports, known streets; value = first stated fact at the grain.';

-- Audits of mart_indicator: each returns the offending rows; empty = the audit holds.
CREATE OR REPLACE VIEW audit_mart_indicator_unique_grain AS
SELECT region_code, report_year, period_start, period_end, canonical_name, measure, count(*) AS rows_at_grain
FROM mart_indicator
GROUP BY region_code, report_year, period_start, period_end, canonical_name, measure
HAVING count(*) > 1;
COMMENT ON VIEW audit_mart_indicator_unique_grain IS 'Audit of mart_indicator: grains held by more than one row (must be empty).';

CREATE OR REPLACE VIEW audit_mart_indicator_one_unit AS
SELECT region_code, report_year, period_start, period_end, canonical_name, measure, units
FROM mart_indicator
WHERE units <> 1;
COMMENT ON VIEW audit_mart_indicator_one_unit IS 'Audit of mart_indicator: grains mixing units (must be empty).';

-- The main indicators side by side: one row per street, report year and period, from
-- mart_indicator (so one value per cell, never a max() across periods or reports).
DROP VIEW IF EXISTS v_indicator_by_street_year;
CREATE OR REPLACE VIEW v_indicator_by_street_period AS
SELECT
    region_code,
    any_value(street_name)   AS street_name,
    any_value(district_name) AS district_name,
    any_value(city_name)     AS city_name,
    any_value(province_name) AS province_name,
    report_year,
    period_start,
    period_end,
    any_value(period_label)  AS period_label,
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
FROM mart_indicator
GROUP BY region_code, report_year, period_start, period_end;
COMMENT ON VIEW v_indicator_by_street_period IS 'Main indicators per street, report year and period, one cell per mart_indicator row; <name> = level in canonical unit, <name>_yoy_pct = growth in percent.';
