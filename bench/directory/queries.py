# The SQL CompanyDirectoryStore sends, per case: (name, where, params, order)
COLS="company_id, name, main_key, plan_id, trial_ends_at, override_count, worst_ratio, worst_feature_id, worst_usage, worst_limit, created_at"
cases = [
 ("all, by name, page 1", "", {}, "sort_name ASC, company_id ASC", 0),
 ("all, by name, page 2000", "", {}, "sort_name ASC, company_id ASC", 1999*25),
 ("all, by created desc", "", {}, "created_at DESC, company_id DESC", 0),
 ("all, by ratio desc", "", {}, "worst_ratio DESC, company_id DESC", 0),
 ("q=summit", " AND search_text LIKE :q ESCAPE '\\'", {"q":"%summit%"}, "sort_name ASC, company_id ASC", 0),
 ("q=ops4242@", " AND search_text LIKE :q ESCAPE '\\'", {"q":"%ops4242@%"}, "sort_name ASC, company_id ASC", 0),
 ("plan=pro", " AND plan_id = :p", {"p":"plan_pro"}, "sort_name ASC, company_id ASC", 0),
 ("over limit, by ratio desc", " AND worst_ratio >= 1", {}, "worst_ratio DESC, company_id DESC", 0),
 ("near limit", " AND worst_ratio >= :near AND worst_ratio < 1", {"near":0.8}, "sort_name ASC, company_id ASC", 0),
 ("trialing", " AND trial_ends_at IS NOT NULL", {}, "sort_name ASC, company_id ASC", 0),
 ("has overrides", " AND override_count > 0", {}, "sort_name ASC, company_id ASC", 0),
 ("plan=pro + over", " AND (plan_id = :p OR add_on_ids LIKE :a ESCAPE '\\') AND worst_ratio >= 1", {"p":"plan_pro","a":"%|plan_pro|%"}, "worst_ratio DESC, company_id DESC", 0),
]
counts_sql = [
 "SELECT (SELECT COUNT(*) FROM company_directory WHERE environment_id = :e AND worst_ratio >= 1), (SELECT COUNT(*) FROM company_directory WHERE environment_id = :e AND worst_ratio >= :near AND worst_ratio < 1), (SELECT COUNT(*) FROM company_directory WHERE environment_id = :e AND trial_ends_at IS NOT NULL), (SELECT COUNT(*) FROM company_directory WHERE environment_id = :e AND override_count > 0)",
 "SELECT plan_id, COUNT(*) FROM company_directory WHERE environment_id = :e GROUP BY plan_id",
 f"SELECT {COLS} FROM company_directory WHERE environment_id = :e AND worst_ratio >= 1 ORDER BY worst_ratio DESC, company_id DESC LIMIT 5",
 f"SELECT {COLS} FROM company_directory WHERE environment_id = :e AND worst_ratio >= :near AND worst_ratio < 1 ORDER BY worst_ratio DESC, company_id DESC LIMIT 5",
 f"SELECT {COLS} FROM company_directory WHERE environment_id = :e AND trial_ends_at IS NOT NULL ORDER BY trial_ends_at, company_id LIMIT 5",
]
