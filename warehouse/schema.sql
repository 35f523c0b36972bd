-- Baogao warehouse: star schema + operational tables (DuckDB 2.0).
-- Idempotent: every statement can run again on an existing database.
-- Keys are md5 hex strings of natural keys (warehouse/keys.py), stable across reruns.
-- Foreign keys are documented in comments, not enforced: DuckDB forbids updating or deleting
-- referenced rows, which would block flipping dim_report.is_current.

-- ─────────────────────────────── dimensions ───────────────────────────────

CREATE TABLE IF NOT EXISTS dim_region (
    region_code    VARCHAR PRIMARY KEY,
    street_name    VARCHAR,
    district_code  VARCHAR,
    district_name  VARCHAR,
    city_code      VARCHAR,
    city_name      VARCHAR,
    province_code  VARCHAR,
    province_name  VARCHAR
);
COMMENT ON TABLE dim_region IS 'Official township-level divisions (streets/towns), one row per 9-digit code, plus the unknown member 000000000.';
COMMENT ON COLUMN dim_region.region_code IS 'PK: 9-digit official street/town code; 000000000 = unknown region.';
COMMENT ON COLUMN dim_region.street_name IS 'Official street/town name (e.g. 东华门街道).';
COMMENT ON COLUMN dim_region.district_code IS '6-digit county-level (区/县) code.';
COMMENT ON COLUMN dim_region.district_name IS 'County-level (区/县) name.';
COMMENT ON COLUMN dim_region.city_code IS '4-digit prefecture-level code.';
COMMENT ON COLUMN dim_region.city_name IS 'Prefecture-level (市) name; 市辖区 for municipalities.';
COMMENT ON COLUMN dim_region.province_code IS '2-digit province code.';
COMMENT ON COLUMN dim_region.province_name IS 'Province-level name.';

CREATE TABLE IF NOT EXISTS dim_report (
    report_key           VARCHAR PRIMARY KEY,
    file_name            VARCHAR NOT NULL,
    content_sha256       VARCHAR NOT NULL,
    report_id            VARCHAR NOT NULL,
    version              INTEGER NOT NULL,
    is_current           BOOLEAN NOT NULL,
    title                VARCHAR,
    report_year          INTEGER,
    period_type          VARCHAR,
    publish_date         DATE,
    region_code          VARCHAR,
    region_source        VARCHAR,
    region_reason        VARCHAR,
    char_count           BIGINT,
    first_loaded_run_id  VARCHAR
);
COMMENT ON TABLE dim_report IS 'One row per report version (distinct file content). A report (report_id) may have several versions; exactly one is current.';
COMMENT ON COLUMN dim_report.report_key IS 'PK: md5 of content_sha256 (keys.report_key); identical content always gets the same key.';
COMMENT ON COLUMN dim_report.file_name IS 'File name the content first arrived under.';
COMMENT ON COLUMN dim_report.content_sha256 IS 'sha256 hex of the raw file bytes; used to skip unchanged files.';
COMMENT ON COLUMN dim_report.report_id IS 'Stable id of the report across versions: md5 of file_name (keys.report_id).';
COMMENT ON COLUMN dim_report.version IS '1 for the first content seen under this report_id, +1 for each new content.';
COMMENT ON COLUMN dim_report.is_current IS 'True for the highest version of its report_id; views show current versions only.';
COMMENT ON COLUMN dim_report.title IS 'Report title inferred from the text.';
COMMENT ON COLUMN dim_report.report_year IS 'Year the report covers.';
COMMENT ON COLUMN dim_report.period_type IS 'annual | H1 | Q1..Q3 | M1..M11: the span the report covers.';
COMMENT ON COLUMN dim_report.publish_date IS 'Publication date if stated or known from the manifest.';
COMMENT ON COLUMN dim_report.region_code IS 'FK dim_region.region_code: the street the report is about (000000000 if unknown).';
COMMENT ON COLUMN dim_report.region_source IS 'manifest | inferred | unknown: where region_code came from.';
COMMENT ON COLUMN dim_report.region_reason IS 'Human-readable evidence for the region assignment.';
COMMENT ON COLUMN dim_report.char_count IS 'Length of the decoded text in characters (offsets in facts refer to it).';
COMMENT ON COLUMN dim_report.first_loaded_run_id IS 'FK etl_run.run_id: run that first loaded this version.';

