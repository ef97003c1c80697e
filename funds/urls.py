from django.urls import path

from funds.views import allocations, microcredit, payments, placements, progress, reallocations

app_name = "funds"
urlpatterns = [
    # ---- allocations, project funds, payments (views/allocations.py, views/payments.py) ------
    path("", allocations.funds_index, name="index"),
    path("allocations/", allocations.allocation_list, name="allocation_list"),
    path("allocations/new/", allocations.allocation_create, name="allocation_create"),
    path("allocations/<int:pk>/", allocations.allocation_detail, name="allocation_detail"),
    path("allocations/<int:pk>/assign/", allocations.assignment_add, name="assignment_add"),
    path(
        "allocations/<int:pk>/reverse/", allocations.allocation_reverse, name="allocation_reverse"
    ),
    path("entries/<int:pk>/reverse/", allocations.assignment_reverse, name="assignment_reverse"),
    path("entries/<int:pk>/arrival/", allocations.arrival_record, name="arrival_record"),
    path("projects/<int:pk>/", allocations.project_funds, name="project_funds"),
    path("projects/<int:pk>/retention/", allocations.retention_set, name="retention_set"),
    path("projects/<int:pk>/pay/", payments.payment_create, name="payment_create"),
    path("payments/", payments.payment_list, name="payment_list"),
    path("payments/<int:pk>/", payments.payment_detail, name="payment_detail"),
    path("payments/<int:pk>/payee-id/", payments.payee_id_reveal, name="payee_id_reveal"),
    path("payments/<int:pk>/report/", payments.reimbursement_report, name="reimbursement_report"),
    path("payments/<int:pk>/decide/", payments.reimbursement_decide, name="reimbursement_decide"),
    path("payments/<int:pk>/reverse/", payments.payment_reverse, name="payment_reverse"),
    path("vouchers/<int:pk>/", payments.voucher_download, name="voucher_download"),
    # ---- Excel exports (funds/exports/, each a job) ------------------------------------------
    path("exports/ledger/", allocations.ledger_export, name="ledger_export"),
    path("exports/payments/", payments.payments_export, name="payments_export"),
    path("exports/progress/", progress.progress_export, name="progress_export"),
    path("exports/placements/", placements.placements_export, name="placements_export"),
    # ---- idle funds, reallocation, progress, placements, micro-credit (views/reallocations.py,
    #      views/progress.py, views/placements.py, views/microcredit.py) -----------------------
    path("idle/", reallocations.idle_list, name="idle_list"),
    path("idle/<int:pk>/reallocate/", reallocations.reallocation_new, name="reallocation_new"),
    path("reallocations/", reallocations.reallocation_list, name="reallocation_list"),
    path("progress/", progress.progress, name="progress"),
    path("placements/", placements.placement_list, name="placement_list"),
    path("projects/<int:pk>/placements/new/", placements.placement_new, name="placement_new"),
    path("placements/<int:pk>/", placements.placement_detail, name="placement_detail"),
    path("loans/", microcredit.loan_list, name="loan_list"),
    path("households/<int:pk>/loans/new/", microcredit.loan_new, name="loan_new"),
    path("loans/<int:pk>/", microcredit.loan_detail, name="loan_detail"),
]
