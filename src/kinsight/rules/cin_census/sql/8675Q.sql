-- A section 47 enquiry with no initial conference date and no 'conference not required' flag that started
-- more than 15 working days before the census date.
WITH -- working_days(): weekdays that are not England bank holidays (the engine's calendar).
working AS (SELECT day FROM working_days()),
threshold AS (
    SELECT day FROM working, params WHERE day <= params.collection_end ORDER BY day DESC LIMIT 1 OFFSET 15
)
SELECT 'section47' AS table_name, s._row, s.LAchildID AS child
FROM section47 s, threshold
WHERE s.DateOfInitialCPC IS NULL AND s.ICPCnotRequired IS NOT TRUE AND s.S47ActualStartDate < threshold.day
