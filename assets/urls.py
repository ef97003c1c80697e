from django.urls import path

from assets.views import assets as ledger
from assets.views import disposals, distributions, incomes, ledgers

app_name = "assets"


urlpatterns = [
    # ---- the ledger: assets, handover, registration, 盘活, collectives (views/assets.py) -------
    path("", ledger.index, name="index"),
    path("list/", ledger.asset_list, name="asset_list"),
    path("new/", ledger.asset_new, name="asset_new"),
    path("<int:pk>/", ledger.asset_detail, name="asset_detail"),
    path("<int:pk>/edit/", ledger.asset_edit, name="asset_edit"),
    path("<int:pk>/confirm/", ledger.asset_confirm, name="asset_confirm"),
    path("<int:pk>/sanzi/", ledger.asset_sanzi, name="asset_sanzi"),
    path("<int:pk>/status/", ledger.asset_status, name="asset_status"),
    path("<int:pk>/review/", ledger.asset_review, name="asset_review"),
    path("handover/", ledger.handover_list, name="handover_list"),
    path("handover/<int:pk>/", ledger.handover, name="handover"),
    path("handover/<int:pk>/none/", ledger.handover_none, name="handover_none"),
    path("registration/", ledger.registration, name="registration"),
    path("revive/", ledger.revive, name="revive"),
    path("collectives/", ledger.collective_list, name="collective_list"),
    path("collectives/new/", ledger.collective_new, name="collective_new"),
    # ---- disposals (views/disposals.py) -----------------------------------------------------
    path("<int:pk>/dispose/", disposals.disposal_new, name="disposal_new"),
    path("disposals/", disposals.disposal_list, name="disposal_list"),
    path("disposals/<int:pk>/", disposals.disposal_detail, name="disposal_detail"),
    path("disposals/<int:pk>/<str:step>/", disposals.disposal_step, name="disposal_step"),
    # ---- incomes and distributions (views/incomes.py, views/distributions.py) ---------------
    path("<int:pk>/incomes/new/", incomes.income_new, name="income_new"),
    path("incomes/<int:pk>/edit/", incomes.income_edit, name="income_edit"),
    path("incomes/<int:pk>/distribute/", distributions.distribution_new, name="distribution_new"),
    path("distributions/", distributions.distribution_list, name="distribution_list"),
    path("distributions/<int:pk>/", distributions.distribution_detail, name="distribution_detail"),
    path(
        "distributions/<int:pk>/amount/",
        distributions.distribution_amount,
        name="distribution_amount",
    ),
    path("distributions/<int:pk>/lines/", distributions.line_add, name="line_add"),
    path("lines/<int:pk>/remove/", distributions.line_remove, name="line_remove"),
    path(
        "distributions/<int:pk>/publicise/",
        distributions.distribution_publicise,
        name="distribution_publicise",
    ),
    path(
        "distributions/<int:pk>/revise/",
        distributions.distribution_revise,
        name="distribution_revise",
    ),
    path("distributions/<int:pk>/pay/", distributions.distribution_pay, name="distribution_pay"),
    # ---- exports: the three-level ledger, rosters, the chain, the village PDF (views/ledgers.py)
    path("exports/", ledgers.export_index, name="export_index"),
    path("exports/ledger/", ledgers.ledger_export, name="ledger_export"),
    path("exports/rosters/", ledgers.roster_export, name="roster_export"),
    path("exports/chain/", ledgers.chain_export, name="chain_export"),
    path("<int:pk>/chain/", ledgers.asset_chain_export, name="asset_chain_export"),
    path("villages/<int:pk>/ledger.pdf", ledgers.village_ledger_pdf, name="village_ledger_pdf"),
]
