-- Each form's 全年预算数 and 全年执行数 in 万元 as exact decimal text (元 amounts divided by
-- 10 000), so that statistics sum funds without reading documents. Filled in for stored forms
-- by the migration's hook.
ALTER TABLE evaluations ADD COLUMN annual_budget_wan TEXT;
ALTER TABLE evaluations ADD COLUMN executed_wan TEXT;
