from django.http import Http404
from django.urls import path

from assets.views import ledgers

app_name = "assets"


def _pending(request, **kwargs):  # each block is replaced by the pages of assets/views
    raise Http404


urlpatterns = [
    # ---- the ledger: assets, handover, registration, 盘活, collectives (views/assets.py) -------
    path("", _pending, name="index"),
    path("list/", _pending, name="asset_list"),
    path("new/", _pending, name="asset_new"),
    path("<int:pk>/", _pending, name="asset_detail"),
    path("<int:pk>/edit/", _pending, name="asset_edit"),
    path("<int:pk>/confirm/", _pending, name="asset_confirm"),
    path("<int:pk>/sanzi/", _pending, name="asset_sanzi"),
    path("<int:pk>/status/", _pending, name="asset_status"),
    path("<int:pk>/review/", _pending, name="asset_review"),
    path("handover/", _pending, name="handover_list"),
    path("handover/<int:pk>/", _pending, name="handover"),
    path("handover/<int:pk>/none/", _pending, name="handover_none"),
    path("registration/", _pending, name="registration"),
    path("revive/", _pending, name="revive"),
    path("collectives/", _pending, name="collective_list"),
    path("collectives/new/", _pending, name="collective_new"),
    # ---- disposals (views/disposals.py) -----------------------------------------------------
    path("<int:pk>/dispose/", _pending, name="disposal_new"),
    path("disposals/", _pending, name="disposal_list"),
    path("disposals/<int:pk>/", _pending, name="disposal_detail"),
    path("disposals/<int:pk>/<str:step>/", _pending, name="disposal_step"),
    # ---- incomes and distributions (views/incomes.py, views/distributions.py) ---------------
    path("<int:pk>/incomes/new/", _pending, name="income_new"),
    path("incomes/<int:pk>/edit/", _pending, name="income_edit"),
    path("incomes/<int:pk>/distribute/", _pending, name="distribution_new"),
    path("distributions/", _pending, name="distribution_list"),
    path("distributions/<int:pk>/", _pending, name="distribution_detail"),
    path("distributions/<int:pk>/amount/", _pending, name="distribution_amount"),
    path("distributions/<int:pk>/lines/", _pending, name="line_add"),
    path("lines/<int:pk>/remove/", _pending, name="line_remove"),
    path("distributions/<int:pk>/publicise/", _pending, name="distribution_publicise"),
    path("distributions/<int:pk>/revise/", _pending, name="distribution_revise"),
    path("distributions/<int:pk>/pay/", _pending, name="distribution_pay"),
    # ---- exports: the three-level ledger, rosters, the chain, the village PDF (views/ledgers.py)
    path("exports/", ledgers.export_index, name="export_index"),
    path("exports/ledger/", ledgers.ledger_export, name="ledger_export"),
    path("exports/rosters/", ledgers.roster_export, name="roster_export"),
    path("exports/chain/", ledgers.chain_export, name="chain_export"),
    path("<int:pk>/chain/", ledgers.asset_chain_export, name="asset_chain_export"),
    path("villages/<int:pk>/ledger.pdf", ledgers.village_ledger_pdf, name="village_ledger_pdf"),
]
