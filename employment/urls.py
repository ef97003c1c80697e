from django.urls import path

from employment.views import counts, labour, posts, records, rosters, trainings, workshops

app_name = "employment"

urlpatterns = [
    # ---- the count against the target, 月调度/季通报 (views/counts.py) ------------------------
    path("", counts.index, name="index"),
    path("count/", counts.count, name="count"),
    path("count/export/", counts.count_export, name="count_export"),
    # ---- the labour force and EMP-4 reviews (views/labour.py) -----------------------------------
    path("labour/", labour.labour_force, name="labour_force"),
    path("labour/flagged/", labour.flagged, name="flagged"),
    # ---- a person's jobs (views/records.py) ----------------------------------------------------
    path("records/", records.record_list, name="record_list"),
    path("members/<int:member_pk>/jobs/new/", records.record_new, name="record_new"),
    path("records/<int:pk>/", records.record_detail, name="record_detail"),
    path("records/<int:pk>/edit/", records.record_edit, name="record_edit"),
    path("records/<int:pk>/end/", records.record_end, name="record_end"),
    path("records/<int:pk>/confirm/", records.record_confirm, name="record_confirm"),
    path("records/<int:pk>/review/", records.record_review, name="record_review"),
    path("records/<int:pk>/delete/", records.record_delete, name="record_delete"),
    # ---- the monthly file: download the roster, upload it back (views/rosters.py) ---------------
    path("roster/", rosters.roster_index, name="roster_index"),
    path("roster/download/", rosters.roster_download, name="roster_download"),
    path("roster/upload/", rosters.roster_upload, name="roster_upload"),
    path("roster/imports/<int:pk>/", rosters.roster_import, name="roster_import"),
    # ---- public-welfare posts (views/posts.py) -------------------------------------------------
    path("posts/", posts.post_list, name="post_list"),
    path("posts/new/", posts.post_new, name="post_new"),
    path("posts/<int:pk>/", posts.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", posts.post_edit, name="post_edit"),
    path("posts/<int:pk>/end/", posts.post_end, name="post_end"),
    path("posts/<int:pk>/pay/", posts.post_pay, name="post_pay"),
    path("payments/<int:pk>/reverse/", posts.payment_reverse, name="payment_reverse"),
    # ---- workshops (views/workshops.py) --------------------------------------------------------
    path("workshops/", workshops.workshop_list, name="workshop_list"),
    path("workshops/new/", workshops.workshop_new, name="workshop_new"),
    path("workshops/<int:pk>/", workshops.workshop_detail, name="workshop_detail"),
    path("workshops/<int:pk>/edit/", workshops.workshop_edit, name="workshop_edit"),
    # ---- skills training (views/trainings.py) --------------------------------------------------
    path("trainings/", trainings.training_list, name="training_list"),
    path("trainings/new/", trainings.training_new, name="training_new"),
    path("trainings/<int:pk>/", trainings.training_detail, name="training_detail"),
    path("trainings/<int:pk>/edit/", trainings.training_edit, name="training_edit"),
    path("trainings/<int:pk>/trainees/", trainings.trainee_add, name="trainee_add"),
    path("trainees/<int:pk>/edit/", trainings.trainee_edit, name="trainee_edit"),
    path("trainees/<int:pk>/remove/", trainings.trainee_remove, name="trainee_remove"),
]
