from django.urls import path

from kaiyuan.areas import views

app_name = "areas"
urlpatterns = [
    path("villages/", views.village_options, name="village_options"),
    path("grids/", views.grid_options, name="grid_options"),
]