CREATE TABLE IF NOT EXISTS dim_indicator (
    indicator_key   VARCHAR PRIMARY KEY,
    canonical_name  VARCHAR NOT NULL,
    category        VARCHAR,
    is_catalogued   BOOLEAN NOT NULL
);
COMMENT ON TABLE dim_indicator IS 'What a fact measures: catalogued canonical indicators plus uncatalogued phrases as their own members.';
COMMENT ON COLUMN dim_indicator.indicator_key IS 'PK: md5 of canonical_name (keys.indicator_key).';
COMMENT ON COLUMN dim_indicator.canonical_name IS 'Canonical indicator name (e.g. 一般公共预算收入); for uncatalogued indicators the phrase itself.';
COMMENT ON COLUMN dim_indicator.category IS 'Indicator group (e.g. fiscal, investment, employment); NULL if uncatalogued.';
COMMENT ON COLUMN dim_indicator.is_catalogued IS 'True if canonical_name comes from the indicator catalogue.';

CREATE TABLE IF NOT EXISTS dim_unit (
    unit_key   VARCHAR PRIMARY KEY,
    unit       VARCHAR NOT NULL,
    unit_kind  VARCHAR NOT NULL
);
COMMENT ON TABLE dim_unit IS 'Canonical units (GUIDELINES.md): no magnitude prefixes (万元 → 元).';
COMMENT ON COLUMN dim_unit.unit_key IS 'PK: md5 of unit (keys.unit_key).';
COMMENT ON COLUMN dim_unit.unit IS 'Canonical unit as stored in fact_indicator.unit (元, %, 人, 个 ...).';
COMMENT ON COLUMN dim_unit.unit_kind IS 'currency | people | person_times | area | length | mass | volume | percent | percentage_point | count (measure words) | duration | rate (per-unit amounts, 元/月) | power | energy | other (warehouse/dims.py).';

CREATE TABLE IF NOT EXISTS dim_period (
    period_key   VARCHAR PRIMARY KEY,
    report_year  INTEGER,
    period_text  VARCHAR,
    period_type  VARCHAR,
    start_date   DATE,
    end_date     DATE,
    label        VARCHAR
);
COMMENT ON TABLE dim_period IS 'The time span a fact refers to: its period phrase resolved against the report year.';
COMMENT ON COLUMN dim_period.period_key IS 'PK: md5 of report_year|report period type|normalised period phrase (transforms.periods.period_key); spellings of one phrase (1至11月, 1-11月) share a key.';
COMMENT ON COLUMN dim_period.report_year IS 'Year of the report the phrase was read in.';
COMMENT ON COLUMN dim_period.period_text IS 'Time phrase as written (截至10月底, 1-6月); NULL when the fact has none (then the report period applies).';
COMMENT ON COLUMN dim_period.period_type IS 'Resolved span type (transforms.periods): annual, H1, Q1..Q3, M1..M11, range, unknown ...';
COMMENT ON COLUMN dim_period.start_date IS 'First day of the span (inclusive), NULL if unresolved.';
COMMENT ON COLUMN dim_period.end_date IS 'Last day of the span (inclusive), NULL if unresolved.';
COMMENT ON COLUMN dim_period.label IS 'Readable label, e.g. 2022年1-10月.';

-- ─────────────────────────────── fact ───────────────────────────────

