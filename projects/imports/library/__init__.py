"""A township's proposals coming in from Excel, in the layout of the published library
(``projects.exports.library``), on the import pipeline (kaiyuan.common.imports).

Every row becomes a draft proposal (谋划, ``idea``) of the importing township through
``services.projects.project_create``, proposed at township level. Nothing is written until the
whole file has been read and every row judged: each cell by the pipeline's parsers, each row by
``services.projects.proposal_problems`` (the same rules as the proposal page). With errors the
user gets the workbook back with each problem beside its cell, and may then explicitly import
only the rows that have none (audited). The write and its audit row are one transaction: all the
rows or none.

How a row names its villages: 建设地点 is the township's name (optional) followed by the names
of its villages in that township, separated by 、 (中固镇烟厂村、大白庙子村). A project's share is
split equally between its villages (two decimals, the remainder of the division on the first
village), and so is the share of the assets; the clerk changes the shares on the proposal's
page while it is a draft. A project of several villages names its 受益主体 and each village's
duties in 各村职责 (烟厂村：负责土地协调；大白庙子村：负责用工组织), as PRJ-5 asks of the form.

The library year and the township are chosen on the upload page, not read from the file. The
columns that only the export fills (项目编号, the beneficiary counts, 状态) are read as known
headers and not imported: a project gets its code when it is created, its beneficiaries are
picked from the registry, and every imported proposal starts as a draft.

A user whose role may import but not propose (the bureau) checks a township's file: the same
validation and marked workbook, but nothing is created; the township imports it.
"""
