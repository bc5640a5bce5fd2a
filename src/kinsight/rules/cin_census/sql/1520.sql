-- A UPN belongs to one pupil: every record sharing a UPN with another record is flagged.
SELECT 'childidentifiers' AS table_name, _row, LAchildID AS child
FROM (SELECT _row, LAchildID, count(*) OVER (PARTITION BY UPN) AS holders FROM childidentifiers WHERE UPN IS NOT NULL)
WHERE holders > 1
