-- An assessment still open at the census date (no AssessmentAuthorisationDate) that started more than 45
-- working days before it: the 46th working day back from 31 March is the latest start that is too old.
WITH -- Bank holidays in England (gov.uk), 2019 to 2027: working days are weekdays that are not one of these.
holidays(day) AS (
    SELECT CAST(d AS DATE) FROM (VALUES
        ('2019-01-01'), ('2019-04-19'), ('2019-04-22'), ('2019-05-06'), ('2019-05-27'), ('2019-08-26'), ('2019-12-25'), ('2019-12-26'),
        ('2020-01-01'), ('2020-04-10'), ('2020-04-13'), ('2020-05-08'), ('2020-05-25'), ('2020-08-31'), ('2020-12-25'), ('2020-12-28'),
        ('2021-01-01'), ('2021-04-02'), ('2021-04-05'), ('2021-05-03'), ('2021-05-31'), ('2021-08-30'), ('2021-12-27'), ('2021-12-28'),
        ('2022-01-03'), ('2022-04-15'), ('2022-04-18'), ('2022-05-02'), ('2022-06-02'), ('2022-06-03'), ('2022-08-29'), ('2022-09-19'),
        ('2022-12-26'), ('2022-12-27'),
        ('2023-01-02'), ('2023-04-07'), ('2023-04-10'), ('2023-05-01'), ('2023-05-08'), ('2023-05-29'), ('2023-08-28'), ('2023-12-25'),
        ('2023-12-26'),
        ('2024-01-01'), ('2024-03-29'), ('2024-04-01'), ('2024-05-06'), ('2024-05-27'), ('2024-08-26'), ('2024-12-25'), ('2024-12-26'),
        ('2025-01-01'), ('2025-04-18'), ('2025-04-21'), ('2025-05-05'), ('2025-05-26'), ('2025-08-25'), ('2025-12-25'), ('2025-12-26'),
        ('2026-01-01'), ('2026-04-03'), ('2026-04-06'), ('2026-05-04'), ('2026-05-25'), ('2026-08-31'), ('2026-12-25'), ('2026-12-28'),
        ('2027-01-01'), ('2027-03-26'), ('2027-03-29'), ('2027-05-03'), ('2027-05-31'), ('2027-08-30'), ('2027-12-27'), ('2027-12-28')
    ) AS t(d)
),
working AS (
    SELECT day FROM (
        SELECT CAST(unnest(generate_series(CAST(collection_start AS TIMESTAMP) - INTERVAL 30 DAY,
                                           CAST(collection_end AS TIMESTAMP), INTERVAL 1 DAY)) AS DATE) AS day
        FROM params
    )
    WHERE isodow(day) < 6 AND day NOT IN (SELECT day FROM holidays)
),
threshold AS (
    SELECT day FROM working, params WHERE day <= params.collection_end ORDER BY day DESC LIMIT 1 OFFSET 45
)
SELECT 'assessments' AS table_name, a._row, a.LAchildID AS child
FROM assessments a, threshold
WHERE a.AssessmentAuthorisationDate IS NULL AND a.AssessmentActualStartDate < threshold.day
