"""The project library going out (DOMAIN.md §3.3): the year's library in the layout the county
publishes, an announcement's projects as Excel and as the printed announcement (PDF), and the
beneficiaries of one project. Everything is written and recorded by kaiyuan.common.exports.

The library's columns are the disclosure list of the national guidance on fund and project
disclosure (name, place, content, subsidy standard, funding source and amount, period,
implementing unit and responsible person, performance targets, farmer-linking mechanism), with
the funding by level and the dates in columns of their own so that money stays money and dates
stay dates. The same columns are the layout of the township's proposals coming in
(``projects.imports.library``): a published library can be read back. The headers are the file
format and stay Chinese in every language, like the national system's.

No ID number is ever written: beneficiaries are named by household number and head's name.
"""
