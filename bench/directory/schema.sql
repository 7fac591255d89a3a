-- The company_directory table and indexes of migration 14 (Storage/Migrations.cs, Version14CompanyDirectory), for the ad-hoc fill.
CREATE TABLE company_directory (
    environment_id TEXT NOT NULL, company_id TEXT NOT NULL, name TEXT NULL, sort_name TEXT NOT NULL, search_text TEXT NOT NULL,
    main_key TEXT NULL, plan_id TEXT NULL, add_on_ids TEXT NOT NULL, trial_ends_at BIGINT NULL, override_count INTEGER NOT NULL,
    worst_ratio DOUBLE PRECISION NOT NULL, worst_feature_id TEXT NULL, worst_usage BIGINT NULL, worst_limit BIGINT NULL,
    stale_at BIGINT NULL, created_at BIGINT NOT NULL, refreshed_at BIGINT NOT NULL, PRIMARY KEY (environment_id, company_id));
CREATE INDEX company_directory_name ON company_directory (environment_id, sort_name, company_id, search_text);
CREATE INDEX company_directory_created ON company_directory (environment_id, created_at, company_id, search_text);
CREATE INDEX company_directory_ratio ON company_directory (environment_id, worst_ratio, company_id, search_text);
CREATE INDEX company_directory_plan ON company_directory (environment_id, plan_id, sort_name);
CREATE INDEX company_directory_trial ON company_directory (environment_id, trial_ends_at) WHERE trial_ends_at IS NOT NULL;
CREATE INDEX company_directory_overrides ON company_directory (environment_id, sort_name) WHERE override_count > 0;
CREATE INDEX company_directory_stale ON company_directory (stale_at) WHERE stale_at IS NOT NULL;
