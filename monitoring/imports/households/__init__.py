"""Import of the national system's household/member Excel (DOMAIN.md §2.4, §2.12): the layout of
its columns, the checks of the file, the reading of each cell, the validation of every row and
household before anything is written, the writer, and the job that runs it."""