CREATE TABLE IF NOT EXISTS fact_indicator (
    fact_key        VARCHAR PRIMARY KEY,
    report_key      VARCHAR NOT NULL,
    region_code     VARCHAR,
    indicator_key   VARCHAR,
    unit_key        VARCHAR,
    period_key      VARCHAR,
    indicator_text  VARCHAR,
    value           DECIMAL(38, 6),
    raw_value       VARCHAR,
    unit_written    VARCHAR,
    unit            VARCHAR,
    measure         VARCHAR,
    qualifier       VARCHAR,
    plan            BOOLEAN,
    period_text     VARCHAR,
    evidence        VARCHAR,
    evidence_start  BIGINT,
    evidence_end    BIGINT,
    value_start     BIGINT,
    value_end       BIGINT,
    section_path    VARCHAR,
    section_title   VARCHAR,
    section_topic   VARCHAR,
    run_id          VARCHAR,
    loaded_at       TIMESTAMP,
    section_titles  VARCHAR,
    level_fact_key  VARCHAR
);
COMMENT ON TABLE fact_indicator IS 'Grain: one quantitative fact extracted from one report version (Contract 1), that passed the row-level expectations.';
COMMENT ON COLUMN fact_indicator.fact_key IS 'PK: md5 of report_key|value_start|value_end|measure|unit|indicator_text (keys.fact_key); stable across reruns. indicator_text is included because one number can state several facts (签收率、派遣率、结案率均达到100%).';
COMMENT ON COLUMN fact_indicator.report_key IS 'FK dim_report.report_key: the report version the fact was read from.';
COMMENT ON COLUMN fact_indicator.region_code IS 'FK dim_region.region_code: the report''s region (denormalised for fast filtering).';
COMMENT ON COLUMN fact_indicator.indicator_key IS 'FK dim_indicator.indicator_key: what is measured.';
COMMENT ON COLUMN fact_indicator.unit_key IS 'FK dim_unit.unit_key: the canonical unit.';
COMMENT ON COLUMN fact_indicator.period_key IS 'FK dim_period.period_key: the time span.';
COMMENT ON COLUMN fact_indicator.indicator_text IS 'What is measured, in the report''s own words (Contract 1 `indicator`).';
COMMENT ON COLUMN fact_indicator.value IS 'Value in the canonical unit, exact decimal (8.63亿元 → 863000000).';
COMMENT ON COLUMN fact_indicator.raw_value IS 'Number and unit as written (8.63亿元, 2万余人, 百余个).';
COMMENT ON COLUMN fact_indicator.unit_written IS 'Unit as written (亿元, 名, 亩); not in the original brief, kept for lineage.';
COMMENT ON COLUMN fact_indicator.unit IS 'Canonical unit (元, %, 人, 人次, 平方米, 米, 吨, 美元, 百分点, 立方米, or a measure word).';
COMMENT ON COLUMN fact_indicator.measure IS 'level | yoy_pct | rate | change.';
COMMENT ON COLUMN fact_indicator.qualifier IS 'exact | approx | more_than | less_than.';
COMMENT ON COLUMN fact_indicator.plan IS 'True for a target/plan, false for an achievement.';
COMMENT ON COLUMN fact_indicator.period_text IS 'Governing time phrase as written, NULL if none.';
COMMENT ON COLUMN fact_indicator.evidence IS 'Contiguous substring of the report holding the number and the indicator.';
COMMENT ON COLUMN fact_indicator.evidence_start IS 'Char offset of evidence in the decoded text (inclusive).';
COMMENT ON COLUMN fact_indicator.evidence_end IS 'Char offset of evidence in the decoded text (exclusive).';
COMMENT ON COLUMN fact_indicator.value_start IS 'Char offset of raw_value in the decoded text (inclusive).';
COMMENT ON COLUMN fact_indicator.value_end IS 'Char offset of raw_value in the decoded text (exclusive).';
COMMENT ON COLUMN fact_indicator.section_path IS 'Heading numbers down to the fact, e.g. 二/(三)/2.';
COMMENT ON COLUMN fact_indicator.section_title IS 'Heading text of the innermost section.';
COMMENT ON COLUMN fact_indicator.section_topic IS 'Topic of that section: the category its heading''s keywords point to (财政, 党建, 治理 …), as for unlisted indicators.';
COMMENT ON COLUMN fact_indicator.run_id IS 'FK etl_run.run_id: run that loaded the fact.';
COMMENT ON COLUMN fact_indicator.loaded_at IS 'UTC time the fact was loaded.';
-- Added by issue 11 (analyst layer); ALTER keeps warehouses created before it loadable.
ALTER TABLE fact_indicator ADD COLUMN IF NOT EXISTS section_titles VARCHAR;
ALTER TABLE fact_indicator ADD COLUMN IF NOT EXISTS level_fact_key VARCHAR;
COMMENT ON COLUMN fact_indicator.section_titles IS 'Every heading title from the outermost to the innermost section, joined by " / " (2023年工作思路 / 守平安,除险保安再发力).';
COMMENT ON COLUMN fact_indicator.level_fact_key IS 'For a yoy_pct, rate or change fact: fact_key of the level fact it qualifies (transforms/fact_links.py); NULL otherwise or when none is found.';

