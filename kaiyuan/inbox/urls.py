from django.urls import path

from kaiyuan.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox, name="index"),
    path("notices/<int:pk>/open/", views.notice_opened, name="notice_open"),
]
