"""The monthly roster coming back (月度务工名册), on the import pipeline (kaiyuan.common.imports):
the file of ``employment.exports.rosters``, updated by the clerks, uploaded for month M.

Nothing is written until every row has been judged (``validation``), each by what it says:

- no 记录编号 and no job cells: nothing to do;
- no 记录编号 and job cells: a new job (``services.records.record_create``), 开始日期 the first
  day of M when left empty;
- 记录编号 and the job's cells as the platform has them: the person is still at the same job,
  confirmed on M's last day or today (``record_confirm``; a job of last year is carried into
  M's year); a job that had already ended is left alone;
- 记录编号 with 结束日期 newly filled: the job ended (``record_end``), its months brought up to
  the end as a confirmation would unless the row gives them;
- 记录编号 with other cells changed: the job corrected (``record_change``) at the row's 版本; a
  job changed since the download is that row's error, and a public-welfare post's job is only
  confirmed here (the post's page changes it).

A new or changed job is judged by ``services.records.record_problems``, so the file shows the
refusals of the pages (each beside its cell); EMP-4 flags are warnings, yellow in the marked
copy, and refuse nothing. A person or a job the user may not see answers as one that does not
exist; a person on two rows is an error on both. With errors the user gets the marked copy and
may explicitly import only the valid rows (audited); the writes and the import's audit row are
one transaction (``writer``). ``jobs`` runs it as a job: in the request for a small file, in the
worker for a large one.
"""