-- ─────────────────────────────── operational ───────────────────────────────

CREATE TABLE IF NOT EXISTS etl_run (
    run_id             VARCHAR PRIMARY KEY,
    started_at         TIMESTAMP,
    finished_at        TIMESTAMP,
    status             VARCHAR,
    inbox              VARCHAR,
    files_seen         INTEGER,
    files_new          INTEGER,
    files_unchanged    INTEGER,
    files_failed       INTEGER,
    facts_loaded       INTEGER,
    facts_quarantined  INTEGER,
    dq_report_path     VARCHAR,
    flow_run_id        VARCHAR
);
COMMENT ON TABLE etl_run IS 'One row per ETL run (written in the same transaction as its data, or by record_run_failure).';
COMMENT ON COLUMN etl_run.run_id IS 'PK: run identifier chosen by the flow.';
COMMENT ON COLUMN etl_run.started_at IS 'UTC start time.';
COMMENT ON COLUMN etl_run.finished_at IS 'UTC end time.';
COMMENT ON COLUMN etl_run.status IS 'success | partial (some files failed or facts quarantined) | failed.';
COMMENT ON COLUMN etl_run.inbox IS 'Folder the run read.';
COMMENT ON COLUMN etl_run.files_seen IS 'Files discovered in the inbox.';
COMMENT ON COLUMN etl_run.files_new IS 'Files with content never loaded before (status new or new_version).';
COMMENT ON COLUMN etl_run.files_unchanged IS 'Files skipped because their content_sha256 was already loaded.';
COMMENT ON COLUMN etl_run.files_failed IS 'Files that failed in some stage.';
COMMENT ON COLUMN etl_run.facts_loaded IS 'Rows inserted into fact_indicator by this run.';
COMMENT ON COLUMN etl_run.facts_quarantined IS 'Distinct facts put into quarantine_fact by this run.';
COMMENT ON COLUMN etl_run.dq_report_path IS 'Path of the Great Expectations Data Docs index.html of this run.';
COMMENT ON COLUMN etl_run.flow_run_id IS 'Prefect flow run id, if run under Prefect.';

CREATE TABLE IF NOT EXISTS etl_file (
    run_id          VARCHAR NOT NULL,
    file_path       VARCHAR NOT NULL,
    file_name       VARCHAR,
    content_sha256  VARCHAR,
    status          VARCHAR,
    stage           VARCHAR,
    error           VARCHAR,
    report_key      VARCHAR,
    facts           INTEGER,
    PRIMARY KEY (run_id, file_path)
);
COMMENT ON TABLE etl_file IS 'One row per file seen by a run: what happened to it.';
COMMENT ON COLUMN etl_file.run_id IS 'PK part, FK etl_run.run_id.';
COMMENT ON COLUMN etl_file.file_path IS 'PK part: path of the file as discovered.';
COMMENT ON COLUMN etl_file.file_name IS 'Base name of the file.';
COMMENT ON COLUMN etl_file.content_sha256 IS 'sha256 hex of the file bytes (NULL if it could not be read).';
COMMENT ON COLUMN etl_file.status IS 'new | new_version | unchanged | failed.';
COMMENT ON COLUMN etl_file.stage IS 'Last stage reached (discover, decode, extract, validate, load) or the stage that failed.';
COMMENT ON COLUMN etl_file.error IS 'Error message if status = failed.';
COMMENT ON COLUMN etl_file.report_key IS 'FK dim_report.report_key of the content, if known.';
COMMENT ON COLUMN etl_file.facts IS 'Facts extracted from the file in this run.';

CREATE TABLE IF NOT EXISTS quarantine_fact (
    fact_key        VARCHAR NOT NULL,
    report_key      VARCHAR,
    region_code     VARCHAR,
    indicator_key   VARCHAR,
    unit_key        VARCHAR,
    period_key      VARCHAR,
    indicator_text  VARCHAR,
    value           DECIMAL(38, 6),
    raw_value       VARCHAR,
    unit_written    VARCHAR,
    unit            VARCHAR,
    measure         VARCHAR,
    qualifier       VARCHAR,
    plan            BOOLEAN,
    period_text     VARCHAR,
    evidence        VARCHAR,
    evidence_start  BIGINT,
    evidence_end    BIGINT,
    value_start     BIGINT,
    value_end       BIGINT,
    section_path    VARCHAR,
    section_title   VARCHAR,
    section_topic   VARCHAR,
    run_id          VARCHAR NOT NULL,
    loaded_at       TIMESTAMP,
    section_titles  VARCHAR,
    level_fact_key  VARCHAR,
    expectation     VARCHAR NOT NULL,
    reason          VARCHAR,
    PRIMARY KEY (fact_key, run_id, expectation)
);
COMMENT ON TABLE quarantine_fact IS 'Facts that failed a row-level expectation: one row per fact per failing expectation per run. Never loaded into fact_indicator.';
COMMENT ON COLUMN quarantine_fact.fact_key IS 'PK part: fact key as in fact_indicator ("<null>" if the fact had none).';
COMMENT ON COLUMN quarantine_fact.report_key IS 'As fact_indicator.report_key.';
COMMENT ON COLUMN quarantine_fact.region_code IS 'As fact_indicator.region_code.';
COMMENT ON COLUMN quarantine_fact.indicator_key IS 'As fact_indicator.indicator_key.';
COMMENT ON COLUMN quarantine_fact.unit_key IS 'As fact_indicator.unit_key.';
COMMENT ON COLUMN quarantine_fact.period_key IS 'As fact_indicator.period_key.';
COMMENT ON COLUMN quarantine_fact.indicator_text IS 'As fact_indicator.indicator_text.';
COMMENT ON COLUMN quarantine_fact.value IS 'As fact_indicator.value.';
COMMENT ON COLUMN quarantine_fact.raw_value IS 'As fact_indicator.raw_value.';
COMMENT ON COLUMN quarantine_fact.unit_written IS 'As fact_indicator.unit_written.';
COMMENT ON COLUMN quarantine_fact.unit IS 'As fact_indicator.unit.';
COMMENT ON COLUMN quarantine_fact.measure IS 'As fact_indicator.measure.';
COMMENT ON COLUMN quarantine_fact.qualifier IS 'As fact_indicator.qualifier.';
COMMENT ON COLUMN quarantine_fact.plan IS 'As fact_indicator.plan.';
COMMENT ON COLUMN quarantine_fact.period_text IS 'As fact_indicator.period_text.';
COMMENT ON COLUMN quarantine_fact.evidence IS 'As fact_indicator.evidence.';
COMMENT ON COLUMN quarantine_fact.evidence_start IS 'As fact_indicator.evidence_start.';
COMMENT ON COLUMN quarantine_fact.evidence_end IS 'As fact_indicator.evidence_end.';
COMMENT ON COLUMN quarantine_fact.value_start IS 'As fact_indicator.value_start.';
COMMENT ON COLUMN quarantine_fact.value_end IS 'As fact_indicator.value_end.';
COMMENT ON COLUMN quarantine_fact.section_path IS 'As fact_indicator.section_path.';
COMMENT ON COLUMN quarantine_fact.section_title IS 'As fact_indicator.section_title.';
COMMENT ON COLUMN quarantine_fact.section_topic IS 'As fact_indicator.section_topic.';
COMMENT ON COLUMN quarantine_fact.run_id IS 'PK part, FK etl_run.run_id: run that quarantined the fact.';
COMMENT ON COLUMN quarantine_fact.loaded_at IS 'UTC time the row was written.';
COMMENT ON COLUMN quarantine_fact.expectation IS 'PK part: name of the failing expectation (expectations/suites.py), e.g. unit_is_canonical.';
ALTER TABLE quarantine_fact ADD COLUMN IF NOT EXISTS section_titles VARCHAR;
ALTER TABLE quarantine_fact ADD COLUMN IF NOT EXISTS level_fact_key VARCHAR;
COMMENT ON COLUMN quarantine_fact.section_titles IS 'As fact_indicator.section_titles.';
COMMENT ON COLUMN quarantine_fact.level_fact_key IS 'As fact_indicator.level_fact_key.';
COMMENT ON COLUMN quarantine_fact.reason IS 'Readable reason: what the expectation requires and the offending value.';

CREATE TABLE IF NOT EXISTS dq_expectation_result (
    result_key          VARCHAR PRIMARY KEY,
    run_id              VARCHAR NOT NULL,
    suite               VARCHAR NOT NULL,
    table_name          VARCHAR,
    expectation         VARCHAR NOT NULL,
    expectation_type    VARCHAR,
    column_name         VARCHAR,
    kwargs              VARCHAR,
    success             BOOLEAN,
    row_level           BOOLEAN,
    element_count       BIGINT,
    unexpected_count    BIGINT,
    unexpected_percent  DOUBLE,
    observed            VARCHAR
);
COMMENT ON TABLE dq_expectation_result IS 'One row per expectation per suite per run: the Great Expectations result, queryable.';
COMMENT ON COLUMN dq_expectation_result.result_key IS 'PK: md5 of run_id|suite|expectation.';
COMMENT ON COLUMN dq_expectation_result.run_id IS 'FK etl_run.run_id.';
COMMENT ON COLUMN dq_expectation_result.suite IS 'Expectation suite name (one per table).';
COMMENT ON COLUMN dq_expectation_result.table_name IS 'Warehouse table the suite guards.';
COMMENT ON COLUMN dq_expectation_result.expectation IS 'Short name of the expectation (expectations/suites.py), e.g. unit_is_canonical.';
COMMENT ON COLUMN dq_expectation_result.expectation_type IS 'Great Expectations type, e.g. expect_column_values_to_be_in_set.';
COMMENT ON COLUMN dq_expectation_result.column_name IS 'Column checked (may be a helper column such as raw_value_in_evidence).';
COMMENT ON COLUMN dq_expectation_result.kwargs IS 'Expectation kwargs as JSON.';
COMMENT ON COLUMN dq_expectation_result.success IS 'True if the expectation held for the whole batch (before quarantine).';
COMMENT ON COLUMN dq_expectation_result.row_level IS 'True if failing rows are quarantined; false if the failure is only reported.';
COMMENT ON COLUMN dq_expectation_result.element_count IS 'Rows examined.';
COMMENT ON COLUMN dq_expectation_result.unexpected_count IS 'Rows failing.';
COMMENT ON COLUMN dq_expectation_result.unexpected_percent IS 'Failing rows as percent of non-null rows.';
COMMENT ON COLUMN dq_expectation_result.observed IS 'observed_value or a sample of unexpected values, as JSON text.';

-- The unknown region: reports whose street cannot be determined point here.
INSERT INTO dim_region VALUES ('000000000', '未知', NULL, NULL, NULL, NULL, NULL, NULL)
ON CONFLICT DO NOTHING;
